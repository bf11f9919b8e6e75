// DOT output: `litmus -show WHAT -o DIR` as herd7 writes it, `check --dot`
// for violations, and every file written for the visible corpus renders
// with Graphviz (when `dot` is installed).

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pagerace } from "./pagerace.ts";
import { litmusFilesUnder } from "../../src/litmus/run/litmusFiles.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = path.resolve(repoRoot, "../shared/litmus");
const sbTest = path.join(corpus, "herdtools7-catalogue-linux/C-SB+o-o+o-o.litmus");
const fresh = () => mkdtempSync(path.join(tmpdir(), "pagerace-dot-"));
const executions = (dot: string) => (dot.match(/subgraph cluster_x\d+_ \{/g) ?? []).length;

test("litmus -show prop|neg|all -o DIR: one file per test, with the executions herd counts as Positive, Negative, both", { skip: !existsSync(sbTest) && "the shared corpus is absent" }, () => {
  const counts: Record<string, number> = {};
  for (const show of ["prop", "neg", "all"]) {
    const dir = fresh();
    const r = pagerace("litmus", "-show", show, "-o", dir, sbTest);
    assert.equal(r.code, 0, r.err);
    // -show and -o now have an effect: they are not among the options noted as ignored.
    assert.doesNotMatch(r.err, /-show|-o /);
    const [positive, negative] = /Positive: (\d+) Negative: (\d+)/.exec(r.out)!.slice(1).map(Number);
    assert.deepEqual(readdirSync(dir), ["C-SB+o-o+o-o.dot"]);
    const dot = readFileSync(path.join(dir, "C-SB+o-o+o-o.dot"), "utf8");
    counts[show] = executions(dot);
    assert.equal(counts[show], show === "prop" ? positive : show === "neg" ? negative : positive! + negative!);
    if (show === "prop") assert.match(dot, /R\[once\]\w+=0"/);
    rmSync(dir, { recursive: true });
  }
  assert.ok(counts.prop! > 0 && counts.neg! > 0);
});

test("litmus -show with an unknown value is a usage error", () => {
  const r = pagerace("litmus", "-show", "everything", "-o", fresh(), sbTest);
  assert.equal(r.code, 2);
  assert.match(r.err, /-show expects one of none, all, prop, neg, cond, wit, got 'everything'/);
});

test("check --dot DIR writes one file per violation, titled with the broken check", () => {
  const dir = fresh();
  const r = pagerace("check", "--dot", dir, "examples/faultTruncate.ts");
  assert.equal(r.code, 0, r.err);
  const files = readdirSync(dir);
  assert.deepEqual(files, ["FT_2_2_-buggy.sc.1.dot"]);
  const dot = readFileSync(path.join(dir, files[0]!), "utf8");
  assert.match(dot, /label="FT\(2,2\)-buggy \[sc\]: check failed: no pte maps a page/);
  assert.match(dot, /subgraph cluster_v_t2 \{\n\s+label="truncate";/);
  rmSync(dir, { recursive: true });
});

const graphviz = spawnSync("dot", ["-V"]).status === 0;

test(
  "every DOT file written for the visible corpus renders with dot -Tsvg, without errors or warnings",
  { skip: !graphviz ? "Graphviz's dot is not installed (apt-get install -y graphviz)" : !existsSync(corpus) && "the shared corpus is absent", timeout: 600_000 },
  () => {
    const files = litmusFilesUnder(corpus);
    // Tests in different folders may share a name: one output folder per input folder.
    const folders = [...new Set(files.map((f) => path.dirname(f)))];
    for (const show of ["all", "prop", "neg"]) {
      let written = 0;
      for (const [k, folder] of folders.entries()) {
        const dir = path.join(fresh(), String(k));
        const tests = files.filter((f) => path.dirname(f) === folder);
        const r = pagerace("litmus", "-q", "-show", show, "-o", dir, ...tests);
        assert.ok(r.code === 0 || r.code === 3, r.err);
        for (const name of readdirSync(dir)) {
          const render = spawnSync("dot", ["-Tsvg", "-o", "/dev/null", path.join(dir, name)], { encoding: "utf8" });
          assert.equal(render.status, 0, `${show} ${name}: ${render.stderr}`);
          assert.equal(render.stderr, "", `${show} ${name}: ${render.stderr}`);
          written++;
        }
        rmSync(path.dirname(dir), { recursive: true });
      }
      assert.equal(written, files.length, `-show ${show}: one file per test`);
    }
  },
);

// `pagerace litmus`: herd7's output on stdout, problems on stderr, exit
// codes (0 all ran, 2 usage error or some test could not run; 3, a run
// without a verdict, is in incompleteRuns.test.ts), batch mode
// that keeps going, and herd7's invocation as the kernel scripts use it.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const dir = mkdtempSync(path.join(tmpdir(), "pagerace-litmus-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function pagerace(args: readonly string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "bin/pagerace.mjs"), "litmus", ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function litmus(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const SB = litmus(
  "SB.litmus",
  `C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r0=0)
`,
);
const MALFORMED = litmus("bad.litmus", "C bad\n{}\nP0(int *x) { WRITE_ONCE(*x, ; }\nexists (x=1)\n");
const UNSUPPORTED = litmus("uns.litmus", "C uns\n{}\nP0(int *x) { frobnicate_once(x); }\nexists (x=1)\n");

test("a test runs: herd7's block on stdout, exit 0", () => {
  const r = pagerace(["--model", "sc", SB]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Test SB Allowed\nStates 3\n0:r0=0; 1:r0=1;\n0:r0=1; 1:r0=0;\n0:r0=1; 1:r0=1;\nNo\nWitnesses\nPositive: 0 Negative: 3\nCondition exists \(0:r0=0 \/\\ 1:r0=0\)\nObservation SB Never 0 3\nTime SB \d+\.\d\d\n\n$/);
});

test("LKMM is the default model", () => {
  const r = pagerace([SB]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Observation SB Sometimes 1 3/);
});

test("a malformed test: file:line:col on stderr, exit 2", () => {
  const r = pagerace([MALFORMED]);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.litmus:3:29: expected /);
  assert.equal(r.out, "");
});

test("an unsupported primitive: 'unsupported: NAME', exit 2", () => {
  const r = pagerace([UNSUPPORTED]);
  assert.equal(r.code, 2);
  assert.match(r.err, /uns\.litmus:\d+:\d+: unsupported: frobnicate_once/);
});

test("batch mode reports each problem and runs the other tests, then exits 2", () => {
  const r = pagerace([MALFORMED, SB, UNSUPPORTED]);
  assert.equal(r.code, 2);
  assert.match(r.out, /^Test SB Allowed/);
  assert.match(r.err, /bad\.litmus:3:29/);
  assert.match(r.err, /unsupported: frobnicate_once/);
});

test("a missing file is reported and exits 2", () => {
  const r = pagerace([path.join(dir, "none.litmus")]);
  assert.equal(r.code, 2);
  assert.match(r.err, /none\.litmus: /);
});

test("unknown options and missing files are usage errors", () => {
  assert.equal(pagerace(["--frobnicate", SB]).code, 2);
  assert.match(pagerace(["--frobnicate", SB]).err, /unknown option --frobnicate/);
  assert.match(pagerace([]).err, /needs at least one test file/);
  assert.match(pagerace(["--model", "arm", SB]).err, /unsupported: model arm/);
});

test("herd7's invocation from tools/memory-model: -conf linux-kernel.cfg, other herd options ignored", (t) => {
  const modelDir = path.resolve(repoRoot, "../shared/litmus/model");
  if (!existsSync(path.join(modelDir, "linux-kernel.cfg"))) return t.skip("no linux-kernel.cfg next to the repository");
  const r = pagerace(["-conf", "linux-kernel.cfg", "-o", dir, "-through", "all", SB], modelDir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Observation SB Sometimes 1 3/);
  assert.match(r.err, /without effect here: -o .* -through all/);
  assert.equal(pagerace(["-conf", "linux-kernel.cfg", "-q", SB], modelDir).err, "");
});

test("--json gives one entry per file, problems included", () => {
  const r = pagerace(["--json", "--model", "sc", SB, MALFORMED]);
  assert.equal(r.code, 2);
  const json = JSON.parse(r.out) as { format: string; results: { status: string; observation?: string; holds?: number; fails?: number }[] };
  assert.equal(json.format, "pagerace-litmus");
  assert.deepEqual(
    json.results.map((x) => [x.status, x.observation, x.holds, x.fails]),
    [
      ["run", "Never", 0, 3],
      ["malformed", undefined, undefined, undefined],
    ],
  );
});

test("with a time limit given (herd7's -timeout, --timeout), tests still answer", () => {
  for (const option of ["-timeout", "--timeout", "--time-limit"]) {
    const r = pagerace([option, "30", "--model", "sc", SB, MALFORMED]);
    assert.equal(r.code, 2);
    assert.match(r.out, /Observation SB Never 0 3/);
    assert.match(r.err, /bad\.litmus:3:29/);
  }
});

test("a test over its time limit is NOT VERIFIED with what it explored, exit 3; the next test still runs", () => {
  const slow = path.resolve(repoRoot, "test/fixtures/manyWrites.litmus");
  const r = pagerace(["--timeout", "0.5", slow, "--model", "sc", SB]);
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /^Test many-writes Allowed\nNOT VERIFIED \(incomplete: --time-limit 0\.5 s reached\)\nExplored: [1-9]\d* executions/m);
  assert.match(r.err, /manyWrites\.litmus: NOT VERIFIED \(incomplete: --time-limit 0\.5 s reached\)/);
  assert.match(r.out, /Observation SB Never 0 3/);
});

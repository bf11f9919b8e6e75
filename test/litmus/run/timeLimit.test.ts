// `pagerace litmus` gives every test a time limit (60 s unless --time-limit,
// -timeout or --timeout says otherwise; 0 for none), checked while threads
// run and not only between executions. A test that runs out is no answer:
// NOT VERIFIED in herd's block, status "incomplete" in JSON (with the
// reason and what was explored), exit 3 — as a bounded `check` run is.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { compileLitmus, parseLitmus } from "../../../src/litmus/index.ts";
import { runLitmus } from "../../../src/litmus/run/runLitmus.ts";
import { DEFAULT_LITMUS_TIME_LIMIT_S, parseHerdInvocation } from "../../../src/litmus/run/herdInvocation.ts";
import { lkmm } from "../../../src/models/lkmm/index.ts";
import { renderHerdBlock } from "../../../src/report/herd/herdBlock.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const dir = mkdtempSync(path.join(tmpdir(), "pagerace-time-limit-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One process of `n` accesses to one location, alternately writes and
 * reads: its thread runs are too many to enumerate (each read may take any
 * value written), so candidate enumeration spends its time before the
 * first execution, where only a check as threads run can stop it.
 */
function longThread(n: number): string {
  const body = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `WRITE_ONCE(*x, ${i + 1});` : "r0 = READ_ONCE(*x);")).join("\n  ");
  return `C long-thread\n{}\nP0(int *x) {\n  int r0;\n  ${body}\n}\nexists (0:r0=0)\n`;
}

const LONG = path.join(dir, "long.litmus");
writeFileSync(LONG, longThread(400));
const MANY_WRITES = path.join(repoRoot, "test/fixtures/manyWrites.litmus");

function pagerace(...args: string[]) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(repoRoot, "bin/pagerace.mjs"), "litmus", ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - started };
}

test("a time limit by default; -timeout, --timeout and --time-limit set it; 0 is none", () => {
  assert.equal(DEFAULT_LITMUS_TIME_LIMIT_S, 60);
  assert.equal(parseHerdInvocation(["a.litmus"]).timeLimitSeconds, 60);
  assert.equal(parseHerdInvocation(["-timeout", "5", "a.litmus"]).timeLimitSeconds, 5);
  assert.equal(parseHerdInvocation(["--timeout=0.25", "a.litmus"]).timeLimitSeconds, 0.25);
  assert.equal(parseHerdInvocation(["--time-limit", "0", "a.litmus"]).timeLimitSeconds, 0);
});

test("runLitmus: past timeLimitMs the run is incomplete, with the reason, never a verdict", () => {
  const compiled = compileLitmus(parseLitmus(longThread(400), "long.litmus"));
  const started = performance.now();
  const run = runLitmus(compiled, { memoryModel: lkmm, strategy: "candidates", timeLimitMs: 200 });
  assert.ok(performance.now() - started < 5000, `stopped near its limit, took ${performance.now() - started} ms`);
  assert.equal(run.incomplete, "--time-limit 0.2 s reached");
  assert.match(renderHerdBlock(run, { time: false }), /^NOT VERIFIED \(incomplete: --time-limit 0\.2 s reached\)$/m);
});

test("a test that runs out inside its thread runs stops at its limit: NOT VERIFIED, exit 3", () => {
  const r = pagerace("--strategy", "candidates", "--time-limit", "0.5", LONG);
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /^Test long-thread Allowed\nNOT VERIFIED \(incomplete: --time-limit 0\.5 s reached\)\nExplored: 0 executions/);
  assert.doesNotMatch(r.out, /^(Observation|States|Ok|No)\b/m);
  assert.match(r.err, /long\.litmus: NOT VERIFIED \(incomplete: --time-limit 0\.5 s reached\)/);
  assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
});

test("--json: the test past its limit is an incomplete entry (valid against the schema); the others answer", () => {
  const schema = JSON.parse(readFileSync(path.join(repoRoot, "docs/schema/pagerace-litmus.schema.json"), "utf8")) as object;
  const ajv = new Ajv2020({ strict: true });
  ajv.addSchema(JSON.parse(readFileSync(path.join(repoRoot, "docs/schema/pagerace-result.schema.json"), "utf8")) as object);
  const validate = ajv.compile(schema);
  const r = pagerace("--json", "-timeout", "0.5", "--model", "sc", MANY_WRITES, path.join(repoRoot, "test/fixtures/srcuGracePeriod.litmus"));
  assert.equal(r.code, 3, r.err);
  const doc = JSON.parse(r.out) as { results: { status: string; incomplete?: string; explored?: { fails: number } }[] };
  assert.ok(validate(doc), JSON.stringify(validate.errors));
  assert.deepEqual(
    doc.results.map((x) => x.status),
    ["incomplete", "run"],
  );
  assert.equal(doc.results[0]!.incomplete, "--time-limit 0.5 s reached");
  assert.ok(doc.results[0]!.explored!.fails > 0, "what was explored is kept");
});

test("--time-limit 0: no limit, the test runs to its verdict", () => {
  const small = path.join(dir, "small.litmus");
  writeFileSync(small, longThread(6));
  const r = pagerace("--time-limit", "0", small);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Observation long-thread /m);
});

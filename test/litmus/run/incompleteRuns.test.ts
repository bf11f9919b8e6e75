// A litmus answer that did not explore every execution is never printed as
// a verdict. Under LKMM the optimal explorer builds load-buffering
// executions itself, so the default answer is complete however many thread
// runs a test has; state enumeration does not build them, and a run with it
// says NOT VERIFIED in every output, with exit code 3.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileLitmus, parseLitmus } from "../../../src/litmus/index.ts";
import { runLitmus } from "../../../src/litmus/run/runLitmus.ts";
import { lkmm } from "../../../src/models/lkmm/index.ts";
import { renderHerdBlock } from "../../../src/report/herd/herdBlock.ts";
import { parseHerdOutput } from "../../../src/report/herd/herdOutput.ts";
import { litmusResultJson } from "../../../src/report/herd/litmusJson.ts";

/**
 * LB with P0 reading x `n` times before writing y: 2^n runs of P0 over x's
 * values {0, 1}, which a static look at the program's runs (and candidate
 * enumeration) would go through one by one; P1 copies what it reads.
 */
function manyReadsLb(n: number): string {
  const regs = Array.from({ length: n }, (_, i) => `r${i}`);
  return `C LB+${n}-reads
{}
P0(int *x, int *y) { ${regs.map((r) => `int ${r};`).join(" ")} ${regs.map((r) => `${r} = READ_ONCE(*x);`).join(" ")} WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int s; s = READ_ONCE(*y); WRITE_ONCE(*x, s); }
exists (1:s=1 /\\ 0:r0=1)
`;
}

const compile = (text: string) => compileLitmus(parseLitmus(text, "generated.litmus"));

test("a many-reads LB test by default: the optimal explorer closes the cycle, complete, as candidates do", () => {
  const text = manyReadsLb(8);
  const run = runLitmus(compile(text), { memoryModel: lkmm });
  assert.equal(run.strategy, "optimal");
  assert.equal(run.incomplete, undefined);
  const oracle = runLitmus(compile(text), { memoryModel: lkmm, strategy: "candidates" });
  assert.deepEqual([run.holds, run.fails, run.states], [oracle.holds, oracle.fails, oracle.states]);
  assert.equal(run.verdict.observation, "Sometimes");
  // 2^19 runs of P0: beyond candidates, answered here in a fraction of a second (2 × 19 + 2 executions).
  const big = runLitmus(compile(manyReadsLb(19)), { memoryModel: lkmm });
  assert.equal(big.incomplete, undefined);
  assert.deepEqual([big.verdict.observation, big.holds, big.holds + big.fails], ["Sometimes", 1, 40]);
});

test("an incomplete run shows as NOT VERIFIED in herd's block and in JSON, never as a verdict", () => {
  const run = runLitmus(compile(manyReadsLb(5)), { memoryModel: lkmm, strategy: "enumerate" });
  assert.match(run.incomplete!, /load buffering/);
  const block = renderHerdBlock(run, { time: false });
  assert.match(block, /^NOT VERIFIED \(incomplete: .*load buffering/m);
  for (const verdictLine of [/^Ok$/m, /^No$/m, /^Observation /m, /^Positive: /m, /^States /m]) assert.doesNotMatch(block, verdictLine);
  // What reads herd's output back finds no answer in it.
  assert.equal(parseHerdOutput(block).kind, "error");
  const json = litmusResultJson("lb.litmus", { kind: "run", run }) as Record<string, unknown>;
  assert.equal(json.status, "incomplete");
  assert.match(String(json.incomplete), /load buffering/);
  assert.equal(json.observation, undefined);
  assert.equal(json.ok, undefined);
});

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const dir = mkdtempSync(path.join(tmpdir(), "pagerace-incomplete-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("pagerace litmus: an incomplete run exits 3 and says so on stderr, in text and JSON", () => {
  const file = path.join(dir, "many.litmus");
  writeFileSync(file, manyReadsLb(5));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(repoRoot, "bin/pagerace.mjs"), "litmus", "--strategy", "enumerate", ...args, file], { encoding: "utf8", timeout: 60_000 });
  const text = cli();
  assert.equal(text.status, 3);
  assert.match(text.stdout, /^NOT VERIFIED \(incomplete: /m);
  assert.doesNotMatch(text.stdout, /^Observation /m);
  assert.match(text.stderr, /many\.litmus: NOT VERIFIED/);
  const json = cli("--json");
  assert.equal(json.status, 3);
  assert.equal(JSON.parse(json.stdout).results[0].status, "incomplete");
});

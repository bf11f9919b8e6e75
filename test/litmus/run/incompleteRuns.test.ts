// A litmus answer that did not explore every execution is never printed as
// a verdict. Under LKMM the optimal explorer does not build load-buffering
// executions; a test that may have them goes to candidate enumeration by
// default, and a run that leaves them out (the user asked for optimal)
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
import { litmusStrategy } from "../../../src/litmus/run/litmusStrategy.ts";
import { lkmm } from "../../../src/models/lkmm/index.ts";
import { loadBufferingOf } from "../../../src/explore/loadBuffering.ts";
import { ThreadReplayer } from "../../../src/runtime/threadReplayer.ts";
import { renderHerdBlock } from "../../../src/report/herd/herdBlock.ts";
import { parseHerdOutput } from "../../../src/report/herd/herdOutput.ts";
import { litmusResultJson } from "../../../src/report/herd/litmusJson.ts";

/**
 * LB with P0 reading x `n` times before writing y: 2^n runs of P0 over x's
 * values {0, 1}, which the load-buffering pre-check used to enumerate in
 * full (past its budget at n = 18) before giving up.
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

/** The same P0 with acquire reads and P1 without its read: no cycle is possible, but the runs are as many. */
function manyReadsNoCycle(n: number): string {
  const regs = Array.from({ length: n }, (_, i) => `r${i}`);
  return `C MP+${n}-reads
{}
P0(int *x, int *y) { ${regs.map((r) => `int ${r};`).join(" ")} ${regs.map((r) => `${r} = smp_load_acquire(x);`).join(" ")} WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { WRITE_ONCE(*x, 1); }
exists (0:r0=1)
`;
}

const compile = (text: string) => compileLitmus(parseLitmus(text, "generated.litmus"));

test("the pre-check sees the cycle of a many-reads LB test among a sample of its runs", () => {
  const model = compile(manyReadsLb(19)).model;
  assert.equal(loadBufferingOf(model, new ThreadReplayer(model, 2000)), "may");
  // A cycle-free program with as many runs is still undecided past the budget.
  const free = compile(manyReadsNoCycle(19)).model;
  assert.equal(loadBufferingOf(free, new ThreadReplayer(free, 2000), 1000), "unknown");
});

test("by default an undecided test goes to candidates, complete, and agrees with them", () => {
  const compiled = compile(manyReadsNoCycle(8));
  assert.deepEqual(litmusStrategy(compiled.model, lkmm, undefined, undefined, 10), { strategy: "candidates" });
  const asked = litmusStrategy(compiled.model, lkmm, "optimal", undefined, 10);
  assert.equal(asked.strategy, "optimal");
  assert.match(asked.incomplete!, /too many thread runs/);
  // With the real budget the same test is decided (no cycle): optimal, complete.
  assert.deepEqual(litmusStrategy(compiled.model, lkmm), { strategy: "optimal" });
});

test("a many-reads LB test by default: candidates, complete, the cycle found", () => {
  const text = manyReadsLb(8);
  const run = runLitmus(compile(text), { memoryModel: lkmm });
  assert.equal(run.strategy, "candidates");
  assert.equal(run.incomplete, undefined);
  const oracle = runLitmus(compile(text), { memoryModel: lkmm, strategy: "candidates" });
  assert.deepEqual([run.holds, run.fails, run.states], [oracle.holds, oracle.fails, oracle.states]);
  assert.equal(run.verdict.observation, "Sometimes");
});

test("an incomplete run shows as NOT VERIFIED in herd's block and in JSON, never as a verdict", () => {
  const run = runLitmus(compile(manyReadsLb(19)), { memoryModel: lkmm, strategy: "optimal" });
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
  writeFileSync(file, manyReadsLb(19));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(repoRoot, "bin/pagerace.mjs"), "litmus", "--strategy", "optimal", ...args, file], { encoding: "utf8", timeout: 60_000 });
  const text = cli();
  assert.equal(text.status, 3);
  assert.match(text.stdout, /^NOT VERIFIED \(incomplete: /m);
  assert.doesNotMatch(text.stdout, /^Observation /m);
  assert.match(text.stderr, /many\.litmus: NOT VERIFIED/);
  const json = cli("--json");
  assert.equal(json.status, 3);
  assert.equal(JSON.parse(json.stdout).results[0].status, "incomplete");
});

// Which executions a litmus run counts and what it concludes from them,
// on toy tests under SC (independent of LKMM): quantifiers, filter, the
// order of states, locks never acquired, and where flags come from.

import { test } from "node:test";
import assert from "node:assert/strict";
import { compileLitmus, parseLitmus } from "../../../src/litmus/index.ts";
import { runLitmus, type LitmusRun } from "../../../src/litmus/run/runLitmus.ts";
import { sc } from "../../../src/models/sc.ts";
import type { MemoryModel } from "../../../src/models/memoryModel.ts";

function run(text: string, memoryModel: MemoryModel = sc): LitmusRun {
  return runLitmus(compileLitmus(parseLitmus(text, "toy.litmus")), { memoryModel });
}

const SB_PROCESSES = `
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
`;

test("exists: Positive counts the executions where the proposition holds", () => {
  const r = run(`C SB\n{}\n${SB_PROCESSES}\nexists (0:r0=0 /\\ 1:r0=0)`);
  assert.equal(r.expectation, "Allowed");
  assert.deepEqual([r.holds, r.fails], [0, 3]);
  assert.deepEqual(r.states, ["0:r0=0; 1:r0=1;", "0:r0=1; 1:r0=0;", "0:r0=1; 1:r0=1;"]);
  assert.deepEqual(r.verdict, { ok: false, witnesses: { positive: 0, negative: 3 }, observation: "Never" });
});

test("~exists: Forbidden, Ok when nothing satisfies it, and the witnesses are swapped", () => {
  const r = run(`C SB\n{}\n${SB_PROCESSES}\n~exists (0:r0=0 /\\ 1:r0=0)`);
  assert.equal(r.expectation, "Forbidden");
  assert.equal(r.conditionText, "~exists (0:r0=0 /\\ 1:r0=0)");
  assert.deepEqual([r.holds, r.fails], [0, 3]);
  assert.deepEqual(r.verdict, { ok: true, witnesses: { positive: 3, negative: 0 }, observation: "Never" });
});

test("forall: Required, Ok when every execution satisfies it", () => {
  const r = run(`C SB\n{}\n${SB_PROCESSES}\nforall (0:r0=1 \\/ 1:r0=1)`);
  assert.equal(r.expectation, "Required");
  assert.deepEqual([r.holds, r.fails], [3, 0]);
  assert.deepEqual(r.verdict, { ok: true, witnesses: { positive: 3, negative: 0 }, observation: "Always" });
});

test("forall that some execution breaks: No, Sometimes", () => {
  const r = run(`C SB\n{}\n${SB_PROCESSES}\nforall (0:r0=1)`);
  assert.deepEqual([r.holds, r.fails], [2, 1]);
  assert.deepEqual(r.verdict, { ok: false, witnesses: { positive: 2, negative: 1 }, observation: "Sometimes" });
});

test("executions the filter rejects count nowhere, not even in States", () => {
  const r = run(`C SB\n{}\n${SB_PROCESSES}\nfilter (0:r0=1)\nexists (1:r0=0)`);
  assert.deepEqual([r.holds, r.fails], [1, 1]);
  assert.deepEqual(r.states, ["1:r0=0;", "1:r0=1;"]);
  assert.equal(r.uncounted.filtered, 1);
});

test("a filter that rejects everything: States 0, Never 0 0", () => {
  const r = run(`C SB\n{}\n${SB_PROCESSES}\nfilter (0:r0=2)\nexists (1:r0=0)`);
  assert.deepEqual(r.states, []);
  assert.deepEqual([r.holds, r.fails, r.uncounted.filtered], [0, 0, 3]);
  assert.equal(r.verdict.observation, "Never");
});

test("states are sorted by value as herd sorts them: numerically, -1 first and 10 after 2", () => {
  const r = run(`C order
{}
P0(int *x) { WRITE_ONCE(*x, 10); }
P1(int *x) { WRITE_ONCE(*x, 2); }
P2(int *x) { WRITE_ONCE(*x, -1); }
P3(int *x) { int r0; r0 = READ_ONCE(*x); }
exists (3:r0=10)`);
  assert.deepEqual(r.states, ["3:r0=-1;", "3:r0=0;", "3:r0=2;", "3:r0=10;"]);
});

test("states compare column by column, integers before pointers, pointers by name", () => {
  const r = run(`C pointers
{ int *p = x; }
P0(int **p, int *y, int *z) { WRITE_ONCE(*p, y); WRITE_ONCE(*p, z); }
P1(int **p) { int *r0; r0 = READ_ONCE(*p); }
P2(int **p) { WRITE_ONCE(*p, 0); }
locations [p]
exists (1:r0=y)`);
  assert.deepEqual(r.states, [
    "1:r0=0; [p]=0;",
    "1:r0=0; [p]=z;",
    "1:r0=x; [p]=0;",
    "1:r0=x; [p]=z;",
    "1:r0=y; [p]=0;",
    "1:r0=y; [p]=z;",
    "1:r0=z; [p]=0;",
    "1:r0=z; [p]=z;",
  ]);
});

test("executions where a thread never gets its lock are not counted", () => {
  const r = run(`C lock-never-released
{}
P0(spinlock_t *l, int *x) { spin_lock(l); WRITE_ONCE(*x, 1); }
P1(spinlock_t *l, int *x) { int r0; spin_lock(l); r0 = READ_ONCE(*x); spin_unlock(l); }
exists (1:r0=0)`);
  assert.deepEqual([r.holds, r.fails], [1, 0]);
  assert.deepEqual(r.states, ["1:r0=0;"]);
  assert.ok(r.uncounted.blocked + r.uncounted.deadlock > 0, "the run where P0 holds the lock forever ended uncounted");
});

test("flags come from counted executions only, once each, sorted", () => {
  // SC plus a flag on every graph where P1 read 0: stands in for LKMM's data-race.
  const flagging: MemoryModel = {
    ...sc,
    name: "sc+flags",
    flags: (g) => (g.threads[1]!.some((e) => e.kind === "R" && e.value === 0) ? ["data-race", "another"] : []),
  };
  const text = (filter: string) => `C SB\n{}\n${SB_PROCESSES}\n${filter}\nexists (0:r0=0)`;
  assert.deepEqual(run(text(""), flagging).flags, ["another", "data-race"]);
  assert.deepEqual(run(text("filter (1:r0=1)"), flagging).flags, [], "the flagged execution is filtered out");
});

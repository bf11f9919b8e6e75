// A control dependency from an `if` covers the accesses inside its branches
// and ends with the `if` (herd's C semantics): a write after the `if` is not
// ordered after the condition's read. Each test is a load-buffering shape
// whose cycle is broken only if the write in question is ctrl-ordered; the
// verdicts follow from linux-kernel.cat (`rwdep = (dep | ctrl) ; [W]` is in
// ppo, hence hb, and hb must be acyclic), and the default strategy must
// agree with candidate enumeration on every figure.

import { test } from "node:test";
import assert from "node:assert/strict";
import { bothStrategies, runLkmm } from "./lkmmStrategies.ts";

/** P1 closes the cycle with a data dependency, which is always ordered. */
const P1 = `P1(int *x, int *y) { int r1; r1 = READ_ONCE(*y); WRITE_ONCE(*x, r1); }`;
const lb = (p0: string) => `C LB-ctrl\n{}\nP0(int *x, int *y, int *z, int *w)\n{\n${p0}\n}\n${P1}\nexists (0:r0=1 /\\ 1:r1=1)\n`;

function expectAgreement(text: string, observation: string, positive: number, negative: number): void {
  const { auto, oracle } = bothStrategies(text);
  assert.deepEqual(auto, oracle, "default strategy against candidates");
  assert.deepEqual([auto.observation, auto.positive, auto.negative], [observation, positive, negative]);
}

test("a write after the if is not ctrl-dependent on its condition: LB is allowed", () => {
  // r0 ∈ {0, P1's x} and r1 ∈ {0, 1}: four executions, the cycle r0 = r1 = 1 among them.
  expectAgreement(lb(`int r0; r0 = READ_ONCE(*x); if (r0) { WRITE_ONCE(*z, 1); } WRITE_ONCE(*y, 1);`), "Sometimes", 1, 3);
});

test("the same write inside the if is ctrl-dependent: LB is forbidden", () => {
  // Inside the branch the write exists only when r0 = 1, which needs r1 = 1, which needs the write:
  // only r1 = 0 remains, with r0 = 0 read from the initial x or from P1's write of 0.
  expectAgreement(lb(`int r0; r0 = READ_ONCE(*x); if (r0) { WRITE_ONCE(*y, 1); }`), "Never", 0, 2);
});

test("an else branch is covered too, and the dependency still ends after it", () => {
  const inElse = lb(`int r0; r0 = READ_ONCE(*x); if (r0 == 0) { WRITE_ONCE(*z, 1); } else { WRITE_ONCE(*y, 1); }`);
  expectAgreement(inElse, "Never", 0, 2);
  const after = lb(`int r0; r0 = READ_ONCE(*x); if (r0 == 0) { WRITE_ONCE(*z, 1); } else { WRITE_ONCE(*w, 1); } WRITE_ONCE(*y, 1);`);
  expectAgreement(after, "Sometimes", 1, 3);
});

test("smp_rmb() inside the if orders nothing after it", () => {
  // rmb orders reads before reads; the write after the if is unordered.
  expectAgreement(lb(`int r0; int r2; r0 = READ_ONCE(*x); if (r0) { smp_rmb(); r2 = READ_ONCE(*z); } WRITE_ONCE(*y, 1);`), "Sometimes", 1, 3);
});

test("after a nested if, the outer if's dependency still holds", () => {
  // W y follows the inner if but lies in the outer branch: ctrl-dependent on r0.
  const nested = lb(`int r0; int r2; r0 = READ_ONCE(*x); if (r0) { r2 = READ_ONCE(*z); if (r2) { WRITE_ONCE(*w, 1); } WRITE_ONCE(*y, 1); }`);
  expectAgreement(nested, "Never", 0, 2);
  // After the outer if, nothing is left of it.
  const after = lb(`int r0; int r2; r0 = READ_ONCE(*x); if (r0) { r2 = READ_ONCE(*z); if (r2) { WRITE_ONCE(*w, 1); } } WRITE_ONCE(*y, 1);`);
  expectAgreement(after, "Sometimes", 1, 3);
});

test("a short-circuit && makes its right side, and only it, control-dependent", () => {
  // The right side of && runs only when the left is true (herd treats the skip as a branch);
  // a write after the expression is not covered.
  const text = lb(`int r0; int r2; r0 = READ_ONCE(*x); r2 = r0 && READ_ONCE(*z); WRITE_ONCE(*y, 1);`);
  assert.equal(runLkmm(text).verdict.observation, "Sometimes");
  expectAgreement(text, "Sometimes", 1, 3);
});

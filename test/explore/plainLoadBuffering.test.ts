// A read→write pair with a plain end is not in LKMM's happens-before
// (linux-kernel.cat: `hb = [Marked] ; (ppo | rfe | ...) ; [Marked]`), so a
// dependency from or to a plain access orders nothing, and a load-buffering
// cycle through such a pair is allowed, and the optimal explorer must
// build it. A plain access bounded by a
// fence (a release, an acquire, smp_mb()) is another matter: the cat file's
// plain-coherence axiom (`wr-incoh`: no read from a write it is
// `rw-xbstar`-before) forbids the cycle all the same. The default strategy
// must agree with candidates on every figure, and each verdict follows
// from the cat file.

import { test } from "node:test";
import assert from "node:assert/strict";
import { bothStrategies, runLkmm } from "../litmus/lkmmStrategies.ts";

const lb = (p0: string, p1: string) =>
  `C LB-plain\n{}\nP0(int *x, int *y)\n{\n${p0}\n}\nP1(int *x, int *y)\n{\n${p1}\n}\nexists (0:r0=1 /\\ 1:r1=1)\n`;

/** P1 orders its read before its write (acquire): the cycle's only questionable segment is P0's. */
const P1_ACQUIRE = `int r1; r1 = smp_load_acquire(y); WRITE_ONCE(*x, 1);`;

const dependencyOnly: readonly [string, string][] = [
  ["plain read, data-dependent marked write", `int r0; r0 = *x; WRITE_ONCE(*y, r0);`],
  ["marked read, data-dependent plain write", `int r0; r0 = READ_ONCE(*x); *y = r0;`],
  ["marked read, ctrl-dependent plain write", `int r0; r0 = READ_ONCE(*x); if (r0) { *y = 1; }`],
  ["plain read, ctrl-dependent marked write", `int r0; r0 = *x; if (r0) { WRITE_ONCE(*y, 1); }`],
];

for (const [name, p0] of dependencyOnly) {
  test(`LB through a dependency with a plain end is allowed: ${name}`, () => {
    const text = lb(p0, P1_ACQUIRE);
    const { auto, oracle } = bothStrategies(text);
    assert.deepEqual(auto, oracle);
    assert.equal(auto.observation, "Sometimes");
    assert.equal(auto.positive, 1);
    // A plain access and a marked one of another thread, unordered: a data race.
    assert.deepEqual(auto.flags, ["data-race"]);
  });
}

const fenceBounded: readonly [string, string][] = [
  ["plain read, release write", `int r0; r0 = *x; smp_store_release(y, 1);`],
  ["plain read, smp_mb(), marked write", `int r0; r0 = *x; smp_mb(); WRITE_ONCE(*y, 1);`],
  ["marked read, smp_mb(), plain write", `int r0; r0 = READ_ONCE(*x); smp_mb(); *y = 1;`],
  ["acquire read, plain write", `int r0; r0 = smp_load_acquire(x); *y = 1;`],
];

for (const [name, p0] of fenceBounded) {
  test(`LB through a fence-bounded plain access is forbidden by plain-coherence: ${name}`, () => {
    const { auto, oracle } = bothStrategies(lb(p0, P1_ACQUIRE));
    assert.deepEqual(auto, oracle);
    // r0 = r1 = 1 is the one execution of the four that is lost.
    assert.deepEqual([auto.observation, auto.positive, auto.negative], ["Never", 0, 3]);
  });
}

test("with both ends marked the same pairs are ordered: the cycle is forbidden", () => {
  for (const p0 of [
    `int r0; r0 = READ_ONCE(*x); smp_store_release(y, 1);`,
    `int r0; r0 = READ_ONCE(*x); smp_mb(); WRITE_ONCE(*y, 1);`,
    `int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, r0);`,
  ]) {
    const run = runLkmm(lb(p0, P1_ACQUIRE));
    assert.equal(run.strategy, "optimal", p0);
    assert.deepEqual([run.verdict.observation, run.holds], ["Never", 0], p0);
    assert.deepEqual(run.verdict, runLkmm(lb(p0, P1_ACQUIRE), "candidates").verdict, p0);
  }
});

test("a chain through rcu_dereference and a release of the pointer read", () => {
  // P0 reads a pointer with rcu_dereference, reads through it plainly, and
  // publishes with a release; P1 closes the cycle with acquire. The plain
  // read through the pointer sits between two marked accesses, but the
  // read→write pair the cycle uses (the rcu_dereference and the release) is
  // marked at both ends and ordered: forbidden. Reading the pointee plainly
  // does not make the marked pair unordered.
  const text = `C LB-rcu-deref
{ int *p = &z; int z = 1; }
P0(int **p, int *y, int *z)
{
  int *r0; int r2;
  r0 = rcu_dereference(*p);
  r2 = *r0;
  smp_store_release(y, 1);
}
P1(int **p, int *y, int *x)
{
  int r1;
  r1 = smp_load_acquire(y);
  WRITE_ONCE(*p, x);
}
exists (0:r0=x /\\ 1:r1=1)
`;
  const { auto, oracle } = bothStrategies(text);
  assert.deepEqual(auto, oracle);
  assert.equal(auto.observation, "Never");
});

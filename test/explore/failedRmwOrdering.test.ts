// A failed RMW is a lone read without its annotation's ordering
// (linux-kernel.bell: `Acquire = ACQUIRE \ W \ FailedRMW`; lock.cat: a
// failed spin_trylock, LF, has no ordering): a cycle through one is
// allowed, and the optimal explorer must build it; likewise for a write
// computed from a trylock's result, which herd gives as a constant.
// Verdicts follow from the cat files; the default strategy must agree with
// candidate enumeration on every figure.

import { test } from "node:test";
import assert from "node:assert/strict";
import { bothStrategies } from "../litmus/lkmmStrategies.ts";

test("LB through a failed cmpxchg_acquire is allowed", () => {
  // x never holds 5: the cmpxchg always fails, and its read orders nothing.
  // r0 ∈ {0, P1's x}, r1 ∈ {0, 1}: four executions, the cycle among them.
  const text = `C LB+cmpxchg-acquire-fails
{}
P0(int *x, int *y) { int r0; r0 = cmpxchg_acquire(x, 5, 2); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r1; r1 = READ_ONCE(*y); WRITE_ONCE(*x, r1); }
exists (0:r0=1 /\\ 1:r1=1)
`;
  const { auto, oracle } = bothStrategies(text);
  assert.deepEqual(auto, oracle);
  assert.deepEqual([auto.observation, auto.positive, auto.negative], ["Sometimes", 1, 3]);
});

test("the same cmpxchg_acquire, when it succeeds, orders its write: the cycle is forbidden", () => {
  // Expecting 1, it succeeds exactly in the cycle's execution, whose acquire then forbids it.
  const text = `C LB+cmpxchg-acquire-succeeds
{}
P0(int *x, int *y) { int r0; r0 = cmpxchg_acquire(x, 1, 2); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r1; r1 = READ_ONCE(*y); WRITE_ONCE(*x, r1); }
exists (0:r0=1 /\\ 1:r1=1)
`;
  const { auto, oracle } = bothStrategies(text);
  assert.deepEqual(auto, oracle);
  assert.deepEqual([auto.observation, auto.positive], ["Never", 0]);
});

test("LB through a failed spin_trylock is allowed", () => {
  // P0's trylock fails by reading P1's lock write; LF orders nothing, so the
  // write after it may come first, and P1 may read it before taking the lock.
  const text = `C LB+trylock-fails
{}
P0(int *y, spinlock_t *s) { int r2; r2 = spin_trylock(s); WRITE_ONCE(*y, 1); }
P1(int *y, spinlock_t *s) { int r1; r1 = READ_ONCE(*y); smp_mb(); spin_lock(s); spin_unlock(s); }
exists (0:r2=0 /\\ 1:r1=1)
`;
  const { auto, oracle } = bothStrategies(text);
  assert.deepEqual(auto, oracle);
  assert.deepEqual([auto.observation, auto.positive, auto.negative], ["Sometimes", 1, 2]);
});

test("a failing cmpxchg_acquire reads any coherence-earlier write, also under the optimal explorer", () => {
  // No cycle is possible (every read→write pair is ordered by acquire or
  // release), so the optimal explorer runs; the cmpxchg fails unless it reads
  // 1, and may read the initial value or any of three writes, some added after it.
  const text = `C cmpxchg-acquire-fails-among-writers
{}
P0(int *x, int *y) { int r0; int r1; r0 = cmpxchg_acquire(x, 1, 3); r1 = smp_load_acquire(y); }
P1(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }
P2(int *x) { WRITE_ONCE(*x, 2); }
P3(int *x, int *y) { int r2; r2 = smp_load_acquire(y); smp_store_release(x, 4); }
exists (0:r0=2 /\\ 0:r1=1)
`;
  const { auto, oracle } = bothStrategies(text);
  assert.deepEqual(auto, oracle);
  assert.equal(auto.observation, "Sometimes");
});

test("no dependency starts at spin_trylock's result: a write computed from it is unordered", () => {
  // herd gives trylock's result as a constant, not a value read. P1's
  // trylock fails by reading P0's lock write, which P0 makes after reading
  // z; P1's write of z (its trylock result, 0) may still be what P0 read.
  // Executions: P0 locks and P1 fails, P0 reading z from the initial value
  // or from P1's 0 (the cycle); or P1 locks, P0 reading 0 or P1's 1.
  const text = `C LB+trylock-result
{}
P0(int *z, spinlock_t *s) { int r0; int r1; r0 = smp_load_acquire(z); r1 = spin_trylock(s); }
P1(int *z, spinlock_t *s) { int r0; r0 = spin_trylock(s); WRITE_ONCE(*z, r0); }
exists (0:r0=1)
`;
  const { auto, oracle } = bothStrategies(text);
  assert.deepEqual(auto, oracle);
  assert.deepEqual([auto.observation, auto.positive, auto.negative], ["Sometimes", 1, 3]);
});

// LKMM with spinlocks (lock.cat), on the corpus' lock tests. A lock is a
// location holding 0/1: spin_lock an RMW tagged `lock` reading 0 and
// writing 1, spin_unlock a write of 0 tagged `unlock` (see locks.ts for why
// these graphs are exactly herd7's candidates).

import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "./graphBuilder.ts";
import { expectLkmm } from "./expect.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { bothStrategies } from "../litmus/lkmmStrategies.ts";
import { randomLockLitmus } from "../litmus/randomLockLitmus.ts";

test("MP+polocks: forbidden", () => {
  const b = new GraphBuilder({ buf: 0, flag: 0, m: 0 });
  const t0 = b.thread();
  t0.write("buf", 1);
  t0.spinLock("m");
  const wflag = t0.write("flag", 1);
  const ul0 = t0.spinUnlock("m");
  const t1 = b.thread();
  const [lkr1] = t1.spinLock("m");
  const rflag = t1.read("flag");
  t1.spinUnlock("m");
  t1.read("buf");
  b.rf(lkr1, ul0).rf(rflag, wflag);
  expectLkmm(b.build(), "happens-before", false);
});

test("MP+polocks, the consumer's critical section first: consistent", () => {
  const b = new GraphBuilder({ buf: 0, flag: 0, m: 0 });
  const t0 = b.thread();
  const wbuf = t0.write("buf", 1);
  const [lkr0, lkw0] = t0.spinLock("m");
  t0.write("flag", 1);
  const ul0 = t0.spinUnlock("m");
  const t1 = b.thread();
  const [, lkw1] = t1.spinLock("m");
  t1.read("flag");
  const ul1 = t1.spinUnlock("m");
  const rbuf = t1.read("buf");
  b.rf(lkr0, ul1).rf(rbuf, wbuf).co("m", lkw1, ul1, lkw0, ul0);
  expectLkmm(b.build(), undefined, true);
});

test("MP+porevlocks: forbidden", () => {
  const b = new GraphBuilder({ buf: 0, flag: 0, m: 0 });
  const t0 = b.thread();
  const rflag = t0.read("flag");
  const [lkr0, lkw0] = t0.spinLock("m");
  t0.read("buf");
  const ul0 = t0.spinUnlock("m");
  const t1 = b.thread();
  const [, lkw1] = t1.spinLock("m");
  t1.write("buf", 1);
  const ul1 = t1.spinUnlock("m");
  const wflag = t1.write("flag", 1);
  b.rf(rflag, wflag).rf(lkr0, ul1).co("m", lkw1, ul1, lkw0, ul0);
  expectLkmm(b.build(), "happens-before", false);
});

test("Lock-outside-across: forbidden", () => {
  const b = new GraphBuilder({ x: 0, y: 0, sp: 0 });
  const t0 = b.thread();
  t0.write("x", 1);
  t0.spinLock("sp");
  t0.read("y");
  const ul0 = t0.spinUnlock("sp");
  const t1 = b.thread();
  const [lkr1] = t1.spinLock("sp");
  t1.write("y", 1);
  t1.spinUnlock("sp");
  t1.read("x");
  b.rf(lkr1, ul0);
  expectLkmm(b.build(), "happens-before", false);
});

test("LB+unlocklockonceonce+poacquireonce: forbidden (unlock then lock orders a thread's accesses)", () => {
  const b = new GraphBuilder({ x: 0, y: 0, s: 0, t: 0 });
  const t0 = b.thread();
  t0.spinLock("s");
  const rx = t0.read("x");
  t0.spinUnlock("s");
  t0.spinLock("t");
  const wy = t0.write("y", 1);
  t0.spinUnlock("t");
  const t1 = b.thread();
  const ry = t1.read("y", "acquire");
  const wx = t1.write("x", 1);
  b.rf(rx, wx).rf(ry, wy);
  expectLkmm(b.build(), "happens-before", false);
});

test("MP+unlocklockonceonce+fencermbonceonce: forbidden", () => {
  const b = new GraphBuilder({ x: 0, y: 0, s: 0, t: 0 });
  const t0 = b.thread();
  t0.spinLock("s");
  t0.write("x", 1);
  t0.spinUnlock("s");
  t0.spinLock("t");
  const wy = t0.write("y", 1);
  t0.spinUnlock("t");
  const t1 = b.thread();
  const ry = t1.read("y");
  t1.fence("rmb");
  t1.read("x");
  b.rf(ry, wy);
  expectLkmm(b.build(), "happens-before", false);
});

/** ISA2 / Z6.0 with P0 and P1 in critical sections of one lock, P0's first. */
function lockedPair(b: GraphBuilder, afterSpinlock: boolean) {
  const t0 = b.thread();
  t0.spinLock("l");
  t0.write("x", 1);
  const wy = t0.write("y", 1);
  const ul0 = t0.spinUnlock("l");
  const t1 = b.thread();
  const [lkr1] = t1.spinLock("l");
  if (afterSpinlock) t1.fence("after-spinlock");
  const ry = t1.read("y");
  const wz = t1.write("z", 1);
  t1.spinUnlock("l");
  b.rf(lkr1, ul0).rf(ry, wy);
  return wz;
}

test("ISA2+pooncelock+pooncelock+pombonce: forbidden", () => {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0, l: 0 });
  const wz = lockedPair(b, false);
  const t2 = b.thread();
  const rz = t2.read("z");
  t2.fence("mb");
  t2.read("x");
  b.rf(rz, wz);
  expectLkmm(b.build(), "happens-before", false);
});

function z60(afterSpinlock: boolean) {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0, l: 0 });
  const wz1 = lockedPair(b, afterSpinlock);
  const t2 = b.thread();
  const wz2 = t2.write("z", 2);
  t2.fence("mb");
  t2.read("x");
  b.co("z", wz1, wz2);
  return b.build();
}

test("Z6.0+pooncelock+pooncelock+pombonce: allowed", () => expectLkmm(z60(false), undefined, false));
test("Z6.0+pooncelock+poonceLock+pombonce (smp_mb__after_spinlock): forbidden", () =>
  expectLkmm(z60(true), "propagation", false));

/** MP+polock{mb}once+poacquiresilsil: r1 = acquire x = 1, r2 = spin_is_locked = 0 (initial), r3 = 1 (P0's LKW). */
function silsil(afterSpinlock: boolean) {
  const b = new GraphBuilder({ x: 0, lo: 0 });
  const t0 = b.thread();
  const [, lkw] = t0.spinLock("lo");
  if (afterSpinlock) t0.fence("after-spinlock");
  const wx = t0.write("x", 1);
  t0.spinUnlock("lo");
  const t1 = b.thread();
  const rx = t1.read("x", "acquire");
  t1.spinIsLocked("lo");
  const r3 = t1.spinIsLocked("lo");
  b.rf(rx, wx).rf(r3, lkw);
  return b.build();
}

test("MP+polockonce+poacquiresilsil: allowed", () => expectLkmm(silsil(false), undefined, false));
test("MP+polockmbonce+poacquiresilsil: forbidden", () => expectLkmm(silsil(true), "happens-before", false));

test("spinlock-is-locked-self: the one consistent execution", () => {
  const b = new GraphBuilder({ lo: 0 });
  const t0 = b.thread();
  t0.spinIsLocked("lo");
  const [, lkw] = t0.spinLock("lo");
  const r2 = t0.spinIsLocked("lo");
  const ul = t0.spinUnlock("lo");
  const r3 = t0.spinIsLocked("lo");
  b.rf(r2, lkw).rf(r3, ul);
  expectLkmm(b.build(), undefined, true);
});

test("spinlock-is-locked-self: spin_is_locked() false inside the critical section breaks nested-is-locked", () => {
  const b = new GraphBuilder({ lo: 0 });
  const t0 = b.thread();
  t0.spinIsLocked("lo");
  t0.spinLock("lo");
  t0.spinIsLocked("lo"); // reads the initial 0
  const ul = t0.spinUnlock("lo");
  const r3 = t0.spinIsLocked("lo");
  b.rf(r3, ul);
  expectLkmm(b.build(), "nested-is-locked", false);
});

test("spinlock-is-locked-self: spin_is_locked() true before taking the lock breaks coherence", () => {
  const b = new GraphBuilder({ lo: 0 });
  const t0 = b.thread();
  const r1 = t0.spinIsLocked("lo");
  const [, lkw] = t0.spinLock("lo");
  const r2 = t0.spinIsLocked("lo");
  const ul = t0.spinUnlock("lo");
  const r3 = t0.spinIsLocked("lo");
  b.rf(r1, lkw).rf(r2, lkw).rf(r3, ul);
  expectLkmm(b.build(), "coherence", false);
});

test("a failed spin_trylock reads another thread's LKW and orders nothing", () => {
  const b = new GraphBuilder({ x: 0, l: 0 });
  const t0 = b.thread();
  t0.write("x", 1);
  const [, lkw] = t0.spinLock("l");
  t0.spinUnlock("l");
  const t1 = b.thread();
  const lf = t1.spinTrylockFailed("l");
  t1.read("x"); // sees 0: neither LKW releases nor LF acquires
  b.rf(lf, lkw);
  expectLkmm(b.build(), undefined, false);
});

test("a spin_trylock that succeeds acquires like spin_lock", () => {
  const b = new GraphBuilder({ x: 0, l: 0 });
  const t0 = b.thread();
  t0.write("x", 1);
  const ul0 = t0.spinUnlock("l"); // the lock starts held by P0 in this shape: unlock, no lock
  const t1 = b.thread();
  const [lkr1] = t1.spinLock("l");
  t1.read("x");
  b.rf(lkr1, ul0);
  expectLkmm(b.build(), "happens-before", false);
});

/** P0 and P1 each take lock l and have not released it; P2 unlocked it between them without holding it. */
function twoHolders() {
  const b = new GraphBuilder({ l: 0 });
  const [, lkw0] = b.thread().spinLock("l");
  const t1 = b.thread();
  const [lkr1, lkw1] = t1.spinLock("l");
  const ul2 = b.thread().spinUnlock("l");
  b.rf(lkr1, ul2).co("l", lkw0, ul2, lkw1);
  return b.build();
}

test("unmatched-locks: two critical sections left open is no complete execution, though a graph whose threads may go on is consistent", () => {
  const g = twoHolders();
  // Either thread may still unlock l: not yet a violation.
  assert.equal(lkmm.isConsistent(g), true);
  assert.equal(lkmm.consistentOnceComplete!(g), false);
  assert.equal(lkmm.violatedAxiom(g), "unmatched-locks");
});

test("unmatched-locks: the two holders release the lock in turn, and the execution is consistent", () => {
  const b = new GraphBuilder({ l: 0 });
  const t0 = b.thread();
  const [, lkw0] = t0.spinLock("l");
  const ul0 = t0.spinUnlock("l");
  const t1 = b.thread();
  const [lkr1, lkw1] = t1.spinLock("l");
  const ul1 = t1.spinUnlock("l");
  const ul2 = b.thread().spinUnlock("l");
  b.rf(lkr1, ul2).co("l", lkw0, ul2, lkw1, ul0, ul1);
  expectLkmm(b.build(), undefined, true);
});

test("LKMM: a trylock that fails, then an unlock of the lock another thread holds: the explorer finds candidate enumeration's executions", () => {
  const text = `C stray-unlock

{}

P0(spinlock_t *lk)
{
	spin_lock(lk);
	spin_unlock(lk);
}

P1(spinlock_t *lk)
{
	int r0;

	r0 = spin_trylock(lk);
	spin_unlock(lk);
}

P2(spinlock_t *lk)
{
	spin_lock(lk);
	spin_unlock(lk);
}

exists (1:r0=1)
`;
  const { auto, oracle } = bothStrategies(text);
  assert.deepEqual(auto, oracle);
  assert.equal(auto.negative, 16);
});

test("LKMM: random spin_lock and spin_trylock litmus tests, an unlock after a failed trylock among them, give candidate enumeration's answers", () => {
  let strays = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const text = randomLockLitmus(seed, "spin");
    if (text.includes("spin_trylock")) strays++;
    const { auto, oracle } = bothStrategies(text);
    assert.deepEqual(auto, oracle, `seed ${seed}\n${text}`);
  }
  assert.ok(strays >= 30, `only ${strays} programs with a trylock`);
});

test("lock events carry no access annotation: an LKW is not a release, smp_mb__after_atomic ignores locks", () => {
  const b = new GraphBuilder({ x: 0, y: 0, l: 0, k: 0 });
  for (const [mine, other, lock] of [["x", "y", "l"], ["y", "x", "k"]] as const) {
    const t = b.thread();
    t.write(mine, 1);
    t.spinLock(lock);
    t.fence("after-atomic");
    t.read(other);
  }
  expectLkmm(b.build(), undefined, false);
});

test("flags: an unlock without its lock is flagged unmatched-unlock", () => {
  const b = new GraphBuilder({ l: 0 });
  b.thread().spinUnlock("l");
  assert.deepEqual(lkmm.flags!(b.build()), ["unmatched-unlock"]);
});

/** RM-broken: P1 reads x twice inside its critical section and sees P0's write appear in between. */
function rmBroken(p0First: boolean) {
  const b = new GraphBuilder({ x: 0, y: 0, lck: 0 });
  const t0 = b.thread();
  const [lkr0, lkw0] = t0.spinLock("lck");
  const [ry0, wy0] = t0.rmw("y", 1, "mb"); // atomic_inc_return(y)
  const wx = t0.write("x", 1);
  const ul0 = t0.spinUnlock("lck");
  const t1 = b.thread();
  const [lkr1, lkw1] = t1.spinLock("lck");
  t1.read("x");
  const r1 = t1.read("x");
  const [ry1, wy1] = t1.rmw("y", 2, "mb");
  const ul1 = t1.spinUnlock("lck");
  b.rf(r1, wx);
  if (p0First) b.rf(lkr1, ul0).rf(ry1, wy0).co("y", wy0, wy1).co("lck", lkw0, ul0, lkw1, ul1);
  else b.rf(lkr0, ul1).rf(ry0, wy1).co("y", wy1, wy0).co("lck", lkw1, ul1, lkw0, ul0);
  return b.build();
}

test("RM-broken: no execution passes the filter (r0=0, r1=1), whichever critical section comes first", () => {
  expectLkmm(rmBroken(true), "happens-before", false);
  expectLkmm(rmBroken(false), "happens-before", false);
});

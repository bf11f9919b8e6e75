// Kernel primitives, compiled and driven by hand: the operations each
// yields as linux-kernel.def defines it (kind, location, mode, tags, the
// RMW update and failure mode), and the values calls return.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { RmwOp } from "../../src/program/operation.ts";
import { compile, deps, driveThread, loc, summarize } from "./driveThread.ts";



test("spin_lock, spin_unlock, spin_trylock, spin_is_locked", () => {
  const c = compile(`C locks
{ spinlock_t s; }
P0(spinlock_t *s, int *x) {
	int r1; int r2; int r3;
	r1 = spin_is_locked(s);
	spin_lock(s);
	WRITE_ONCE(*x, 1);
	spin_unlock(s);
	r2 = spin_trylock(s);
	r3 = spin_trylock(s);
}
exists (0:r1=0)
`);
  const run = driveThread(c, "P0", [0, 0, 0, 1]);
  assert.deepEqual(run.ops.map(summarize), [
    { kind: "read", loc: "s", mode: "once", tags: ["islocked"] },
    { kind: "rmw", loc: "s", mode: "acquire", tags: ["lock"] },
    { kind: "write", loc: "x", mode: "once", value: 1 },
    { kind: "write", loc: "s", mode: "release", value: 0, tags: ["unlock"] },
    { kind: "rmw", loc: "s", mode: "acquire", tags: ["lock"] },
    { kind: "rmw", loc: "s", mode: "acquire", tags: ["lock"] },
  ]);
  const lock = run.ops[1] as RmwOp;
  assert.ok(lock.until, "spin_lock waits");
  assert.equal(lock.until(0), true);
  assert.equal(lock.until(1), false);
  assert.equal(lock.update(0), 1);
  const trylock = run.ops[4] as RmwOp;
  assert.equal(trylock.until, undefined);
  assert.equal(trylock.update(0), 1);
  assert.equal(trylock.update(1), undefined);
  assert.deepEqual(run.ops.map((o) => o.name), ["spin_is_locked", "spin_lock", "WRITE_ONCE", "spin_unlock", "spin_trylock", "spin_trylock"]);
  assert.deepEqual(run.result, { r1: 0, r2: 1, r3: 0 });
  assert.equal(driveThread(c, "P0", [1, 0, 0, 0]).result.r1, 1);
});

test("SRCU: lock reads the domain, unlock writes the index back with a data dependency", () => {
  const c = compile(`C srcu
{}
P0(struct srcu_struct *ss, int *x) {
	int idx;
	idx = srcu_read_lock(ss);
	WRITE_ONCE(*x, 1);
	srcu_read_unlock(ss, idx);
	smp_mb__after_srcu_read_unlock();
	idx = srcu_down_read(ss);
	srcu_up_read(ss, idx);
}
P1(struct srcu_struct *ss) {
	synchronize_srcu(ss);
	synchronize_srcu_expedited(ss);
}
exists (0:idx=0)
`);
  const run = driveThread(c, "P0", [0, 0]);
  assert.deepEqual(run.ops.map(summarize), [
    { kind: "read", loc: "ss", mode: "once", tags: ["srcu-lock"] },
    { kind: "write", loc: "x", mode: "once", value: 1 },
    { kind: "write", loc: "ss", mode: "once", value: 0, tags: ["srcu-unlock"] },
    { kind: "fence", fence: "after-srcu-read-unlock" },
    { kind: "read", loc: "ss", mode: "once", tags: ["srcu-lock"] },
    { kind: "write", loc: "ss", mode: "once", value: 0, tags: ["srcu-unlock"] },
  ]);
  assert.deepEqual(deps(run.ops[2]!).data, [0]);
  assert.deepEqual(deps(run.ops[5]!).data, [4]);
  const sync = driveThread(c, "P1");
  assert.deepEqual(sync.ops.map(summarize), [
    { kind: "fence", fence: "sync-srcu", loc: "ss" },
    { kind: "fence", fence: "sync-srcu", loc: "ss" },
  ]);
});

test("cmpxchg succeeding and failing, and its orderings", () => {
  const c = compile(`C cmpxchg
{}
P0(int *x, int *y) {
	int r0; int r1; int r2; int r3;
	r0 = READ_ONCE(*y);
	r1 = cmpxchg(x, r0, 2);
	r2 = cmpxchg_relaxed(x, 0, 1);
	r2 = cmpxchg_acquire(x, 0, 1);
	r3 = cmpxchg_release(x, 0, r1);
	r3 = atomic_cmpxchg(x, 0, 1);
}
exists (0:r1=1)
`);
  const run = driveThread(c, "P0", [1, 1, 0, 5, 0, 0]);
  const rmws = run.ops.slice(1) as RmwOp[];
  assert.deepEqual(
    rmws.map((o) => [o.name, o.mode, o.failMode]),
    [
      ["cmpxchg", "mb", "mb"],
      ["cmpxchg_relaxed", "relaxed", "relaxed"],
      ["cmpxchg_acquire", "acquire", "acquire"],
      ["cmpxchg_release", "release", "release"],
      ["atomic_cmpxchg", "mb", "mb"],
    ],
  );
  const first = rmws[0]!;
  assert.equal(first.update(1), 2, "succeeds when the old value is the expected one");
  assert.equal(first.update(0), undefined, "fails otherwise");
  assert.deepEqual(deps(first), { addr: [], data: [0], ctrl: [] });
  assert.deepEqual(deps(rmws[3]!).data, [1], "depends on the register holding the first cmpxchg's result");
  assert.deepEqual(run.result, { r0: 1, r1: 1, r2: 5, r3: 0 });
});

test("xchg and atomic read-modify-writes: modes, tags, results", () => {
  const c = compile(`C atomics
{ atomic_t a = ATOMIC_INIT(1); }
P0(atomic_t *a, int *x) {
	int r[0]; 
}
exists (a=1)
`.replace("int r[0]; ", `int r0; int r1; int r2; int r3; int r4; int r5; int r6; int r7; int r8; int r9;
	r0 = xchg(x, 1);
	r1 = xchg_relaxed(x, 2);
	atomic_inc(a);
	atomic_sub(3, a);
	atomic_andnot(4, a);
	r2 = atomic_add_return(5, a);
	r3 = atomic_fetch_add_release(5, a);
	r4 = atomic_inc_return_acquire(a);
	r5 = atomic_dec_and_test(a);
	r6 = atomic_add_negative_relaxed(-2, a);
	r7 = atomic_add_unless(a, 1, 5);
	r8 = atomic_read(a);
	atomic_set_release(a, r8);
	r9 = atomic_xchg_acquire(a, 0);`));
  assert.equal(c.model.initial[loc(c, "a").id], 1);
  const answers = [0, 1, 10, 10, 12, 3, 4, 1, 1, 5, 5, 7, 2];
  const run = driveThread(c, "P0", answers);
  assert.deepEqual(
    run.ops.map((o) => [o.name, o.kind, summarize(o).mode, o.tags ?? []]),
    [
      ["xchg", "rmw", "mb", []],
      ["xchg_relaxed", "rmw", "relaxed", []],
      ["atomic_inc", "rmw", "relaxed", ["noreturn"]],
      ["atomic_sub", "rmw", "relaxed", ["noreturn"]],
      ["atomic_andnot", "rmw", "relaxed", ["noreturn"]],
      ["atomic_add_return", "rmw", "mb", []],
      ["atomic_fetch_add_release", "rmw", "release", []],
      ["atomic_inc_return_acquire", "rmw", "acquire", []],
      ["atomic_dec_and_test", "rmw", "mb", []],
      ["atomic_add_negative_relaxed", "rmw", "relaxed", []],
      ["atomic_add_unless", "rmw", "mb", []],
      ["atomic_read", "read", "once", []],
      ["atomic_set_release", "write", "release", []],
      ["atomic_xchg_acquire", "rmw", "acquire", []],
    ],
  );
  const rmw = (i: number) => run.ops[i] as RmwOp;
  assert.equal(rmw(0).update(7), 1);
  assert.equal(rmw(2).update(10), 11);
  assert.equal(rmw(3).update(10), 7);
  assert.equal(rmw(4).update(12), 8);
  assert.equal(rmw(5).update(3), 8);
  assert.equal(rmw(10).update(5), undefined, "add_unless fails on the excluded value");
  assert.equal(rmw(10).update(4), 5);
  assert.equal(rmw(10).failMode, "mb");
  assert.deepEqual(run.result, { r0: 0, r1: 1, r2: 8, r3: 4, r4: 2, r5: 1, r6: 0, r7: 0, r8: 7, r9: 2 });
  assert.deepEqual(deps(run.ops[12]!).data, [11], "atomic_set of a value read by atomic_read");
});

test("smp_store_mb, fences and RCU", () => {
  const c = compile(`C fences
{}
P0(int *x, int **p, int *y) {
	int *r0;
	rcu_read_lock();
	r0 = rcu_dereference(*p);
	rcu_read_unlock();
	rcu_assign_pointer(*p, y);
	synchronize_rcu();
	synchronize_rcu_expedited();
	smp_store_mb(*x, 1);
	smp_mb(); smp_rmb(); smp_wmb(); barrier();
	smp_mb__before_atomic(); smp_mb__after_atomic(); smp_mb__after_spinlock(); smp_mb__after_unlock_lock();
}
exists (x=1)
`);
  const run = driveThread(c, "P0", [loc(c, "x")]);
  assert.deepEqual(run.ops.map(summarize), [
    { kind: "fence", fence: "rcu-lock" },
    { kind: "read", loc: "p", mode: "once" },
    { kind: "fence", fence: "rcu-unlock" },
    { kind: "write", loc: "p", mode: "release", value: "&y" },
    { kind: "fence", fence: "sync-rcu" },
    { kind: "fence", fence: "sync-rcu" },
    { kind: "write", loc: "x", mode: "once", value: 1 },
    { kind: "fence", fence: "mb" },
    { kind: "fence", fence: "mb" },
    { kind: "fence", fence: "rmb" },
    { kind: "fence", fence: "wmb" },
    { kind: "fence", fence: "barrier" },
    { kind: "fence", fence: "before-atomic" },
    { kind: "fence", fence: "after-atomic" },
    { kind: "fence", fence: "after-spinlock" },
    { kind: "fence", fence: "after-unlock-lock" },
  ]);
  assert.equal(run.ops[7]!.name, "smp_store_mb");
});


// LKMM's RCU and SRCU rules: the grace-period guarantee (rb irreflexive),
// nesting of rcu_read_lock/unlock, and SRCU's matching of srcu_read_lock
// with srcu_read_unlock by data dependency and srcu_struct.

import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "./graphBuilder.ts";
import { expectLkmm } from "./expect.ts";
import { LkmmGraph, lkmm } from "../../src/models/lkmm/index.ts";
import { rcuRscs, srcuRscs } from "../../src/models/lkmm/bell.ts";

/** RCU+sync+read: a reader writes x then y in its critical section; the updater sees x=1, syncs, sees y=0. */
function syncRead(reader: "rcu" | "srcu" | "none", updaterDomain = "s") {
  const b = new GraphBuilder({ x: 0, y: 0, s: 0, t: 0 });
  const t0 = b.thread();
  let lockOp = -1;
  if (reader === "rcu") t0.fence("rcu-lock");
  if (reader === "srcu") lockOp = b.op(t0.srcuReadLock("s"));
  const wx = t0.write("x", 1);
  t0.write("y", 1);
  if (reader === "rcu") t0.fence("rcu-unlock");
  if (reader === "srcu") t0.srcuReadUnlock("s", 0, lockOp);
  const t1 = b.thread();
  const rx = t1.read("x");
  if (reader === "srcu") t1.fence("sync-srcu", updaterDomain);
  else t1.fence("sync-rcu");
  t1.read("y");
  b.rf(rx, wx);
  return b.build();
}

// The outcome is SC as an interleaving of accesses (x=1, r0=1, r1=0, y=1):
// only the grace period's wait for the reader forbids it.
test("RCU+sync+read: forbidden", () => expectLkmm(syncRead("rcu"), "rcu", true));
test("RCU+sync+read without the read-side critical section: allowed", () => expectLkmm(syncRead("none"), undefined, true));
test("SRCU version of RCU+sync+read: forbidden", () => expectLkmm(syncRead("srcu"), "rcu", true));
test("SRCU grace period of another srcu_struct: allowed", () => expectLkmm(syncRead("srcu", "t"), undefined, true));

test("RCU+sync+free: forbidden", () => {
  const b = new GraphBuilder({ x: 1, y: "x", z: 1 });
  const t0 = b.thread();
  t0.fence("rcu-lock");
  const r0 = t0.read("y"); // rcu_dereference(*y): the initial &x
  const r1 = t0.read("x", "once", { deps: { addr: [b.op(r0)] } });
  t0.fence("rcu-unlock");
  const t1 = b.thread();
  t1.write("y", "z", "release");
  t1.fence("sync-rcu");
  const wx0 = t1.write("x", 0);
  b.rf(r1, wx0);
  expectLkmm(b.build(), "rcu", true);
});

test("two grace periods order two read-side critical sections", () => {
  // P0: rcu { r=x; w y }  P1: r=y; sync; w z  P2: r=z; sync; w x — reads all see the writes: a cycle.
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  const t0 = b.thread();
  t0.fence("rcu-lock");
  const rx = t0.read("x");
  const wy = t0.write("y", 1);
  t0.fence("rcu-unlock");
  const t1 = b.thread();
  const ry = t1.read("y");
  t1.fence("sync-rcu");
  const wz = t1.write("z", 1);
  const t2 = b.thread();
  const rz = t2.read("z");
  t2.fence("sync-rcu");
  const wx = t2.write("x", 1);
  b.rf(rx, wx).rf(ry, wy).rf(rz, wz);
  expectLkmm(b.build(), "rcu", false);
});

test("one grace period cannot order two read-side critical sections", () => {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  const t0 = b.thread();
  t0.fence("rcu-lock");
  const rx = t0.read("x");
  const wy = t0.write("y", 1);
  t0.fence("rcu-unlock");
  const t1 = b.thread();
  t1.fence("rcu-lock");
  const ry = t1.read("y");
  const wz = t1.write("z", 1);
  t1.fence("rcu-unlock");
  const t2 = b.thread();
  const rz = t2.read("z");
  t2.fence("sync-rcu");
  const wx = t2.write("x", 1);
  b.rf(rx, wx).rf(ry, wy).rf(rz, wz);
  expectLkmm(b.build(), undefined, false);
});

test("rcu-rscs matches nested critical sections like parentheses", () => {
  const b = new GraphBuilder({ x: 0 });
  const t = b.thread();
  const l1 = t.fence("rcu-lock");
  const l2 = t.fence("rcu-lock");
  const u2 = t.fence("rcu-unlock");
  const u1 = t.fence("rcu-unlock");
  const extra = t.fence("rcu-unlock");
  const g = b.build();
  const x = new LkmmGraph(g);
  const at = (id: number) => x.base.indexOf(id);
  assert.deepEqual([...rcuRscs(x).pairs()], [
    [at(l1), at(u1)],
    [at(l2), at(u2)],
  ]);
  assert.deepEqual(lkmm.flags!(g), ["unmatched-rcu-unlock"]);
  void extra;
});

test("srcu-rscs follows the index through memory (srcu_down_read / srcu_up_read on two CPUs)", () => {
  const b = new GraphBuilder({ s: 0, x: 0 });
  const t0 = b.thread();
  const lock = t0.srcuReadLock("s");
  const wx = t0.write("x", 0, "once", { deps: { data: [b.op(lock)] } });
  const t1 = b.thread();
  const rx = t1.read("x");
  const unlock = t1.srcuReadUnlock("s", 0, b.op(rx));
  b.rf(rx, wx);
  const g = b.build();
  const x = new LkmmGraph(g);
  assert.deepEqual([...srcuRscs(x).pairs()], [[x.base.indexOf(lock), x.base.indexOf(unlock)]]);
  assert.deepEqual(lkmm.flags!(g), []);
});

test("srcu-rscs does not chain through an srcu_read_unlock", () => {
  const b = new GraphBuilder({ s: 0 });
  const t = b.thread();
  const a = t.srcuReadLock("s");
  const u1 = t.srcuReadUnlock("s", 0, b.op(a));
  const c = t.srcuReadLock("s");
  const u2 = t.srcuReadUnlock("s", 0, b.op(c));
  b.rf(c, u1);
  const g = b.build();
  const x = new LkmmGraph(g);
  const at = (id: number) => x.base.indexOf(id);
  assert.deepEqual([...srcuRscs(x).pairs()], [
    [at(a), at(u1)],
    [at(c), at(u2)],
  ]);
  assert.equal(lkmm.violatedAxiom(g), undefined);
});

// LKMM's plain accesses: dependencies carried through plain accesses
// (dep+plain), the plain-coherence axiom and the data-race flag.

import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "./graphBuilder.ts";
import { expectLkmm } from "./expect.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";

/**
 * dep+plain: P0 reads x, stores it to z1 and z2 with plain accesses, and
 * writes y only if z2 reads back 1; P1 copies y to x with acquire/release.
 */
function depPlain(outcome: "x=y=1" | "r0 from init" | "r0 from P1") {
  const b = new GraphBuilder({ x: 0, y: 0, z1: 0, z2: 0 });
  const t0 = b.thread();
  const a = t0.read("x");
  const v = outcome === "x=y=1" ? 1 : 0;
  const wz1 = t0.write("z1", v, "plain", { deps: { data: [b.op(a)] } });
  const rz1 = t0.read("z1", "plain");
  const wz2 = t0.write("z2", v, "plain", { deps: { data: [b.op(rz1)] } });
  const rz2 = t0.read("z2", "plain");
  const wy = outcome === "x=y=1" ? t0.write("y", 1, "once", { deps: { ctrl: [b.op(rz2)] } }) : undefined;
  const t1 = b.thread();
  const r = t1.read("y", "acquire");
  const wx = t1.write("x", v, "release", { deps: { data: [b.op(r)] } });
  b.rf(rz1, wz1).rf(rz2, wz2);
  if (wy !== undefined) b.rf(r, wy);
  if (outcome !== "r0 from init") b.rf(a, wx);
  return b.build();
}

test("dep+plain: x=1 /\\ y=1 forbidden (the control dependency is carried through plain z1, z2)", () =>
  expectLkmm(depPlain("x=y=1"), "happens-before", false));

test("dep+plain: its two consistent executions raise no flag", () => {
  for (const outcome of ["r0 from init", "r0 from P1"] as const) {
    const g = depPlain(outcome);
    expectLkmm(g, undefined, true);
    assert.deepEqual(lkmm.flags!(g), [], outcome);
  }
});

/** SB with plain accesses, in its SC execution where P1 sees P0's store. */
test("SB with plain accesses: data-race", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const wx = t0.write("x", 1, "plain");
  t0.read("y", "plain");
  const t1 = b.thread();
  t1.write("y", 1, "plain");
  const rx = t1.read("x", "plain");
  b.rf(rx, wx);
  const g = b.build();
  expectLkmm(g, undefined, true);
  assert.deepEqual(lkmm.flags!(g), ["data-race"]);
});

test("SB with smp_mb and plain accesses still races (a fence orders, it does not exclude)", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const wx = t0.write("x", 1, "plain");
  t0.fence("mb");
  t0.read("y", "plain");
  const t1 = b.thread();
  t1.write("y", 1, "plain");
  t1.fence("mb");
  const rx = t1.read("x", "plain");
  b.rf(rx, wx);
  const g = b.build();
  expectLkmm(g, undefined, true);
  assert.deepEqual(lkmm.flags!(g), ["data-race"]);
});

/** MP where the data is plain and the flag is release/acquire; P1 reads the data only when it saw the flag. */
function mpPlainData(sawFlag: boolean, dataSeen: 0 | 1) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const wx = t0.write("x", 1, "plain");
  const wy = t0.write("y", 1, "release");
  const t1 = b.thread();
  const ry = t1.read("y", "acquire");
  if (sawFlag) {
    b.rf(ry, wy);
    const rx = t1.read("x", "plain", { deps: { ctrl: [b.op(ry)] } });
    if (dataSeen === 1) b.rf(rx, wx);
  }
  return b.build();
}

test("MP with plain data under release/acquire: no race", () => {
  for (const g of [mpPlainData(false, 0), mpPlainData(true, 1)]) {
    expectLkmm(g, undefined, true);
    assert.deepEqual(lkmm.flags!(g), []);
  }
});

test("MP with plain data: reading stale data after the flag breaks plain-coherence", () =>
  expectLkmm(mpPlainData(true, 0), "plain-coherence", false));

test("MP with plain data read unconditionally before seeing the flag: data-race", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  t0.write("x", 1, "plain");
  t0.write("y", 1, "release");
  const t1 = b.thread();
  t1.read("y", "acquire");
  t1.read("x", "plain");
  const g = b.build();
  expectLkmm(g, undefined, true);
  assert.deepEqual(lkmm.flags!(g), ["data-race"]);
});

test("plain accesses protected by a lock do not race", () => {
  const b = new GraphBuilder({ x: 0, l: 0 });
  const t0 = b.thread();
  t0.spinLock("l");
  const wx = t0.write("x", 1, "plain");
  const ul0 = t0.spinUnlock("l");
  const t1 = b.thread();
  const [lkr1] = t1.spinLock("l");
  const rx = t1.read("x", "plain");
  t1.spinUnlock("l");
  b.rf(lkr1, ul0).rf(rx, wx);
  const g = b.build();
  expectLkmm(g, undefined, true);
  assert.deepEqual(lkmm.flags!(g), []);
});

test("a plain write and a marked read of one location in one thread: mixed-accesses", () => {
  const b = new GraphBuilder({ x: 0 });
  const t0 = b.thread();
  const wx = t0.write("x", 1, "plain");
  const rx = t0.read("x", "once");
  b.rf(rx, wx);
  assert.deepEqual(lkmm.flags!(b.build()), ["mixed-accesses"]);
});

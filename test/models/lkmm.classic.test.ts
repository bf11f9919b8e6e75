// LKMM on the classic shapes, each built as the graph of the outcome the
// litmus test's `exists` clause asks about; the expected verdict is
// herd7's (Sometimes: allowed, Never: forbidden) from /work/shared/litmus.

import { test } from "node:test";
import { GraphBuilder } from "./graphBuilder.ts";
import { expectLkmm } from "./expect.ts";
import type { AccessMode, FenceKind } from "../../src/program/operation.ts";

/** SB: each thread writes one location then reads the other, both reads see 0. */
function sb(between?: FenceKind) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  t0.write("x", 1);
  if (between) t0.fence(between);
  t0.read("y");
  const t1 = b.thread();
  t1.write("y", 1);
  if (between) t1.fence(between);
  t1.read("x");
  return b.build();
}

test("SB+poonceonces: allowed", () => expectLkmm(sb(), undefined, false));
test("SB+fencembonceonces: forbidden", () => expectLkmm(sb("mb"), "propagation", false));
test("SB with smp_wmb only: allowed", () => expectLkmm(sb("wmb"), undefined, false));

test("SB+rfionceonce-poonceonces: allowed", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const wx = t0.write("x", 1);
  const rx = t0.read("x");
  t0.read("y");
  const t1 = b.thread();
  const wy = t1.write("y", 1);
  const ry = t1.read("y");
  t1.read("x");
  b.rf(rx, wx).rf(ry, wy);
  expectLkmm(b.build(), undefined, false);
});

/** MP: P0 writes x then y; P1 reads y=1 then x=0. */
function mp(o: { w0?: AccessMode; w1?: AccessMode; r0?: AccessMode; r1?: AccessMode; f0?: FenceKind; f1?: FenceKind; addr?: boolean; ctrl?: boolean }) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  t0.write("x", 1, o.w0);
  if (o.f0) t0.fence(o.f0);
  const wy = t0.write("y", 1, o.w1);
  const t1 = b.thread();
  const ry = t1.read("y", o.r0);
  if (o.f1) t1.fence(o.f1);
  const op = b.op(ry);
  t1.read("x", o.r1, { deps: o.addr ? { addr: [op] } : o.ctrl ? { ctrl: [op] } : undefined });
  b.rf(ry, wy);
  return b.build();
}

test("MP+poonceonces: allowed", () => expectLkmm(mp({}), undefined, false));
test("MP+fencewmbonceonce+fencermbonceonce: forbidden", () => expectLkmm(mp({ f0: "wmb", f1: "rmb" }), "happens-before", false));
test("C-MP+o-wmb-o+o-o: allowed", () => expectLkmm(mp({ f0: "wmb" }), undefined, false));
test("C-MP+o-o+o-rmb-o: allowed", () => expectLkmm(mp({ f1: "rmb" }), undefined, false));
test("MP+pooncerelease+poacquireonce: forbidden", () => expectLkmm(mp({ w1: "release", r0: "acquire" }), "happens-before", false));
test("C-MP+o-r+o-ctrl-o: allowed (a control dependency does not order reads)", () =>
  expectLkmm(mp({ w1: "release", ctrl: true }), undefined, false));
test("C-MP+o-wmb-o+o-addr-o: forbidden", () => expectLkmm(mp({ f0: "wmb", addr: true }), "happens-before", false));

test("MP+onceassign+derefonce: forbidden (address dependency through a pointer)", () => {
  const b = new GraphBuilder({ x: 0, y: 0, p: "y" });
  const t0 = b.thread();
  t0.write("x", 1);
  const wp = t0.write("p", "x", "release");
  const t1 = b.thread();
  t1.fence("rcu-lock");
  const rp = t1.read("p");
  t1.read("x", "once", { deps: { addr: [b.op(rp)] } });
  t1.fence("rcu-unlock");
  b.rf(rp, wp);
  expectLkmm(b.build(), "happens-before", false);
});

/** LB: each thread reads one location (seeing the other thread's write) then writes the other. */
function lb(o: { r0?: AccessMode; w0?: AccessMode; r1?: AccessMode; w1?: AccessMode; f0?: FenceKind; dep1?: "ctrl" | "data" | "addr"; dep0?: "ctrl" | "data" }) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const rx = t0.read("x", o.r0);
  if (o.f0) t0.fence(o.f0);
  const wy = t0.write("y", 1, o.w0, { deps: o.dep0 ? { [o.dep0]: [b.op(rx)] } : undefined });
  const t1 = b.thread();
  const ry = t1.read("y", o.r1);
  const wx = t1.write("x", 1, o.w1, { deps: o.dep1 ? { [o.dep1]: [b.op(ry)] } : undefined });
  b.rf(rx, wx).rf(ry, wy);
  return b.build();
}

test("LB+poonceonces: allowed", () => expectLkmm(lb({}), undefined, false));
test("LB+poacquireonce+pooncerelease: forbidden", () => expectLkmm(lb({ r0: "acquire", w1: "release" }), "happens-before", false));
test("LB+fencembonceonce+ctrlonceonce: forbidden", () => expectLkmm(lb({ f0: "mb", dep1: "ctrl" }), "happens-before", false));
test("C-LB+o-r+o-data-o: forbidden", () => expectLkmm(lb({ w0: "release", dep1: "data" }), "happens-before", false));
test("C-LB+o-r+o-ctrl-o: forbidden", () => expectLkmm(lb({ w0: "release", dep1: "ctrl" }), "happens-before", false));
test("C-LB+o-r+a-o: forbidden", () => expectLkmm(lb({ w0: "release", r1: "acquire" }), "happens-before", false));
test("LB with data dependencies on both sides: forbidden", () => expectLkmm(lb({ dep0: "data", dep1: "data" }), "happens-before", false));

test("C-LB+cmpxchg-ctrl-o+o-ctrl-o: forbidden (a failed cmpxchg is a marked read)", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const rx = t0.failedRmw("x", "once");
  const wy = t0.write("y", 1, "once", { deps: { ctrl: [b.op(rx)] } });
  const t1 = b.thread();
  const ry = t1.read("y");
  const wx = t1.write("x", 1, "once", { deps: { ctrl: [b.op(ry)] } });
  b.rf(rx, wx).rf(ry, wy);
  expectLkmm(b.build(), "happens-before", false);
});

/** R: P0 writes x then y=1; P1 writes y=2 (coherence-after) then reads x=0. */
function r(f0?: FenceKind, f1?: FenceKind) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  t0.write("x", 1);
  if (f0) t0.fence(f0);
  const wy1 = t0.write("y", 1);
  const t1 = b.thread();
  const wy2 = t1.write("y", 2);
  if (f1) t1.fence(f1);
  t1.read("x");
  b.co("y", wy1, wy2);
  return b.build();
}

test("R+poonceonces: allowed", () => expectLkmm(r(), undefined, false));
test("R+fencembonceonces: forbidden", () => expectLkmm(r("mb", "mb"), "propagation", false));
test("C-R+o-wmb-o+o-mb-o: allowed", () => expectLkmm(r("wmb", "mb"), undefined, false));

/** S: P0 writes x=2 then y=1; P1 reads y=1 then writes x=1, coherence-before x=2. */
function s(o: { f0?: FenceKind; r1?: AccessMode; dep?: "addr" | "data" }) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const wx2 = t0.write("x", 2);
  if (o.f0) t0.fence(o.f0);
  const wy = t0.write("y", 1);
  const t1 = b.thread();
  const ry = t1.read("y", o.r1);
  const wx1 = t1.write("x", 1, "once", { deps: o.dep ? { [o.dep]: [b.op(ry)] } : undefined });
  b.rf(ry, wy).co("x", wx1, wx2);
  return b.build();
}

test("S+poonceonces: allowed", () => expectLkmm(s({}), undefined, false));
test("S+fencewmbonceonce+poacquireonce: forbidden", () => expectLkmm(s({ f0: "wmb", r1: "acquire" }), "happens-before", false));
test("C-S+o-wmb-o+o-addr-o: forbidden", () => expectLkmm(s({ f0: "wmb", dep: "addr" }), "happens-before", false));

function twoPlusTwoW(f?: FenceKind) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const wx1 = t0.write("x", 1);
  if (f) t0.fence(f);
  const wy2 = t0.write("y", 2);
  const t1 = b.thread();
  const wy1 = t1.write("y", 1);
  if (f) t1.fence(f);
  const wx2 = t1.write("x", 2);
  b.co("x", wx2, wx1).co("y", wy2, wy1);
  return b.build();
}

test("C-2+2W+o-o+o-o: allowed", () => expectLkmm(twoPlusTwoW(), undefined, false));
test("C-2+2W+o-wmb-o+o-wmb-o: allowed (wmb does not order against overwrites)", () => expectLkmm(twoPlusTwoW("wmb"), undefined, false));
test("2+2W with smp_mb: forbidden", () => expectLkmm(twoPlusTwoW("mb"), "propagation", false));

/** WRC: P0 writes x; P1 reads it and writes y; P2 reads y=1 then x=0. */
function wrc(o: { w1?: AccessMode; dep1?: "data"; r2?: AccessMode; f2?: FenceKind }) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const wx = b.thread().write("x", 1);
  const t1 = b.thread();
  const rx = t1.read("x");
  const wy = t1.write("y", 1, o.w1, { deps: o.dep1 ? { data: [b.op(rx)] } : undefined });
  const t2 = b.thread();
  const ry = t2.read("y", o.r2);
  if (o.f2) t2.fence(o.f2);
  t2.read("x");
  b.rf(rx, wx).rf(ry, wy);
  return b.build();
}

test("WRC+poonceonces+Once: allowed", () => expectLkmm(wrc({}), undefined, false));
test("WRC+pooncerelease+fencermbonceonce+Once: forbidden", () => expectLkmm(wrc({ w1: "release", f2: "rmb" }), "happens-before", false));
test("C-WRC+o+o-data-o+o-rmb-o: allowed (no cumulativity from a dependency)", () =>
  expectLkmm(wrc({ dep1: "data", f2: "rmb" }), undefined, false));
test("C-WRC+o+o-r+a-o: forbidden", () => expectLkmm(wrc({ w1: "release", r2: "acquire" }), "happens-before", false));

/** IRIW: two writers, two readers seeing them in opposite orders. */
function iriw(f?: FenceKind) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const wx = b.thread().write("x", 1);
  const t1 = b.thread();
  const rx1 = t1.read("x");
  if (f) t1.fence(f);
  t1.read("y");
  const wy = b.thread().write("y", 1);
  const t3 = b.thread();
  const ry3 = t3.read("y");
  if (f) t3.fence(f);
  t3.read("x");
  b.rf(rx1, wx).rf(ry3, wy);
  return b.build();
}

test("IRIW+poonceonces+OnceOnce: allowed", () => expectLkmm(iriw(), undefined, false));
test("IRIW+fencembonceonces+OnceOnce: forbidden", () => expectLkmm(iriw("mb"), "propagation", false));
test("IRIW with smp_rmb: allowed (LKMM is not multicopy-atomic for rmb)", () => expectLkmm(iriw("rmb"), undefined, false));

/** ISA2: P0 writes x then y; P1 reads y, writes z; P2 reads z=1 then x=0. */
function isa2(o: { w0y?: AccessMode; r1?: AccessMode; w1?: AccessMode; r2?: AccessMode }) {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  const t0 = b.thread();
  t0.write("x", 1);
  const wy = t0.write("y", 1, o.w0y);
  const t1 = b.thread();
  const ry = t1.read("y", o.r1);
  const wz = t1.write("z", 1, o.w1);
  const t2 = b.thread();
  const rz = t2.read("z", o.r2);
  t2.read("x");
  b.rf(ry, wy).rf(rz, wz);
  return b.build();
}

test("ISA2+poonceonces: allowed", () => expectLkmm(isa2({}), undefined, false));
test("ISA2+pooncerelease+poacquirerelease+poacquireonce: forbidden", () =>
  expectLkmm(isa2({ w0y: "release", r1: "acquire", w1: "release", r2: "acquire" }), "happens-before", false));
test("C-ISA2 with a release missing in the middle: allowed", () =>
  expectLkmm(isa2({ w0y: "release", r1: "acquire", r2: "acquire" }), undefined, false));

/** Z6.0 with release/acquire: P2's write of z comes coherence-after P1's. */
test("Z6.0+pooncerelease+poacquirerelease+fencembonceonce: allowed", () => {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  const t0 = b.thread();
  t0.write("x", 1);
  const wy = t0.write("y", 1, "release");
  const t1 = b.thread();
  const ry = t1.read("y", "acquire");
  const wz1 = t1.write("z", 1, "release");
  const t2 = b.thread();
  const wz2 = t2.write("z", 2);
  t2.fence("mb");
  t2.read("x");
  b.rf(ry, wy).co("z", wz1, wz2);
  expectLkmm(b.build(), undefined, false);
});

test("an SC execution of MP is consistent", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const wx = t0.write("x", 1);
  const wy = t0.write("y", 1);
  const t1 = b.thread();
  const ry = t1.read("y");
  const rx = t1.read("x");
  b.rf(ry, wy).rf(rx, wx);
  expectLkmm(b.build(), undefined, true);
});

// LKMM on coherence (CoRR/CoRW/CoWR/CoWW), RMW atomicity and the ordering
// of RMWs: fully ordered ones, failed cmpxchg, smp_mb__{before,after}_atomic.
// Expected verdicts are herd7's from /work/shared/litmus.

import { test } from "node:test";
import { GraphBuilder } from "./graphBuilder.ts";
import { expectLkmm } from "./expect.ts";

test("CoRR+poonceonce+Once: forbidden", () => {
  const b = new GraphBuilder({ x: 0 });
  const wx = b.thread().write("x", 1);
  const t1 = b.thread();
  const r0 = t1.read("x");
  t1.read("x");
  b.rf(r0, wx);
  expectLkmm(b.build(), "coherence", false);
});

test("CoRW+poonceonce+Once: forbidden", () => {
  const b = new GraphBuilder({ x: 0 });
  const t0 = b.thread();
  const r = t0.read("x");
  const wx1 = t0.write("x", 1);
  const wx2 = b.thread().write("x", 2);
  b.rf(r, wx2).co("x", wx1, wx2);
  expectLkmm(b.build(), "coherence", false);
});

test("CoWR+poonceonce+Once: forbidden", () => {
  const b = new GraphBuilder({ x: 0 });
  const t0 = b.thread();
  const wx1 = t0.write("x", 1);
  const r = t0.read("x");
  const wx2 = b.thread().write("x", 2);
  b.rf(r, wx2).co("x", wx2, wx1);
  expectLkmm(b.build(), "coherence", false);
});

test("CoWW+poonceonce: forbidden", () => {
  const b = new GraphBuilder({ x: 0 });
  const t0 = b.thread();
  const wx1 = t0.write("x", 1);
  const wx2 = t0.write("x", 2);
  b.co("x", wx2, wx1);
  expectLkmm(b.build(), "coherence", false);
});

test("Atomic-RMW-ops-are-atomic-WRT-atomic_set: forbidden", () => {
  const b = new GraphBuilder({ v: 1 });
  const [, w2] = b.thread().rmw("v", 2, "mb"); // atomic_add_unless(v, 1, 0) succeeds
  const w0 = b.thread().write("v", 0); // atomic_set(v, 0)
  b.co("v", w0, w2);
  expectLkmm(b.build(), "atomic", false);
});

test("an RMW right after the write it read is atomic", () => {
  const b = new GraphBuilder({ v: 1 });
  const [, w2] = b.thread().rmw("v", 2, "mb");
  const w0 = b.thread().write("v", 0);
  b.co("v", w2, w0);
  expectLkmm(b.build(), undefined, true);
});

test("C-cmpxchg: x=1 read by cmpxchg(x,1,2) but x ends 1: forbidden", () => {
  const b = new GraphBuilder({ x: 0 });
  const [r0, w2] = b.thread().rmw("x", 2, "mb");
  const [, w1] = b.thread().rmw("x", 1, "mb");
  b.rf(r0, w1).co("x", w2, w1);
  expectLkmm(b.build(), "coherence", false);
});

test("Atomic-RMW+mb__after_atomic-is-stronger-than-acquire: forbidden", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const rx = t0.read("x");
  t0.fence("rmb");
  t0.read("y");
  const t1 = b.thread();
  t1.rmw("y", 1, "relaxed", { tags: ["noreturn"] }); // atomic_inc(y)
  t1.fence("after-atomic");
  const wx = t1.write("x", 1);
  b.rf(rx, wx);
  expectLkmm(b.build(), "happens-before", false);
});

test("the same without smp_mb__after_atomic: allowed", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const rx = t0.read("x");
  t0.fence("rmb");
  t0.read("y");
  const t1 = b.thread();
  t1.rmw("y", 1, "relaxed", { tags: ["noreturn"] });
  const wx = t1.write("x", 1);
  b.rf(rx, wx);
  expectLkmm(b.build(), undefined, false);
});

/** cmpxchg-fail-{ordered,unordered}-1: SB where each thread's cmpxchg(z, 1, 0) fails. */
function cmpxchgFailSb(afterAtomic: boolean) {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  for (const [mine, other] of [["x", "y"], ["y", "x"]] as const) {
    const t = b.thread();
    t.write(mine, 1);
    t.failedRmw("z", "once");
    if (afterAtomic) t.fence("after-atomic");
    t.read(other);
  }
  return b.build();
}

test("cmpxchg-fail-ordered-1: forbidden (smp_mb__after_atomic applies to a failed cmpxchg)", () =>
  expectLkmm(cmpxchgFailSb(true), "propagation", false));
test("cmpxchg-fail-unordered-1: allowed (a failed cmpxchg is not a full barrier)", () =>
  expectLkmm(cmpxchgFailSb(false), undefined, false));

/** cmpxchg-fail-{ordered,unordered}-2: P0's cmpxchg(y,0,1) succeeds, P1's fails reading it, then P1 reads x=0. */
function cmpxchgFailMp(afterAtomic: boolean) {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  t0.write("x", 1);
  const [, wy] = t0.rmw("y", 1, "mb");
  const t1 = b.thread();
  const ry = t1.failedRmw("y", "once");
  if (afterAtomic) t1.fence("after-atomic");
  t1.read("x");
  b.rf(ry, wy);
  return b.build();
}

test("cmpxchg-fail-ordered-2: forbidden", () => expectLkmm(cmpxchgFailMp(true), "happens-before", false));
test("cmpxchg-fail-unordered-2: allowed", () => expectLkmm(cmpxchgFailMp(false), undefined, false));

test("a failed cmpxchg annotated mb gives no ordering", () => {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  for (const [mine, other] of [["x", "y"], ["y", "x"]] as const) {
    const t = b.thread();
    t.write(mine, 1);
    t.failedRmw("z", "mb");
    t.read(other);
  }
  expectLkmm(b.build(), undefined, false);
});

test("SB with xchg (fully ordered RMW) between: forbidden", () => {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  for (const [mine, other] of [["x", "y"], ["y", "x"]] as const) {
    const t = b.thread();
    t.write(mine, 1);
    t.rmw("z", 1, "mb");
    t.read(other);
  }
  // Both xchgs read and write z: P1's reads P0's.
  const g = b.build();
  const [p0, p1] = g.threads;
  p1![1]!.rf = p0![2]!.id;
  p1![1]!.value = 1;
  expectLkmm(g, "happens-before", false);
});

test("SB with xchg_relaxed between: allowed", () => {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  const writes: number[] = [];
  const reads: number[] = [];
  for (const [mine, other] of [["x", "y"], ["y", "x"]] as const) {
    const t = b.thread();
    t.write(mine, 1);
    const [r, w] = t.rmw("z", 1, "relaxed");
    reads.push(r);
    writes.push(w);
    t.read(other);
  }
  b.rf(reads[1]!, writes[0]!);
  expectLkmm(b.build(), undefined, false);
});

test("add_unless_mb: forbidden (a successful atomic_add_unless is fully ordered)", () => {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  const t0 = b.thread();
  const wx1 = t0.write("x", 1);
  t0.rmw("z", 1, "mb");
  const wy = t0.write("y", 1);
  const t1 = b.thread();
  const ry = t1.read("y");
  const wx2 = t1.write("x", 2, "once", { deps: { ctrl: [b.op(ry)] } });
  b.rf(ry, wy).co("x", wx2, wx1);
  expectLkmm(b.build(), "happens-before", false);
});

test("smp_mb__before_atomic orders what precedes it with the RMW and what follows", () => {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  for (const [mine, other] of [["x", "y"], ["y", "x"]] as const) {
    const t = b.thread();
    t.write(mine, 1);
    t.fence("before-atomic");
    t.rmw("z", 1, "relaxed", { tags: ["noreturn"] });
    t.read(other);
  }
  const g = b.build();
  g.threads[1]![2]!.rf = g.threads[0]![3]!.id;
  g.threads[1]![2]!.value = 1;
  expectLkmm(g, "propagation", false);
});

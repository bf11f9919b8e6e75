// x86-TSO: only a write followed by a read of another location may be
// reordered (store buffering), unless a locked RMW or smp_mb() is between.

import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "./graphBuilder.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { tso } from "../../src/models/tso.ts";
import { scDeclarative } from "../../src/models/sc.ts";

function expectTso(g: ExecutionGraph, axiom: string | undefined, sc: boolean): void {
  assert.equal(tso.violatedAxiom(g), axiom, "TSO verdict");
  assert.equal(tso.isConsistent(g), axiom === undefined);
  assert.equal(scDeclarative.isConsistent(g), sc, "SC verdict");
  if (sc) assert.equal(axiom, undefined, "an SC graph must be TSO-consistent");
}

function sb(middle?: "mb" | "xchg" | "wmb") {
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  const rmws: [number, number][] = [];
  for (const [mine, other] of [["x", "y"], ["y", "x"]] as const) {
    const t = b.thread();
    t.write(mine, 1);
    if (middle === "xchg") rmws.push(t.rmw("z", 1, "mb"));
    else if (middle) t.fence(middle);
    t.read(other);
  }
  if (middle === "xchg") b.rf(rmws[1]![0], rmws[0]![1]);
  return b.build();
}

test("TSO: SB allowed (store buffering)", () => expectTso(sb(), undefined, false));
test("TSO: SB with smp_wmb allowed", () => expectTso(sb("wmb"), undefined, false));
test("TSO: SB with smp_mb forbidden", () => expectTso(sb("mb"), "tso", false));
test("TSO: SB with xchg forbidden (locked RMW)", () => expectTso(sb("xchg"), "tso", false));

test("TSO: SB with a read of its own write first (rfi) allowed", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const reads: number[] = [];
  const writes: number[] = [];
  for (const [mine, other] of [["x", "y"], ["y", "x"]] as const) {
    const t = b.thread();
    writes.push(t.write(mine, 1));
    reads.push(t.read(mine));
    t.read(other);
  }
  b.rf(reads[0]!, writes[0]!).rf(reads[1]!, writes[1]!);
  expectTso(b.build(), undefined, false);
});

test("TSO: MP forbidden", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  t0.write("x", 1);
  const wy = t0.write("y", 1);
  const t1 = b.thread();
  const ry = t1.read("y");
  t1.read("x");
  b.rf(ry, wy);
  expectTso(b.build(), "tso", false);
});

test("TSO: LB forbidden", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const rx = t0.read("x");
  const wy = t0.write("y", 1);
  const t1 = b.thread();
  const ry = t1.read("y");
  const wx = t1.write("x", 1);
  b.rf(rx, wx).rf(ry, wy);
  expectTso(b.build(), "tso", false);
});

test("TSO: IRIW forbidden (multicopy atomic)", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const wx = b.thread().write("x", 1);
  const t1 = b.thread();
  const rx = t1.read("x");
  t1.read("y");
  const wy = b.thread().write("y", 1);
  const t3 = b.thread();
  const ry = t3.read("y");
  t3.read("x");
  b.rf(rx, wx).rf(ry, wy);
  expectTso(b.build(), "tso", false);
});

test("TSO: CoRR forbidden by SC per location", () => {
  const b = new GraphBuilder({ x: 0 });
  const wx = b.thread().write("x", 1);
  const t1 = b.thread();
  const r = t1.read("x");
  t1.read("x");
  b.rf(r, wx);
  expectTso(b.build(), "uniproc", false);
});

test("TSO: an RMW overtaken by another thread's write is not atomic", () => {
  const b = new GraphBuilder({ v: 0 });
  const [, w1] = b.thread().rmw("v", 1, "mb");
  const w2 = b.thread().write("v", 2);
  b.co("v", w2, w1);
  expectTso(b.build(), "atomic", false);
});

test("TSO: an SC execution is consistent", () => {
  const b = new GraphBuilder({ x: 0, y: 0 });
  const t0 = b.thread();
  const wx = t0.write("x", 1);
  t0.read("y");
  const t1 = b.thread();
  t1.write("y", 1);
  const rx = t1.read("x");
  b.rf(rx, wx);
  expectTso(b.build(), undefined, true);
});

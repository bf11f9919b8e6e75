// LKMM's fast evaluation keeps what the program alone decides per program
// shape (programShape.ts) and shares it between graphs, and remembers its
// verdicts per shape and execution (verdictMemo.ts). These tests judge
// graphs in an order that makes the cache matter (every graph the
// explorers ask about for random programs, shuffled, so that one graph of
// a shape fills the cache and others of that shape, under other rf, co
// and values, use it), against the reference evaluation, which keeps
// nothing between graphs. The programs hold locks, trylocks, RCU and SRCU,
// dependencies (carried through memory too), and the optimal explorer's
// graphs include ones with holes (events a revisit removed, to be added
// into the hole again).

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/index.ts";
import { lkmm, lkmmReference } from "../../src/models/lkmm/index.ts";
import { forgetShapes, shapeKey } from "../../src/models/lkmm/programShape.ts";
import { executionKey } from "../../src/models/lkmm/verdictMemo.ts";
import type { MemoryModel } from "../../src/models/memoryModel.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { holeAt } from "../../src/graph/event.ts";
import { Loc } from "../../src/program/value.ts";
import type { Strategy } from "../../src/explore/explore.ts";
import { compileLitmus, parseLitmus } from "../../src/litmus/index.ts";
import { mulberry32 } from "../support/randomProgram.ts";
import { randomRcuLitmus } from "../support/randomRcuLitmus.ts";
import { randomLkmmLitmus } from "../litmus/randomLkmmLitmus.ts";

/** Copies of every graph lkmm is asked about while `strategy` explores the litmus text. */
function graphsAsked(text: string, strategy: Strategy): ExecutionGraph[] {
  const graphs: ExecutionGraph[] = [];
  const recording: MemoryModel = {
    ...lkmmReference,
    isConsistent(g) {
      graphs.push(g.clone());
      return lkmmReference.isConsistent(g);
    },
  };
  const model = compileLitmus(parseLitmus(text, "random.litmus")).model;
  explore(model, { memoryModel: recording, strategy, stopOnViolation: false, countDuplicates: false, onExecution: (g) => void graphs.push(g.clone()) });
  return graphs;
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const rnd = mulberry32(seed);
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

test("LKMM with shapes shared between graphs = the reference evaluation, on shuffled graphs of random programs", () => {
  const graphs: ExecutionGraph[] = [];
  for (let seed = 1; seed <= 60; seed++) {
    const text = randomLkmmLitmus(seed);
    graphs.push(...graphsAsked(text, "optimal"), ...graphsAsked(text, "candidates"));
  }
  for (let seed = 1; seed <= 30; seed++) graphs.push(...graphsAsked(randomRcuLitmus(seed), "optimal"), ...graphsAsked(randomRcuLitmus(seed), "candidates"));
  forgetShapes();
  /** Per shape, the verdicts its graphs got: a shape judged both ways shows the cache shared across executions. */
  const verdictsByShape = new Map<string, Set<string>>();
  const verdicts = new Map<string, number>();
  let withHoles = 0;
  for (const g of shuffled(graphs, 7)) {
    const reference = lkmmReference.violatedAxiom(g);
    assert.equal(lkmm.violatedAxiom(g), reference, `violatedAxiom differs on a graph of shape ${shapeKey(g)}`);
    assert.equal(lkmm.isConsistent(g), lkmmReference.isConsistent(g), `isConsistent differs on a graph of shape ${shapeKey(g)}`);
    if (g.holes === 0 && reference === undefined) assert.deepEqual(lkmm.flags!(g), lkmmReference.flags!(g));
    const key = shapeKey(g);
    if (!verdictsByShape.has(key)) verdictsByShape.set(key, new Set());
    verdictsByShape.get(key)!.add(reference ?? "consistent");
    verdicts.set(reference ?? "consistent", (verdicts.get(reference ?? "consistent") ?? 0) + 1);
    if (g.holes > 0) withHoles++;
  }
  const mixed = [...verdictsByShape.values()].filter((v) => v.size > 1).length;
  assert.ok(graphs.length > 4000 && verdictsByShape.size < graphs.length / 4, `${graphs.length} graphs in ${verdictsByShape.size} shapes`);
  assert.ok(mixed > 50, `only ${mixed} shapes judged more than one way`);
  assert.ok(withHoles > 0, "no graph with holes");
  for (const axiom of ["consistent", "coherence", "atomic", "happens-before", "rcu", "plain-coherence", "lock-nest", "unmatched-locks"])
    assert.ok((verdicts.get(axiom) ?? 0) > 0, `no graph judged ${axiom}: ${JSON.stringify([...verdicts])}`);
});

test("a shape names every event attribute the program decides, and not what the execution does", () => {
  const text = randomLkmmLitmus(3);
  const graphs = graphsAsked(text, "candidates").filter((g) => g.threads.every((t) => t.length >= 2));
  assert.ok(graphs.length > 0);
  const g = graphs[graphs.length - 1]!;
  const key = shapeKey(g);
  // Values and sources are the execution's.
  const other = g.clone();
  const read = other.threads.flat().find((e) => e.kind === "R");
  assert.ok(read !== undefined, "no read in the graph");
  read.value = 12345;
  assert.equal(shapeKey(other), key);
  // An access mode, an RMW's outcome, a removed event (a hole), one event fewer are the program's.
  const moded = g.clone();
  const access = moded.threads.flat().find((e) => e.kind !== "F")!;
  access.mode = access.mode === "once" ? "acquire" : "once";
  assert.notEqual(shapeKey(moded), key);
  const failed = g.clone();
  const half = failed.threads.flat().find((e) => e.kind !== "F")!;
  half.rmw = half.rmw === "none" ? "read" : "none";
  assert.notEqual(shapeKey(failed), key);
  const holed = g.clone();
  const thread = holed.threads.find((t) => t.length >= 2)!;
  thread[0] = holeAt(thread[0]!.tid, 0);
  holed.holes++;
  assert.notEqual(shapeKey(holed), key);
  assert.notEqual(shapeKey(g.restrict(g.threads.map((t) => Math.max(0, t.length - 1)))), key);
});

test("a shape follows a graph changed in place, as the explorer changes it", () => {
  const g = graphsAsked(randomLkmmLitmus(5), "candidates").find((h) => h.threads.every((t) => t.length >= 2))!;
  const key = shapeKey(g);
  const thread = g.threads.find((t) => t.some((e) => e.kind !== "F"))!;
  const at = thread.findIndex((e) => e.kind !== "F");
  const e = thread[at]!;
  // The mode, then the RMW outcome, changed on the event itself.
  const mode = e.mode;
  e.mode = mode === "once" ? "acquire" : "once";
  const moded = shapeKey(g);
  assert.notEqual(moded, key);
  e.mode = mode;
  assert.equal(shapeKey(g), key);
  const rmw = e.rmw;
  e.rmw = rmw === "none" ? "read" : "none";
  assert.notEqual(shapeKey(g), key);
  e.rmw = rmw;
  assert.equal(shapeKey(g), key);
  // The event taken out (a hole), then put back; the last event popped, then pushed again.
  thread[at] = holeAt(e.tid, e.idx);
  assert.notEqual(shapeKey(g), key);
  thread[at] = e;
  assert.equal(shapeKey(g), key);
  const last = thread.pop()!;
  assert.notEqual(shapeKey(g), key);
  thread.push(last);
  assert.equal(shapeKey(g), key);
  // Another event object with the same attributes is the same shape.
  thread[at] = { ...e };
  assert.equal(shapeKey(g), key);
  thread[at] = e;
});

test("a graph's execution key follows its sources, values, coherence and holes", () => {
  const graphs = graphsAsked(randomLkmmLitmus(9), "candidates").filter((h) => h.threads.some((t) => t.some((e) => e.kind === "R")));
  const g = graphs[graphs.length - 1]!;
  const key = executionKey(g);
  assert.equal(executionKey(g.clone()), key);
  const read = g.threads.flat().find((e) => e.kind === "R")!;
  const [rf, value] = [read.rf, read.value];
  read.rf = -1;
  assert.notEqual(executionKey(g), key);
  read.rf = rf;
  read.value = 12345;
  assert.notEqual(executionKey(g), key);
  // Values of every kind: each its own key, and the same value the same key.
  const keys = new Set<string>();
  const [p, q] = [new Loc(900, "p"), new Loc(900, "p")];
  for (const v of [0, 1, 0xfffd, 0xfffe, 0xffff, 70000, -1, 0.5, 2 ** 40, p, q]) {
    read.value = v;
    const k = executionKey(g);
    assert.ok(!keys.has(k), `value ${String(v)} has another value's key`);
    keys.add(k);
    assert.equal(executionKey(g), k);
  }
  read.value = value;
  assert.equal(executionKey(g), key);
  const order = g.co.find((o) => o.length >= 2);
  if (order !== undefined) {
    order.reverse();
    assert.notEqual(executionKey(g), key);
    order.reverse();
  }
  g.holes++;
  assert.notEqual(executionKey(g), key);
  g.holes--;
  assert.equal(executionKey(g), key);
});

test("remembered verdicts follow a graph changed in place between questions", () => {
  // Each read of each graph asked about is given, in place, every other write of its location as source (and
  // value); lkmm, asked after each change, answers as the reference evaluation does.
  let changed = 0;
  const seen = new Set<boolean>();
  for (let seed = 1; seed <= 12; seed++) {
    const graphs = graphsAsked(randomLkmmLitmus(seed), "optimal");
    for (const g of graphs.filter((_, k) => k % 5 === 0)) {
      for (const r of g.threads.flat()) {
        if (r.kind !== "R" || r.loc < 0 || r.rf < 0) continue;
        const [rf, value] = [r.rf, r.value];
        for (const w of g.co[r.loc]!) {
          r.rf = w;
          r.value = g.event(w).value;
          const verdict = lkmm.isConsistent(g);
          assert.equal(verdict, lkmmReference.isConsistent(g), `seed ${seed}: a read given another source`);
          seen.add(verdict);
          changed++;
        }
        [r.rf, r.value] = [rf, value];
        assert.equal(lkmm.isConsistent(g), lkmmReference.isConsistent(g), `seed ${seed}: the read given its source back`);
      }
    }
  }
  assert.ok(changed > 500 && seen.size === 2, `${changed} changes, verdicts ${[...seen]}`);
});

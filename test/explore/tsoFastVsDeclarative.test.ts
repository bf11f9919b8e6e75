// TSO's linear-time check and coherence bound against its declarative
// definition (the relation toolkit, tso.ts), on every graph the explorers
// visit for random programs:
//
// - every consistency question the optimal explorer or the brute-force
//   enumerator asks, and every complete execution, gets the same answer
//   (the same axiom named) from both;
// - every coherence bound is exact: for each choice of the new event (each
//   write it may read from, each coherence position), the declarative
//   uniproc and TSO axioms hold exactly for the choices at or above the
//   bound (RMW atomicity is the explorer's business, as under SC);
// - the optimal explorer under the fast model finds what brute force finds
//   under the declarative one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, type ExplorationResult } from "../../src/index.ts";
import { declarativeTsoAxioms, tso, tsoDeclarative } from "../../src/models/tso.ts";
import type { MemoryModel } from "../../src/models/memoryModel.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import type { GraphEvent } from "../../src/graph/event.ts";
import { setReadsFrom } from "../../src/explore/eventFactory.ts";
import { randomProgram } from "../support/randomProgram.ts";
import { fenceKinds, randomFencedProgram } from "../support/randomFencedProgram.ts";

interface Tally {
  graphs: number;
  verdicts: Record<string, number>;
  bounds: number;
  /** Bounds strictly between the lowest and the highest index: neither everything nor only the maximal choice. */
  interiorBounds: number;
  fences: Set<string>;
}

const newTally = (): Tally => ({ graphs: 0, verdicts: {}, bounds: 0, interiorBounds: 0, fences: new Set() });

function compare(g: ExecutionGraph, tally: Tally, where: string): string | undefined {
  const fast = tso.violatedAxiom(g);
  const declarative = tsoDeclarative.violatedAxiom(g);
  assert.equal(fast, declarative, `fast and declarative TSO disagree on a graph of ${where}`);
  assert.equal(tso.isConsistent(g), declarative === undefined);
  tally.graphs++;
  const key = declarative ?? "consistent";
  tally.verdicts[key] = (tally.verdicts[key] ?? 0) + 1;
  for (const t of g.threads) for (const e of t) if (e.kind === "F") tally.fences.add(e.fence!);
  return fast;
}

/** Every choice of e, judged declaratively (atomicity aside): exactly those at or above the bound may hold. */
function checkBound(g: ExecutionGraph, e: GraphEvent, bound: number, tally: Tally, where: string): void {
  const order = g.co[e.loc]!;
  const last = order.length - 1;
  tally.bounds++;
  if (bound > 0 && bound < last) tally.interiorBounds++;
  for (let k = 0; k <= last; k++) {
    const c = g.clone();
    if (e.kind === "R") setReadsFrom(c.threads[e.tid]![e.idx]!, c.event(order[k]!));
    else c.co[e.loc]!.splice(k + 1, 0, e.id);
    const axioms = declarativeTsoAxioms(c);
    const holds = axioms.uniproc && axioms.tso;
    const what = e.kind === "R" ? `reading coherence index ${k}` : `placed after coherence index ${k}`;
    assert.equal(holds, k >= bound, `bound ${bound} of ${last} wrong for ${e.kind} ${e.id} ${what} in ${where}`);
    compare(c, tally, where);
  }
}

function checkingModel(tally: Tally, where: string): MemoryModel {
  return {
    name: "tso",
    porfAcyclic: true,
    maximallyExtensible: true,
    isConsistent: (g) => compare(g, tally, where) === undefined,
    violatedAxiom: (g) => compare(g, tally, where),
    coherenceBound(g, e) {
      const bound = tso.coherenceBound!(g, e);
      checkBound(g, e, bound, tally, where);
      return bound;
    },
  };
}

function agree(program: { model: Parameters<typeof explore>[0]; text: string }, seed: number, tally: Tally): void {
  const where = `seed ${seed}: ${program.text}`;
  const onExecution = (g: ExecutionGraph) => void compare(g, tally, where);
  const checked = checkingModel(tally, where);
  const opt = explore(program.model, { memoryModel: checked, stopOnViolation: false, pruneStaleAwaits: false, onExecution });
  const brute = explore(program.model, { memoryModel: tsoDeclarative, strategy: "enumerate", stopOnViolation: false });
  explore(program.model, { memoryModel: checked, strategy: "enumerate", stopOnViolation: false, onExecution });
  const counts = (r: ExplorationResult) => [r.executions, r.blocked, r.deadlocks, r.assertionFailures];
  assert.deepEqual(counts(opt), counts(brute), `optimal (fast TSO) and brute force (declarative TSO) differ for ${where}`);
  assert.equal(opt.duplicates, 0, `duplicates for ${where}`);
}

test("TSO fast check and coherence bound = declarative TSO, on 300 random programs", () => {
  const tally = newTally();
  for (let seed = 5000; seed < 5300; seed++) agree(randomProgram(seed), seed, tally);
  assert.ok(tally.graphs > 10_000, `only ${tally.graphs} graphs compared`);
  for (const v of ["consistent", "uniproc", "atomic", "tso"]) assert.ok((tally.verdicts[v] ?? 0) > 0, `no graph judged ${v}: ${JSON.stringify(tally.verdicts)}`);
  assert.ok(tally.interiorBounds > 100, `only ${tally.interiorBounds} of ${tally.bounds} bounds were interior`);
});

test("... and on 300 random programs with every access mode and fence kind", () => {
  const tally = newTally();
  for (let seed = 1; seed <= 300; seed++) agree(randomFencedProgram(seed), seed, tally);
  assert.ok(tally.graphs > 10_000, `only ${tally.graphs} graphs compared`);
  for (const v of ["consistent", "uniproc", "atomic", "tso"]) assert.ok((tally.verdicts[v] ?? 0) > 0, `no graph judged ${v}: ${JSON.stringify(tally.verdicts)}`);
  assert.deepEqual([...tally.fences].sort(), [...fenceKinds].sort(), "every fence kind should appear in some graph");
  assert.ok(tally.interiorBounds > 100, `only ${tally.interiorBounds} of ${tally.bounds} bounds were interior`);
});

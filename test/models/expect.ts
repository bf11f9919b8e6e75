// Test-only: checking a hand-built graph against LKMM (the verdict herd7
// gives in the corpus) and, as a sanity check, against SC.

import assert from "node:assert/strict";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { scDeclarative } from "../../src/models/sc.ts";

/**
 * `axiom`: undefined when herd7 allows the outcome, else the axiom that
 * forbids it. `sc`: whether the graph is sequentially consistent as a
 * graph of memory accesses. An SC graph is LKMM-consistent, except that
 * RCU grace periods wait for readers, which SC over accesses cannot see.
 */
export function expectLkmm(g: ExecutionGraph, axiom: string | undefined, sc: boolean): void {
  assert.equal(lkmm.violatedAxiom(g), axiom, "LKMM verdict");
  assert.equal(lkmm.isConsistent(g), axiom === undefined, "isConsistent agrees with violatedAxiom");
  assert.equal(scDeclarative.isConsistent(g), sc, "SC verdict");
  if (sc && axiom !== "rcu") assert.equal(axiom, undefined, "an SC graph must be LKMM-consistent");
}

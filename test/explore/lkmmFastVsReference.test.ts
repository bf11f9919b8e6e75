// LKMM's fast evaluation (row-built base relations, composition and
// closure that follow the edges; only the lock and atomic axioms for a
// graph whose po ∪ rf ∪ co ∪ fr is acyclic and holds no grace period; a
// linear-time coherence check first for the others) against its reference
// evaluation (the
// same definitions over GraphRelations' pairwise base relations and the
// toolkit's seq / plus / star, as the model was first written), on every
// graph the explorers visit for random programs: every consistency
// question (partial graphs, graphs with holes, inconsistent candidates)
// gets the same answer and the same axiom named, and every complete
// execution the same herd flags. The fast evaluation also checks lock.cat's
// axioms in one pass per thread; random lock nestings exercise each.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/index.ts";
import { lkmm, lkmmReference } from "../../src/models/lkmm/index.ts";
import type { MemoryModel } from "../../src/models/memoryModel.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import type { Model } from "../../src/program/model.ts";
import type { Strategy } from "../../src/explore/explore.ts";
import { compileLitmus, parseLitmus } from "../../src/litmus/index.ts";
import { randomProgram } from "../support/randomProgram.ts";
import { randomFencedProgram } from "../support/randomFencedProgram.ts";
import { randomRcuLitmus } from "../support/randomRcuLitmus.ts";
import { randomLkmmLitmus } from "../litmus/randomLkmmLitmus.ts";
import { randomLockNesting } from "../litmus/randomLockNesting.ts";
import { hasGracePeriodEvent, sequentiallyOrdered } from "../../src/models/lkmm/sequentiallyOrdered.ts";

interface Tally {
  graphs: number;
  withHoles: number;
  executions: number;
  verdicts: Record<string, number>;
  /** Verdicts on the graphs the fast evaluation settles by their order alone. */
  orderedVerdicts: Record<string, number>;
  flags: Set<string>;
}

const newTally = (): Tally => ({ graphs: 0, withHoles: 0, executions: 0, verdicts: {}, orderedVerdicts: {}, flags: new Set() });

function compareGraph(g: ExecutionGraph, tally: Tally, where: string): void {
  const reference = lkmmReference.violatedAxiom(g);
  assert.equal(lkmm.violatedAxiom(g), reference, `fast and reference LKMM name different axioms on a graph of ${where}`);
  assert.equal(lkmm.isConsistent(g), lkmmReference.isConsistent(g), `fast and reference LKMM disagree on a graph of ${where}`);
  tally.graphs++;
  if (g.holes > 0) tally.withHoles++;
  const key = reference ?? "consistent";
  tally.verdicts[key] = (tally.verdicts[key] ?? 0) + 1;
  if (!hasGracePeriodEvent(g) && sequentiallyOrdered(g)) tally.orderedVerdicts[key] = (tally.orderedVerdicts[key] ?? 0) + 1;
}

/** Explores `model` under a model that answers as lkmm does, after comparing the two evaluations on the graph asked about. */
function exploreComparing(model: Model, strategy: Strategy, tally: Tally, where: string): void {
  const comparing: MemoryModel = {
    ...lkmm,
    isConsistent(g) {
      compareGraph(g, tally, where);
      return lkmm.isConsistent(g);
    },
    violatedAxiom(g) {
      compareGraph(g, tally, where);
      return lkmm.violatedAxiom(g);
    },
  };
  explore(model, {
    memoryModel: comparing,
    strategy,
    stopOnViolation: false,
    countDuplicates: false,
    onExecution: (g, o) => {
      if (o.status !== "complete") return;
      compareGraph(g, tally, where);
      const flags = lkmm.flags!(g);
      assert.deepEqual(flags, lkmmReference.flags!(g), `fast and reference LKMM raise different flags on an execution of ${where}`);
      for (const f of flags) tally.flags.add(f);
      tally.executions++;
    },
  });
}

const litmus = (text: string, name: string): Model => compileLitmus(parseLitmus(text, name)).model;

test("LKMM fast = reference on every graph of random programs (optimal explorer)", () => {
  const tally = newTally();
  for (let seed = 1; seed <= 40; seed++) exploreComparing(randomProgram(seed).model, "optimal", tally, `randomProgram(${seed})`);
  for (let seed = 1; seed <= 40; seed++) exploreComparing(randomFencedProgram(seed).model, "optimal", tally, `randomFencedProgram(${seed})`);
  assert.ok(tally.graphs > 1000, `only ${tally.graphs} graphs compared`);
  for (const axiom of ["consistent", "coherence", "atomic"])
    assert.ok((tally.verdicts[axiom] ?? 0) > 0, `no graph judged ${axiom}: ${JSON.stringify(tally.verdicts)}`);
});

test("LKMM fast = reference on every graph of random litmus tests, inconsistent candidates included", () => {
  const tally = newTally();
  for (let seed = 1; seed <= 60; seed++) {
    const model = litmus(randomLkmmLitmus(seed), `lkmm-${seed}.litmus`);
    exploreComparing(model, "optimal", tally, `randomLkmmLitmus(${seed}), optimal`);
    exploreComparing(model, "candidates", tally, `randomLkmmLitmus(${seed}), candidates`);
  }
  for (let seed = 1; seed <= 30; seed++) {
    const model = litmus(randomRcuLitmus(seed), `rcu-${seed}.litmus`);
    exploreComparing(model, "optimal", tally, `randomRcuLitmus(${seed}), optimal`);
    exploreComparing(model, "candidates", tally, `randomRcuLitmus(${seed}), candidates`);
  }
  // The comparison saw each kind of verdict the generators can produce.
  for (const axiom of ["consistent", "coherence", "atomic", "happens-before", "rcu", "plain-coherence", "lock-nest", "unmatched-locks"])
    assert.ok((tally.verdicts[axiom] ?? 0) > 0, `no graph judged ${axiom}: ${JSON.stringify(tally.verdicts)}`);
  // Both sides of the shortcut were exercised: graphs settled by their order, consistent or breaking a lock or
  // atomicity axiom, and consistent graphs that need the whole model (load buffering, store buffering).
  const ordered = tally.orderedVerdicts;
  assert.ok((ordered.consistent ?? 0) > 0 && (ordered.atomic ?? 0) > 0 && (ordered["lock-nest"] ?? 0) + (ordered["unmatched-locks"] ?? 0) > 0, JSON.stringify(ordered));
  assert.ok((tally.verdicts.consistent ?? 0) > (ordered.consistent ?? 0), "no consistent graph needed the whole model");
  assert.ok(tally.withHoles > 0, "no graph with holes compared");
  assert.ok(tally.flags.has("data-race"), `flags seen: ${[...tally.flags]}`);
});

test("LKMM fast = reference on every graph of random lock nestings (the lock axioms in one pass)", () => {
  const tally = newTally();
  for (let seed = 1; seed <= 80; seed++) {
    const model = litmus(randomLockNesting(seed), `lock-nesting-${seed}.litmus`);
    exploreComparing(model, "candidates", tally, `randomLockNesting(${seed}), candidates`);
  }
  for (const axiom of ["consistent", "lock-nest", "nested-is-locked", "unmatched-locks"])
    assert.ok((tally.verdicts[axiom] ?? 0) > 0, `no graph judged ${axiom}: ${JSON.stringify(tally.verdicts)}`);
});

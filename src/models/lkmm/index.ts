// The Linux Kernel Memory Model (tools/memory-model, variant lkmmv2) as a
// pagerace MemoryModel. The axioms are checked in the order herd7 checks
// them (lock.cat's first, as linux-kernel.cat includes it at the top) and
// are reported under the .cat's names. LKMM allows load buffering, so
// consistent graphs may have po ∪ rf cycles (porfAcyclic is false).

import type { ExecutionGraph } from "../../graph/executionGraph.ts";
import type { MemoryModel } from "../memoryModel.ts";
import { bellFlags } from "./bell.ts";
import { atomic, coherence, happensBefore, propagation } from "./cat.ts";
import { LkmmGraph } from "./lkmmGraph.ts";
import { lockFlags, lockNest, nestedIsLocked, unmatchedLocks, unmatchedLocksSoFar } from "./locks.ts";
import { dataRace, mixedAccesses, plainCoherence } from "./plainAccesses.ts";
import { rcu } from "./rcu.ts";
import { hasGracePeriodEvent, sequentiallyOrdered } from "./sequentiallyOrdered.ts";
import { coherentPerLocation } from "./perLocationCoherence.ts";
import { lockNestInOnePass, nestedIsLockedInOnePass, unmatchedLocksInOnePass } from "./lockNesting.ts";
import { atomicPairByPair } from "./rmwAtomicity.ts";
import { readsHeldLock } from "./heldLockReads.ts";
import { shapeOf, type Shape } from "./programShape.ts";
import { rememberedVerdict } from "./verdictMemo.ts";

export { LkmmGraph } from "./lkmmGraph.ts";

/**
 * The axioms in herd7's order, each under its .cat name, as a graph whose
 * threads may still go on can break them: unmatched-locks only as far as
 * it is decided (locks.ts). A complete graph must also pass the whole of it
 * (consistentOnceComplete).
 */
export const lkmmAxioms: readonly (readonly [string, (x: LkmmGraph) => boolean])[] = [
  ["lock-nest", lockNest],
  ["nested-is-locked", nestedIsLocked],
  ["unmatched-locks", unmatchedLocksSoFar],
  ["coherence", coherence],
  ["atomic", atomic],
  ["happens-before", happensBefore],
  ["propagation", propagation],
  ["rcu", rcu],
  ["plain-coherence", plainCoherence],
];

/**
 * The axioms a graph with holes (events a revisit deleted between kept
 * ones, to be added again) can already break: those that only grow with
 * more events. The lock and RCU axioms match locks with unlocks in program
 * order, which an event added into a hole can change, so they wait until
 * the holes are filled.
 */
const growingAxioms = lkmmAxioms.filter(([name]) => ["coherence", "atomic", "happens-before", "propagation"].includes(name));

/** The axioms a sequentially ordered graph without grace periods can still break (sequentiallyOrdered.ts). */
const notSettledByOrder = ["lock-nest", "nested-is-locked", "unmatched-locks", "atomic"];
const unorderedAxioms = lkmmAxioms.filter(([name]) => notSettledByOrder.includes(name));
const unorderedGrowingAxioms = growingAxioms.filter(([name]) => notSettledByOrder.includes(name));

type Axioms = readonly (readonly [string, (x: LkmmGraph) => boolean])[];

function firstViolatedOf(axioms: Axioms, x: LkmmGraph): string | undefined {
  for (const [name, holds] of axioms) if (!holds(x)) return name;
  return undefined;
}

/**
 * The axioms the fast evaluation checks without the model's relations: the
 * lock axioms in one pass per thread (lockNesting.ts), coherence in linear
 * time (perLocationCoherence.ts), atomicity pair by pair (rmwAtomicity.ts).
 */
const inOnePass = new Map<string, (x: LkmmGraph) => boolean>([
  ["lock-nest", lockNestInOnePass],
  ["nested-is-locked", nestedIsLockedInOnePass],
  ["unmatched-locks", (x) => unmatchedLocksInOnePass(x, false)],
  ["coherence", (x) => coherentPerLocation(x.graph)],
  ["atomic", atomicPairByPair],
]);
const withoutRelations = (axioms: Axioms): Axioms => axioms.map(([name, holds]) => [name, inOnePass.get(name) ?? holds] as const);
/** The axioms left once coherence is known to hold. */
const butCoherence = (axioms: Axioms): Axioms => axioms.filter(([name]) => name !== "coherence");

/** The model with its relations evaluated one way (see LkmmGraph.evaluation). */
function lkmmEvaluated(evaluation: "fast" | "reference"): MemoryModel {
  const fast = evaluation === "fast";
  const complete = fast ? withoutRelations(lkmmAxioms) : lkmmAxioms;
  const ordered = fast ? withoutRelations(unorderedAxioms) : unorderedAxioms;
  const unorderedGrowing = fast ? withoutRelations(unorderedGrowingAxioms) : unorderedGrowingAxioms;
  const growing = fast ? withoutRelations(growingAxioms) : growingAxioms;
  // isConsistent's fast evaluation has checked coherence first.
  const coherentComplete = butCoherence(complete);
  const coherentGrowing = butCoherence(growing);
  /**
   * Whether the fast evaluation may leave out the axioms a sequentially
   * ordered graph without grace periods cannot break.
   */
  const settledByOrder = (g: ExecutionGraph): boolean =>
    fast && !hasGracePeriodEvent(g) && sequentiallyOrdered(g);
  /** unmatched-locks whole, of a complete graph (consistentOnceComplete, violatedAxiom). */
  const unmatchedLocksWhole = fast ? (x: LkmmGraph) => unmatchedLocksInOnePass(x) : unmatchedLocks;
  const onceComplete = (axioms: Axioms): Axioms =>
    axioms.map(([name, holds]) => (name === "unmatched-locks" ? ([name, unmatchedLocksWhole] as const) : ([name, holds] as const)));
  const completeOnceComplete = onceComplete(complete);
  const orderedOnceComplete = onceComplete(ordered);
  /** The axioms to check, in herd's order. */
  const axiomsFor = (whole: boolean, settled: boolean): Axioms =>
    whole ? (settled ? ordered : complete) : settled ? unorderedGrowing : growing;
  /** The same, for isConsistent, where the fast evaluation has found the graph coherent unless settled. */
  const axiomsOfCoherent = (whole: boolean, settled: boolean): Axioms =>
    settled ? axiomsFor(whole, settled) : whole ? coherentComplete : coherentGrowing;
  /** isConsistent's fast evaluation, on a graph of `shape`. */
  const judgedFast = (g: ExecutionGraph, shape: Shape): boolean => {
    const settled = settledByOrder(g);
    // A graph that breaks coherence is inconsistent whatever the axioms
    // before it say; a sequentially ordered one cannot break it.
    if (!settled && !coherentPerLocation(g)) return false;
    return firstViolatedOf(axiomsOfCoherent(g.holes === 0, settled), new LkmmGraph(g, evaluation, shape)) === undefined;
  };
  return {
    // Every axiom is an acyclic/irreflexive/empty condition on relations
    // built from rf, co and fr by union, sequence and closure, none by
    // difference or complement of them.
    judgesPartialCandidates: true,
    name: "lkmm",
    porfAcyclic: false,
    // An access added last in its thread, reading the coherence-latest write or placed coherence-last, has no
    // outgoing rf, co, fr or po edge, and every relation is built from those forwards: it closes no cycle. Lock,
    // RCU and SRCU events are related back to their partners (crit^-1 and the like), and an event added into a
    // hole that a revisit left has events after it: those are checked.
    extendsMaximally: (g, e) => e.tags === undefined && e.idx === g.threads[e.tid]!.length - 1,
    // A lock operation of a held lock may take only a locked value (heldLockReads.ts).
    latestSourceMayBeForbidden: readsHeldLock,
    isConsistent(g: ExecutionGraph): boolean {
      if (!fast) return firstViolatedOf(axiomsFor(g.holes === 0, false), new LkmmGraph(g, evaluation)) === undefined;
      // The fast evaluation judges each graph once (verdictMemo.ts).
      const shape = shapeOf(g);
      return rememberedVerdict(g, shape, () => judgedFast(g, shape));
    },
    consistentOnceComplete(g: ExecutionGraph): boolean {
      return unmatchedLocksWhole(new LkmmGraph(g, evaluation));
    },
    violatedAxiom(g: ExecutionGraph): string | undefined {
      return firstViolatedOf(settledByOrder(g) ? orderedOnceComplete : completeOnceComplete, new LkmmGraph(g, evaluation));
    },
    /** The flags herd7 prints for this execution (the graph is assumed consistent and complete). */
    flags(g: ExecutionGraph): string[] {
      const x = new LkmmGraph(g, evaluation);
      const flags = [...bellFlags(x), ...lockFlags(x)];
      if (mixedAccesses(x)) flags.push("mixed-accesses");
      if (dataRace(x)) flags.push("data-race");
      return flags;
    },
  };
}

export const lkmm: MemoryModel = lkmmEvaluated("fast");

/** The same model evaluated as first written, with the generic relation toolkit: the oracle lkmm is tested against. */
export const lkmmReference: MemoryModel = lkmmEvaluated("reference");

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
import { lockFlags, lockNest, nestedIsLocked, unmatchedLocks } from "./locks.ts";
import { dataRace, mixedAccesses, plainCoherence } from "./plainAccesses.ts";
import { rcu } from "./rcu.ts";

export { LkmmGraph } from "./lkmmGraph.ts";

/** The axioms in herd7's order, each under its .cat name. */
export const lkmmAxioms: readonly (readonly [string, (x: LkmmGraph) => boolean])[] = [
  ["lock-nest", lockNest],
  ["nested-is-locked", nestedIsLocked],
  ["unmatched-locks", unmatchedLocks],
  ["coherence", coherence],
  ["atomic", atomic],
  ["happens-before", happensBefore],
  ["propagation", propagation],
  ["rcu", rcu],
  ["plain-coherence", plainCoherence],
];

function firstViolated(x: LkmmGraph): string | undefined {
  for (const [name, holds] of lkmmAxioms) if (!holds(x)) return name;
  return undefined;
}

/**
 * The axioms a graph with holes (events a revisit deleted between kept
 * ones, to be added again) can already break: those that only grow with
 * more events. The lock and RCU axioms match locks with unlocks in program
 * order, which an event added into a hole can change, so they wait until
 * the holes are filled.
 */
const growingAxioms = lkmmAxioms.filter(([name]) => ["coherence", "atomic", "happens-before", "propagation"].includes(name));

function firstViolatedWithHoles(x: LkmmGraph): string | undefined {
  for (const [name, holds] of growingAxioms) if (!holds(x)) return name;
  return undefined;
}

/** The model with its relations evaluated one way (see LkmmGraph.evaluation). */
function lkmmEvaluated(evaluation: "fast" | "reference"): MemoryModel {
  return {
    // Every axiom is an acyclic/irreflexive/empty condition on relations
    // built from rf, co and fr by union, sequence and closure, none by
    // difference or complement of them.
    judgesPartialCandidates: true,
    name: "lkmm",
    porfAcyclic: false,
    isConsistent(g: ExecutionGraph): boolean {
      return (g.holes > 0 ? firstViolatedWithHoles : firstViolated)(new LkmmGraph(g, evaluation)) === undefined;
    },
    violatedAxiom(g: ExecutionGraph): string | undefined {
      return firstViolated(new LkmmGraph(g, evaluation));
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

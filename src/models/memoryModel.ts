// A memory model is a consistency predicate over execution graphs.

import type { ExecutionGraph } from "../graph/executionGraph.ts";

export interface MemoryModel {
  readonly name: string;
  /**
   * Whether every consistent graph has acyclic po ∪ rf. The optimal explorer
   * (which only lets a write revisit reads outside its po ∪ rf prefix) is
   * complete exactly for such models.
   */
  readonly porfAcyclic: boolean;
  /** Consistency of a graph, complete or partial (models are prefix-closed). */
  isConsistent(g: ExecutionGraph): boolean;
  /** The name of the first axiom the graph breaks, or undefined if consistent. */
  violatedAxiom(g: ExecutionGraph): string | undefined;
  /** herd7-style flags raised by a consistent, complete graph (LKMM: `data-race`). */
  flags?(g: ExecutionGraph): string[];
}

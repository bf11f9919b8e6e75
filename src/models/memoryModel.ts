// A memory model is a consistency predicate over execution graphs.

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { GraphEvent } from "../graph/event.ts";

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
  /**
   * Adding an event last in its thread, reading the coherence-latest write
   * or placed coherence-last, keeps a consistent graph consistent: the new
   * event has no outgoing edge. True of SC and TSO; not of LKMM, where the
   * end of an RCU read-side critical section is related back to its start.
   * When true the explorer does not check those additions.
   */
  readonly maximallyExtensible?: boolean;
  /**
   * Where that is not true of every event: whether adding e so (last in
   * its thread, reading the coherence-latest write or placed
   * coherence-last) keeps a consistent graph consistent. Under LKMM, of an
   * access no relation leaves backwards (not a lock's, RCU's or SRCU's).
   */
  readonly extendsMaximally?: (g: ExecutionGraph, e: GraphEvent) => boolean;
  /**
   * isConsistent also accepts candidates whose reads may lack a source and
   * whose coherence orders may miss writes, and a verdict of inconsistent
   * there holds for every completion (its axioms only get worse as edges
   * are added). Lets candidate enumeration prune early.
   */
  readonly judgesPartialCandidates?: boolean;
  /**
   * What isConsistent cannot judge before a graph is complete (every thread
   * ended, or waiting for good): an axiom an event still to come may
   * satisfy. Under LKMM, unmatched-locks: a thread may yet unlock the lock
   * it holds. Asked of each complete graph before it is recorded.
   */
  consistentOnceComplete?(g: ExecutionGraph): boolean;
  /**
   * Whether read r, as the events before it in its thread stand, may be
   * inconsistent reading the coherence-latest write of its location where
   * an older write is consistent. TruSt deletes or revisits a read only if
   * it takes the latest write, since the graph where it does is the one a
   * revisit reaches its other sources from; for such a read that graph may
   * not exist, so the optimal explorer lets revisits take it as it is.
   * Under LKMM, a lock operation of a lock its thread holds (lock-nest,
   * nested-is-locked). Absent: no such read.
   */
  latestSourceMayBeForbidden?(g: ExecutionGraph, r: GraphEvent): boolean;
  /** The name of the first axiom the complete graph breaks, or undefined if consistent. */
  violatedAxiom(g: ExecutionGraph): string | undefined;
  /**
   * For a new event e, last of its thread and not yet given a source or a
   * place: the lowest coherence index of e's location that a read may read
   * from, or that a write may be placed right after: every choice from
   * there up is consistent (RMW atomicity aside) and every choice below is
   * not. Spares the explorer a consistency check per candidate. Optional:
   * without it each candidate is checked.
   */
  coherenceBound?(g: ExecutionGraph, e: GraphEvent): number;
  /** herd7-style flags raised by a consistent, complete graph (LKMM: `data-race`). */
  flags?(g: ExecutionGraph): string[];
}

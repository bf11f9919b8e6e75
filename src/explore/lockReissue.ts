// Lock acquisitions issued again. A revisit may make a lock acquisition
// read another thread's acquisition of the lock (that thread's RMW took
// the lock over first): the acquisition then waits. Once the holder
// releases the lock, the waiter is left behind on a stale value in every
// graph where the release does not revisit it, and all that such a graph
// leads to, as long as the release stays, ends blocked; and the release
// goes only when a write still to come revisits a read added before it,
// which the graph may not rule out (see hasStuckStaleWaiter).
//
// On a lock word (lockWords.ts) the optimal explorer instead takes the
// waiting acquisition out of the graph the revisit makes. Its thread then
// waits its turn, as an await the latest write does not let through does:
// it issues the acquisition again once a release lets it through, or, when
// no other thread can move, reads the lock held and waits for good (a
// deadlock). Issued again, the acquisition reads only the acquisition it
// waited on or a write coherence-after it: the writes before it were the
// acquisition's choices when it was first issued. A revisit that deletes
// the acquisition as first issued (one of a read added before it) deletes
// this too, and its thread runs on afresh.
//
// Only on a lock word: coherence there alternates between an acquisition
// and its holder's release, so what the waiter could read once the lock
// is released is what a thread waiting its turn reads. Where the word
// also takes other writes (a plain write, an xchg or a fetch-add, or a
// release by a thread that does not hold the lock), issuing the
// acquisition again reaches some executions twice, and the waiter stays
// in the graph as before.

import type { GraphEvent } from "../graph/event.ts";
import type { ExecutionGraph, Reissue } from "../graph/executionGraph.ts";

/** Takes waiting lock acquisition `r`, its thread's last event, out of g, to be issued again. */
export function takeOutToReissue(g: ExecutionGraph, r: GraphEvent): void {
  g.threads[r.tid]!.pop();
  const reissues = g.reissues?.slice() ?? new Array<Reissue | undefined>(g.threadCount).fill(undefined);
  reissues[r.tid] = { at: r.idx, stamp: r.stamp, source: r.rf };
  g.reissues = reissues;
}

/**
 * After a revisit of a read added at `stamp`: the acquisitions first
 * issued after it are deleted by the revisit, and are not issued again as
 * such.
 */
export function dropDeletedReissues(g: ExecutionGraph, stamp: number): void {
  const kept = g.reissues!.map((x) => (x !== undefined && x.stamp <= stamp ? x : undefined));
  g.reissues = kept.some((x) => x !== undefined) ? kept : undefined;
}

/** The lowest coherence position read `r`, just added, may read: that of the acquisition it waited on when it is issued again. */
export function reissuedFrom(g: ExecutionGraph, r: GraphEvent): number {
  const again = g.reissues?.[r.tid];
  if (again === undefined || again.at !== r.idx) return 0;
  return Math.max(0, g.co[r.loc]!.indexOf(again.source));
}

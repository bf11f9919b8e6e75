// Coherence (SC per location: acyclic po-loc | rf | co | fr) is part of
// every model. For a new event e, last of its thread, a coherence cycle
// through e stays on e's location and returns to e through the latest
// earlier access of that location in e's thread. The writes that reach that
// access form a prefix of coherence: e may not read from a write before the
// last of them, nor be placed before it. This floor needs no consistency
// check; choices at or above it still need the model's.

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { GraphEvent, EventId } from "../graph/event.ts";

/**
 * True when e's thread last accessed e's location at its coherence-last
 * write (wrote it, or read it): that write then reaches e's program-order
 * predecessor, so only the maximal choice is left for e under SC and TSO
 * alike, and the bound needs no look at the rest of the graph.
 */
export function threadSawLatestWrite(g: ExecutionGraph, e: GraphEvent): boolean {
  const order = g.co[e.loc]!;
  const thread = g.threads[e.tid]!;
  for (let i = e.idx - 1; i >= 0; i--) {
    const q = thread[i]!;
    if (q.loc !== e.loc || q.kind === "F") continue;
    return (q.kind === "W" ? q.id : q.rf) === order[order.length - 1];
  }
  return false;
}

export function coherenceFloor(g: ExecutionGraph, e: GraphEvent): number {
  const order = g.co[e.loc]!;
  if (order.length === 1) return 0;
  const thread = g.threads[e.tid]!;
  let q = e.idx - 1;
  while (q >= 0 && (thread[q]!.loc !== e.loc || thread[q]!.kind === "F")) q--;
  if (q < 0) return 0;
  // The accesses of e's location, and the readers of each write.
  const readers = new Map<EventId, GraphEvent[]>();
  for (const t of g.threads) {
    for (const x of t) {
      if (x.kind !== "R" || x.loc !== e.loc || x === e) continue;
      const list = readers.get(x.rf);
      if (list === undefined) readers.set(x.rf, [x]);
      else list.push(x);
    }
  }
  const reached = new Set<GraphEvent>();
  const stack: GraphEvent[] = [thread[q]!];
  reached.add(thread[q]!);
  const reach = (x: GraphEvent) => {
    if (!reached.has(x)) reached.add(x), stack.push(x);
  };
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.tid >= 0) {
      const events = g.threads[x.tid]!;
      for (let i = x.idx - 1; i >= 0; i--) {
        const p = events[i]!;
        if (p.loc === e.loc && p.kind !== "F") {
          reach(p);
          break;
        }
      }
    }
    if (x.kind === "R") reach(g.event(x.rf));
    else {
      const at = order.indexOf(x.id);
      if (at > 0) {
        const prev = order[at - 1]!;
        reach(g.event(prev));
        for (const r of readers.get(prev) ?? []) reach(r);
      }
    }
  }
  for (let k = order.length - 1; k > 0; k--) if (reached.has(g.event(order[k]!))) return k;
  return 0;
}

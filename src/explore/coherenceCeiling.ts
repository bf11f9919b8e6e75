// How far along its location's coherence order an event can go, as the
// graph's other accesses to that location stand. Per-location coherence
// (every model's) orders an event before what follows it in program order
// at its location, what reads a write it reaches, and so on: a read cannot
// take a write coherence-after a write it reaches that way, nor after the
// source of a read it reaches; a write cannot be placed after either.
// TruSt calls an event added maximally when it reads, or is placed,
// coherence-last. Under load buffering, where a revisit keeps events that
// follow the ones it deletes, the latest an event can take is often less
// than that (a read before its own thread's write, or before a write
// another thread reads before it writes again itself), and no graph has
// it take the coherence-last write.

import { isHole, type GraphEvent } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";

/**
 * The lowest index in e's location's coherence order that e cannot go to:
 * a read cannot read the write there or any later one, a write cannot be
 * placed after it. The order's length when nothing stops e. Follows, from
 * e, the later accesses of its location in each thread reached and the
 * reads of each write reached.
 */
export function coherenceCeiling(g: ExecutionGraph, e: GraphEvent): number {
  const order = g.co[e.loc]!;
  let ceiling = order.length;
  const seen = new Set<GraphEvent>([e]);
  const reached: GraphEvent[] = [e];
  for (let next = 0; next < reached.length; next++) {
    const x = reached[next]!;
    const events = g.threads[x.tid]!;
    for (let i = x.idx + 1; i < events.length; i++) {
      const y = events[i]!;
      if (!isHole(y) && y.kind !== "F" && y.loc === e.loc && !seen.has(y)) seen.add(y), reached.push(y);
    }
    if (x.kind !== "W") continue;
    for (const t of g.threads)
      for (const y of t)
        if (y.kind === "R" && !isHole(y) && y.rf === x.id && !seen.has(y)) seen.add(y), reached.push(y);
  }
  for (const y of reached) {
    if (y === e) continue;
    if (y.kind === "W") ceiling = Math.min(ceiling, order.indexOf(y.id));
    // A read reached reads e itself, or a write e must come before (a write e) or not after (a read e).
    else if (y.rf !== e.id) ceiling = Math.min(ceiling, order.indexOf(y.rf) + (e.kind === "R" ? 1 : 0));
  }
  return ceiling;
}

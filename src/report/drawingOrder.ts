// The order a trace draws an execution's events in: a topological order of
// po ∪ rf ∪ co ∪ fr (fr into an RMW also to its read half, since the two
// halves share a row) with as few thread switches as the graph allows —
// the current thread keeps running while its next event is ready; when it
// is not, the thread whose next event the explorer added first goes on.
// Under weak models the union may be cyclic: where no thread's next event
// is ready, the earliest-added one is drawn anyway, and its reads may then
// take a value that is stale in the drawn order (see staleReads.ts).

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { EventId, GraphEvent } from "../graph/event.ts";

/** For each thread event, the thread events that must come before it (initial writes are left out: they come first). */
export function orderingPredecessors(g: ExecutionGraph): Map<EventId, EventId[]> {
  const preds = new Map<EventId, EventId[]>();
  for (const t of g.threads) for (const e of t) preds.set(e.id, []);
  const add = (a: GraphEvent | undefined, b: GraphEvent | undefined) => {
    if (a === undefined || b === undefined || a.tid < 0 || b.tid < 0 || a === b) return;
    preds.get(b.id)!.push(a.id);
  };
  for (const t of g.threads) for (let i = 1; i < t.length; i++) add(t[i - 1], t[i]);
  for (const order of g.co) for (let k = 1; k < order.length; k++) add(g.event(order[k - 1]!), g.event(order[k]!));
  for (const t of g.threads)
    for (const e of t) {
      if (e.kind !== "R") continue;
      add(g.event(e.rf), e);
      const order = g.co[e.loc]!;
      const next = order[order.indexOf(e.rf) + 1];
      if (next === undefined) continue;
      const overwriter = g.event(next);
      add(e, overwriter);
      if (overwriter.rmw === "write") add(e, g.threads[overwriter.tid]![overwriter.idx - 1]);
    }
  return preds;
}

export function drawingOrder(g: ExecutionGraph): GraphEvent[] {
  const preds = orderingPredecessors(g);
  const done = new Set<EventId>();
  const next = g.threads.map(() => 0);
  const out: GraphEvent[] = [];
  const head = (tid: number) => g.threads[tid]![next[tid]!];
  const ready = (e: GraphEvent) => preds.get(e.id)!.every((p) => done.has(p));
  const total = g.threads.reduce((n, t) => n + t.length, 0);
  let current = -1;
  while (out.length < total) {
    const own = current >= 0 ? head(current) : undefined;
    let pick: GraphEvent | undefined = own !== undefined && ready(own) ? own : undefined;
    if (pick === undefined) {
      const heads = g.threads.map((_, tid) => head(tid)).filter((e): e is GraphEvent => e !== undefined);
      const earliest = (es: GraphEvent[]) => es.reduce((a, b) => (b.stamp < a.stamp || (b.stamp === a.stamp && b.tid < a.tid) ? b : a));
      const candidates = heads.filter(ready);
      pick = earliest(candidates.length > 0 ? candidates : heads); // none ready: a cycle, only weak models get here
    }
    out.push(pick);
    done.add(pick.id);
    next[pick.tid]!++;
    current = pick.tid;
  }
  return out;
}

// A timeline for a graph that came without one (documents written before
// the `timeline` field): every event in a topological order of po ∪ rf ∪ co,
// the current thread kept while it can go on, one row per event (an RMW's
// halves together), step labels where a thread's step changes. The
// reporter's own order (drawingOrder.ts) also respects fr; this is a reader's
// best effort, not the trace pagerace prints.

import type { GraphJson, TimelineRowJson } from "./viewerDocument.ts";

export function fallbackTimeline(g: GraphJson): TimelineRowJson[] {
  const key = (t: number, i: number) => `${t}:${i}`;
  const preds = new Map<string, string[]>();
  g.events.forEach((es, t) =>
    es.forEach((e, i) => {
      const p: string[] = i > 0 ? [key(t, i - 1)] : [];
      if (e.rf && "thread" in e.rf) p.push(key(e.rf.thread, e.rf.index));
      preds.set(key(t, i), p);
    }),
  );
  for (const order of Object.values(g.co)) for (let k = 1; k < order.length; k++) preds.get(key(order[k]!.thread, order[k]!.index))!.push(key(order[k - 1]!.thread, order[k - 1]!.index));
  const done = new Set<string>();
  const next = g.events.map(() => 0);
  const rows: TimelineRowJson[] = [];
  const lastStep: (string | null)[] = g.events.map(() => null);
  let current = 0;
  const total = g.events.reduce((n, es) => n + es.length, 0);
  while (done.size < total) {
    const ready = (t: number) => next[t]! < g.events[t]!.length && preds.get(key(t, next[t]!))!.every((p) => done.has(p));
    let t = ready(current) ? current : g.events.findIndex((_, u) => ready(u));
    if (t < 0) t = g.events.findIndex((es, u) => next[u]! < es.length); // a cycle (weak models): go on anyway
    const i = next[t]!;
    const e = g.events[t]![i]!;
    const pair = e.rmw === "read" && g.events[t]![i + 1]?.rmw === "write";
    if (e.step !== null && e.step !== lastStep[t]) {
      lastStep[t] = e.step;
      rows.push({ thread: t, kind: "step", text: e.step, events: [], involved: true, readsLater: false, racing: false });
    }
    const indices = pair ? [i, i + 1] : [i];
    rows.push({ thread: t, kind: "event", text: indices.map((x) => g.events[t]![x]!.label ?? plainLabel(g.events[t]![x]!)).join(" → "), events: indices, involved: true, readsLater: false, racing: false });
    for (const x of indices) done.add(key(t, x));
    next[t] = i + indices.length;
    current = t;
  }
  return rows;
}

function plainLabel(e: GraphJson["events"][number][number]): string {
  if (e.kind === "F") return e.op ?? e.fence ?? "fence";
  return `${e.op ? `${e.op} ` : ""}${e.kind === "R" ? "read" : "write"} ${e.location ?? ""} = ${e.value}`;
}

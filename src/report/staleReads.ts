// Where a drawn order is not sequentially consistent: a read that takes a
// value some other write had already overwritten, by the order the trace is
// drawn in. Only a weak memory model allows that (po ∪ rf ∪ co ∪ fr has a
// cycle, see drawingOrder.ts), and it is the edge a reader would otherwise
// take for a bug in the checker, so the trace says it in words.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { EventId, GraphEvent } from "../graph/event.ts";
import { valueText } from "./valueText.ts";

export interface StaleRead {
  readonly read: GraphEvent;
  /** The write it read from. */
  readonly source: GraphEvent;
  /** The first write coherence-after the source that is drawn before the read. */
  readonly missed: GraphEvent;
}

export function staleReads(g: ExecutionGraph, order: readonly GraphEvent[]): StaleRead[] {
  const position = new Map<EventId, number>(order.map((e, i) => [e.id, i]));
  const drawnAt = (e: GraphEvent) => (e.tid < 0 ? -1 : position.get(e.id)!);
  const out: StaleRead[] = [];
  for (const read of order) {
    if (read.kind !== "R") continue;
    const co = g.co[read.loc]!;
    const after = co.slice(co.indexOf(read.rf) + 1).map((id) => g.event(id));
    // An RMW's own write half is coherence-next to its source, and drawn on the read's row.
    const missed = after.find((w) => w.tid !== read.tid || w.idx !== read.idx + 1 ? drawnAt(w) < drawnAt(read) : false);
    if (missed !== undefined) out.push({ read, source: g.event(read.rf), missed });
  }
  return out;
}

/** `P1 read x = 0 (the initial value) although P0 wrote x := 1 above it: ...` */
export function describeStaleRead(model: Model, s: StaleRead): string {
  const thread = (e: GraphEvent) => model.threads[e.tid]?.name ?? "init";
  const loc = model.locations[s.read.loc]!.name;
  const from = s.source.tid < 0 ? "the initial value" : `${thread(s.source)}'s write`;
  return (
    `${thread(s.read)} read ${loc} = ${valueText(model, s.read.loc, s.read.value)} (${from}) although ${thread(s.missed)} wrote ` +
    `${loc} := ${valueText(model, s.missed.loc, s.missed.value)} above it: the memory model orders neither that write before this read nor this read before it`
  );
}

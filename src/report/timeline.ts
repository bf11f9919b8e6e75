// The rows of a column trace: an execution's events in an order a reader can
// follow (drawingOrder.ts: po ∪ rf ∪ co ∪ fr respected, few thread
// switches), with each thread's step labels where they change, and values
// named as the model declared them (valueText.ts).

import type { Model } from "../program/model.ts";
import { isWaiting, tidOf, type GraphEvent, type EventId } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Outcome } from "../checks/outcome.ts";
import { drawingOrder } from "./drawingOrder.ts";
import { valueText } from "./valueText.ts";

export interface TimelineRow {
  readonly tid: number;
  readonly text: string;
  /** Step labels are headings, not events. */
  readonly isStep: boolean;
  /** The events this row shows (an RMW's two halves share a row). */
  readonly events: readonly GraphEvent[];
  /** A read whose source is shown further down: only a weak model allows it. */
  readonly readsLater: boolean;
}

export function timeline(model: Model, g: ExecutionGraph, outcome: Outcome, order: readonly GraphEvent[] = drawingOrder(g)): TimelineRow[] {
  const shown = new Set<EventId>(g.inits.map((e) => e.id));
  const rows: TimelineRow[] = [];
  const lastStep: (string | undefined)[] = model.threads.map(() => undefined);
  for (const e of order) {
    if (e.rmw === "write") {
      shown.add(e.id);
      continue; // shown with its read
    }
    if (e.step !== undefined && e.step !== lastStep[e.tid]) {
      lastStep[e.tid] = e.step;
      rows.push({ tid: e.tid, text: e.step, isStep: true, events: [], readsLater: false });
    }
    const readsLater = e.kind === "R" && !shown.has(e.rf);
    const partner = e.rmw === "read" ? g.threads[e.tid]![e.idx + 1] : undefined;
    rows.push({ tid: e.tid, text: describe(model, g, e, partner), isStep: false, events: partner ? [e, partner] : [e], readsLater });
    shown.add(e.id);
  }
  outcome.ends.forEach((end, tid) => {
    if (end?.kind === "error") rows.push({ tid, text: `✗ assertion failed: ${end.message}`, isStep: false, events: [], readsLater: false });
    if (end?.kind === "bound") rows.push({ tid, text: `… still running after ${end.limit} events`, isStep: false, events: [], readsLater: false });
  });
  return rows;
}

function describe(model: Model, g: ExecutionGraph, e: GraphEvent, partner: GraphEvent | undefined): string {
  const loc = e.loc >= 0 ? model.locations[e.loc]!.name : "";
  const shown = (x: GraphEvent) => valueText(model, x.loc, x.value);
  const mode = e.mode === "plain" || e.mode === "mb" ? "" : ` [${e.mode}]`;
  if (e.kind === "F") return `${e.op?.name ?? e.fence}${loc ? `(${loc})` : ""}`;
  if (e.kind === "W") return `${e.op?.name && e.op.kind === "write" ? e.op.name + " " : ""}${loc} := ${shown(e)}${mode}`;
  const source = sourceName(model, g, e.rf);
  const name = e.op?.name;
  if (partner !== undefined) return `${name ?? "rmw"} ${loc}: ${shown(e)} → ${shown(partner)}${mode}  ← ${source}`;
  if (isWaiting(e)) return `${name ?? "await"} ${loc}: sees ${shown(e)}, waits  ← ${source}`;
  const failed = e.op?.kind === "rmw" ? " (fails)" : "";
  return `${name ?? "read"} ${loc} = ${shown(e)}${failed}${mode}  ← ${source}`;
}

function sourceName(model: Model, g: ExecutionGraph, id: EventId): string {
  const tid = tidOf(id);
  if (tid < 0) return "init";
  const writes = g.threads[tid]!.filter((w) => w.kind === "W" && w.loc === g.event(id).loc);
  const name = model.threads[tid]!.name;
  return writes.length > 1 ? `${name}#${writes.indexOf(g.event(id)) + 1}` : name;
}

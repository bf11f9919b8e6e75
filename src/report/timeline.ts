// The rows of a column trace: an execution's events in an order a reader can
// follow (a topological order of po ∪ rf ∪ co ∪ fr, earliest-added first;
// under weak models, where that union may be cyclic, the remaining events
// follow in the order the explorer added them), with each thread's step
// labels where they change.

import { formatValue } from "../program/value.ts";
import type { Model } from "../program/model.ts";
import { isWaiting, tidOf, type GraphEvent, type EventId } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Outcome } from "../checks/outcome.ts";

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

export function timeline(model: Model, g: ExecutionGraph, outcome: Outcome): TimelineRow[] {
  const order = linearize(g);
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
  const mode = e.mode === "plain" || e.mode === "mb" ? "" : ` [${e.mode}]`;
  if (e.kind === "F") return `${e.op?.name ?? e.fence}${loc ? `(${loc})` : ""}`;
  if (e.kind === "W") return `${e.op?.name && e.op.kind === "write" ? e.op.name + " " : ""}${loc} := ${formatValue(e.value)}${mode}`;
  const source = sourceName(model, g, e.rf);
  const name = e.op?.name;
  if (partner !== undefined) return `${name ?? "rmw"} ${loc}: ${formatValue(e.value)} → ${formatValue(partner.value)}${mode}  ← ${source}`;
  if (isWaiting(e)) return `${name ?? "await"} ${loc}: sees ${formatValue(e.value)}, waits  ← ${source}`;
  const failed = e.op?.kind === "rmw" ? " (fails)" : "";
  return `${name ?? "read"} ${loc} = ${formatValue(e.value)}${failed}${mode}  ← ${source}`;
}

function sourceName(model: Model, g: ExecutionGraph, id: EventId): string {
  const tid = tidOf(id);
  if (tid < 0) return "init";
  const writes = g.threads[tid]!.filter((w) => w.kind === "W" && w.loc === g.event(id).loc);
  const name = model.threads[tid]!.name;
  return writes.length > 1 ? `${name}#${writes.indexOf(g.event(id)) + 1}` : name;
}

/** Kahn's algorithm over po, rf, co and fr (fr into an RMW also to its read half), taking the earliest-added ready event first. */
function linearize(g: ExecutionGraph): GraphEvent[] {
  const events = g.threads.flat();
  const key = (e: GraphEvent) => `${e.tid}:${e.idx}`;
  const preds = new Map<string, Set<string>>(events.map((e) => [key(e), new Set<string>()]));
  const add = (a: GraphEvent | undefined, b: GraphEvent | undefined) => {
    if (a === undefined || b === undefined || a.tid < 0 || b.tid < 0 || a === b) return;
    preds.get(key(b))!.add(key(a));
  };
  for (const t of g.threads) for (let i = 1; i < t.length; i++) add(t[i - 1], t[i]);
  for (const order of g.co) {
    for (let k = 1; k < order.length; k++) add(g.event(order[k - 1]!), g.event(order[k]!));
  }
  for (const e of events) {
    if (e.kind !== "R") continue;
    add(g.event(e.rf), e);
    const order = g.co[e.loc]!;
    const next = order[order.indexOf(e.rf) + 1];
    if (next === undefined) continue;
    const overwriter = g.event(next);
    add(e, overwriter);
    // An RMW is drawn where its read half is: a read that precedes its write must precede that row too.
    if (overwriter.rmw === "write") add(e, g.threads[overwriter.tid]![overwriter.idx - 1]);
  }
  const out: GraphEvent[] = [];
  const done = new Set<string>();
  const pending = events.slice().sort((a, b) => a.stamp - b.stamp || a.tid - b.tid || a.idx - b.idx);
  while (pending.length > 0) {
    let at = pending.findIndex((e) => [...preds.get(key(e))!].every((p) => done.has(p)));
    if (at < 0) at = 0; // a cycle: only weak models get here
    const [e] = pending.splice(at, 1);
    out.push(e!);
    done.add(key(e!));
  }
  return out;
}

// Turns what a thread does next into a graph event, and sets a read's source.

import type { GraphEvent } from "../graph/event.ts";
import { eventId } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Pending } from "../runtime/threadReplayer.ts";
import type { Value } from "../program/value.ts";

export function newEvent(g: ExecutionGraph, tid: number, p: Pending): GraphEvent {
  const idx = g.threads[tid]!.length;
  const base = { tid, idx, id: eventId(tid, idx), stamp: g.nextStamp++, rf: -1, addedMax: false, revisitable: true };
  if (p.kind === "rmw-write") {
    const r = g.threads[tid]![idx - 1]!;
    return { ...base, kind: "W", loc: r.loc, value: p.value, mode: r.mode, rmw: "write", op: r.op, opIndex: r.opIndex, step: r.step, tags: r.tags };
  }
  if (p.kind !== "op") throw new Error(`no event for a thread that is ${p.kind}`);
  const op = p.op;
  const common = { ...base, op, opIndex: p.opIndex, step: p.step, tags: op.tags };
  switch (op.kind) {
    case "fence":
      return { ...common, kind: "F", loc: op.loc?.id ?? -1, value: 0, mode: "plain", rmw: "none", fence: op.fence };
    case "write":
      return { ...common, kind: "W", loc: op.loc.id, value: op.value, mode: op.mode, rmw: "none" };
    case "read":
    case "rmw":
      return { ...common, kind: "R", loc: op.loc.id, value: 0, mode: op.mode, rmw: "none" };
  }
}

/** Makes read `r` read from write `w`; for an RMW, decides whether it succeeds with that value. */
export function setReadsFrom(r: GraphEvent, w: GraphEvent): void {
  r.rf = w.id;
  setReadValue(r, w.value);
}

/** Gives read `r` a value (its source may be chosen later); for an RMW, decides whether it succeeds. */
export function setReadValue(r: GraphEvent, value: Value): void {
  r.value = value;
  const op = r.op;
  if (op?.kind === "rmw") {
    const ok = (op.until === undefined || op.until(value)) && op.update(value) !== undefined;
    r.rmw = ok ? "read" : "none";
    r.mode = ok ? op.mode : (op.failMode ?? op.mode);
  }
}

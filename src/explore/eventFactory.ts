// Turns what a thread does next into a graph event, and sets a read's source.
// Every event is built by the one literal in `makeEvent`, so all events
// share one object shape (the explorer's hot paths stay monomorphic).

import type { GraphEvent, EventKind, RmwPart } from "../graph/event.ts";
import { eventId } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Pending } from "../runtime/threadReplayer.ts";
import type { Value } from "../program/value.ts";
import type { AccessMode, FenceKind, Operation, Tag } from "../program/operation.ts";
import { evaluateRmw } from "../runtime/rmwEvaluation.ts";

export function newEvent(g: ExecutionGraph, tid: number, p: Pending): GraphEvent {
  const idx = g.nextPosition(tid);
  if (p.kind === "rmw-write") {
    const r = g.threads[tid]![idx - 1]!;
    return makeEvent(g, tid, idx, "W", r.loc, p.value, r.mode, "write", undefined, r.op, r.opIndex, r.step, r.tags);
  }
  if (p.kind !== "op") throw new Error(`no event for a thread that is ${p.kind}`);
  const op = p.op;
  switch (op.kind) {
    case "fence":
      return makeEvent(g, tid, idx, "F", op.loc?.id ?? -1, 0, "plain", "none", op.fence, op, p.opIndex, p.step, op.tags);
    case "write":
      return makeEvent(g, tid, idx, "W", op.loc.id, op.value, op.mode, "none", undefined, op, p.opIndex, p.step, op.tags);
    case "read":
    case "rmw":
      return makeEvent(g, tid, idx, "R", op.loc.id, 0, op.mode, "none", undefined, op, p.opIndex, p.step, op.tags);
  }
}

function makeEvent(
  g: ExecutionGraph,
  tid: number,
  idx: number,
  kind: EventKind,
  loc: number,
  value: Value,
  mode: AccessMode,
  rmw: RmwPart,
  fence: FenceKind | undefined,
  op: Operation | undefined,
  opIndex: number,
  step: string | undefined,
  tags: readonly Tag[] | undefined,
): GraphEvent {
  return {
    kind,
    tid,
    idx,
    id: eventId(tid, idx),
    stamp: g.nextStamp++,
    loc,
    value,
    mode,
    rmw,
    rf: -1,
    addedMax: false,
    revisitable: true,
    fence,
    op,
    opIndex,
    step,
    tags,
  };
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
    // The predicate and the update are thread code, run under the determinism guard in the issuing
    // thread's name; a throw is its failure (rmwEvaluation.ts). The replayer reuses the answer.
    const ok = evaluateRmw(op, value, r.tid, r.step, r.idx + 1) !== undefined;
    r.rmw = ok ? "read" : "none";
    r.mode = ok ? op.mode : (op.failMode ?? op.mode);
  }
}

// An execution's step timeline as JSON, for the HTML viewer and other
// tools: the rows the text trace draws (timeline.ts), in the same order
// (drawingOrder.ts: po ∪ rf ∪ co ∪ fr respected, few thread switches), each
// with the events it shows, so that a reader can step through the execution
// event by event and find each one in the graph. Nothing is folded here:
// `involved` says which rows the broken check depends on (causalPast.ts),
// and the reader decides what to hide.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { EventId } from "../graph/event.ts";
import type { Outcome } from "../checks/outcome.ts";
import { timeline } from "./timeline.ts";
import { causalPast } from "./causalPast.ts";

export interface TimelineRowJson {
  /** Index into the graph's `threads`. */
  readonly thread: number;
  /** `step`: a kernel step's label (a heading, no events); `event`: an access or fence (an RMW's two halves share a row); `end`: how a thread ended (a failed assertion, the event bound). */
  readonly kind: "step" | "event" | "end";
  readonly text: string;
  /** The events the row shows, as indices into the thread's events. */
  readonly events: readonly number[];
  /** Whether the broken check depends on the row (always true when that cannot be told, and for steps and ends). */
  readonly involved: boolean;
  /** A read whose source is drawn further down: only a weak memory model allows that. */
  readonly readsLater: boolean;
  /** The row shows an access that takes part in a data race. */
  readonly racing: boolean;
}

/** `racing`: accesses that take part in a data race (racingAccesses.ts); they are always involved. */
export function timelineJson(model: Model, g: ExecutionGraph, outcome: Outcome, racing: ReadonlySet<EventId> = new Set()): TimelineRowJson[] {
  const past = causalPast(model, g, outcome);
  return timeline(model, g, outcome).map((r) => {
    const raced = r.events.some((e) => racing.has(e.id));
    return {
      thread: r.tid,
      kind: r.isStep ? "step" : r.events.length === 0 ? "end" : "event",
      text: r.text,
      events: r.events.map((e) => e.idx),
      involved: past === undefined || r.events.length === 0 || raced || r.events.some((e) => past.has(e.id)),
      readsLater: r.readsLater,
      racing: raced,
    };
  });
}

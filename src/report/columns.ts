// A violation drawn as the seed threads draw races: one column per thread,
// time running down, step labels, each read with the write it read from,
// and the broken check last.
//
// Two levels of detail: `events` shows every access under its step label;
// `steps` shows one line per step (split where another thread cuts in; the
// rest of a step after a cut reads `↳ ...`), with the values it read and
// wrote in brief, like a hand-drawn timeline.
//
// What makes it readable at mm scale:
// - the events are drawn with as few thread switches as the graph allows
//   (drawingOrder.ts);
// - threads, and ends of threads, that the broken check does not depend on
//   are folded into one line each (causalPast.ts);
// - a loop's repeated iterations are drawn once with how often they
//   repeated (repeatFolding.ts);
// - nothing is cut: when the columns are wider than `width`, the same rows
//   are listed one per line, thread name first, wrapped under their text;
// - under a weak model, reads that miss a write drawn above them are named
//   (staleReads.ts).

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import { isWaiting, type EventId, type GraphEvent } from "../graph/event.ts";
import type { Outcome } from "../checks/outcome.ts";
import { timeline, type TimelineRow } from "./timeline.ts";
import { drawingOrder } from "./drawingOrder.ts";
import { causalPast } from "./causalPast.ts";
import { describeStaleRead, staleReads } from "./staleReads.ts";
import { valueText } from "./valueText.ts";
import { layOut, wrap } from "./traceLayout.ts";
import { escapeForTerminal } from "./terminalText.ts";
import { foldRepeats } from "./repeatFolding.ts";

export type ColumnDetail = "events" | "steps";

export interface ColumnLayout {
  /** The widest line allowed (a terminal's width); wider columns become a listing. Default: no limit. */
  readonly width?: number;
  /** Fold what the violation does not depend on (default true). */
  readonly fold?: boolean;
}

export interface Cell {
  readonly tid: number;
  readonly text: string;
  /** Whether the broken check depends on something this cell shows. */
  readonly involved: boolean;
}

/** Drawn in place of the columns when no thread issued an operation or entered a step. */
export const NOTHING_TO_DRAW = "(no thread issued an operation: there is no execution to draw)";

/** Shown after an access that takes part in a data race. */
export const RACE_MARK = " [RACE]";

/** `racing`: accesses to mark as taking part in a data race (see racingAccesses.ts). */
export function renderColumns(
  model: Model,
  g: ExecutionGraph,
  outcome: Outcome,
  detail: ColumnDetail = "events",
  racing: ReadonlySet<EventId> = new Set(),
  layout: ColumnLayout = {},
): string {
  const order = drawingOrder(g);
  const rows = timeline(model, g, outcome, order);
  const past = layout.fold === false ? undefined : causalPast(model, g, outcome);
  // Racing accesses are what a race report is about: never fold them.
  const involved = (r: TimelineRow) => past === undefined || r.events.length === 0 || r.events.some((e) => past.has(e.id) || racing.has(e.id));
  const raced = (r: TimelineRow) => r.events.some((e) => racing.has(e.id));
  const cells =
    detail === "events"
      ? rows.map((r) => ({ tid: r.tid, text: eventLabel(r) + (raced(r) ? RACE_MARK : ""), involved: involved(r) }))
      : stepCells(model, rows, raced, involved);
  const { shown: drawn, folded } = fold(model, cells, detail);
  // A loop that polled until the event bound would draw the same lines thousands of times.
  const shown = foldRepeats(drawn, (tid, text) => ({ tid, text, involved: true }));
  // Names, labels, values and messages come from the model: escaped before they are measured or printed.
  // An execution with nothing in it (a thread threw before its first operation) would be drawn as blank lines.
  const out =
    rows.length === 0
      ? [NOTHING_TO_DRAW]
      : layOut(
          model.threads.map((t) => escapeForTerminal(t.name)),
          shown.map((c) => ({ ...c, text: escapeForTerminal(c.text) })),
          layout.width ?? Infinity,
        );
  const notes: string[] = folded;
  if (rows.some((r) => r.readsLater)) notes.push("(* reads a write shown further down: a reordering the memory model allows)");
  for (const s of staleReads(g, order)) notes.push(`! ${describeStaleRead(model, s)}`);
  if (outcome.violation !== undefined) notes.push(`✗ ${outcome.violation.message}`);
  // Notes wrap at the width too, each continuation indented under its first word.
  const width = layout.width ?? Infinity;
  const wrapped = notes.flatMap((n) =>
    escapeForTerminal(n, { keepNewlines: true })
      .split("\n")
      .flatMap((line) => (line.length <= width ? [line] : wrap(line, Math.max(width - 2, 30)).map((part, i) => (i === 0 ? part : `  ${part}`)))),
  );
  return [...out, ...wrapped].join("\n");
}

/**
 * Threads with nothing involved, and the uninvolved ends of involved
 * threads (po keeps every earlier event of an involved one involved), are
 * left out of the drawing and counted on one line below it.
 */
function fold(model: Model, cells: readonly Cell[], detail: ColumnDetail): { shown: Cell[]; folded: string[] } {
  const unit = (n: number) => (detail === "steps" ? `${n} step${n === 1 ? "" : "s"}` : `${n} event${n === 1 ? "" : "s"}`);
  const counts = (c: Cell) => !(detail === "events" && c.text.endsWith(":")); // a step label is no event
  const lastInvolved = new Map<number, number>();
  cells.forEach((c, i) => c.involved && lastInvolved.set(c.tid, i));
  const shown = cells.filter((c, i) => i <= (lastInvolved.get(c.tid) ?? -1));
  const parts: string[] = [];
  model.threads.forEach((t, tid) => {
    const left = cells.filter((c, i) => c.tid === tid && counts(c) && i > (lastInvolved.get(tid) ?? -1)).length;
    if (left === 0) return;
    parts.push(lastInvolved.has(tid) ? `${t.name}'s last ${unit(left)}` : `${t.name} (${unit(left)})`);
  });
  return { shown, folded: parts.length === 0 ? [] : [`not involved, not drawn: ${parts.join(", ")}`] };
}

function eventLabel(r: TimelineRow): string {
  if (r.isStep) return `${r.text}:`;
  return `  ${r.text}${r.readsLater ? " *" : ""}`;
}

/** Folds each run of one thread's rows under one step into a single line. */
function stepCells(model: Model, rows: readonly TimelineRow[], raced: (r: TimelineRow) => boolean, involved: (r: TimelineRow) => boolean): Cell[] {
  const out: { tid: number; step: string; continued: boolean; facts: string[]; involved: boolean }[] = [];
  const currentStep: (string | undefined)[] = model.threads.map(() => undefined);
  for (const r of rows) {
    if (r.isStep) {
      currentStep[r.tid] = r.text;
      out.push({ tid: r.tid, step: r.text, continued: false, facts: [], involved: false });
      continue;
    }
    const last = out[out.length - 1];
    const group = last !== undefined && last.tid === r.tid ? last : { tid: r.tid, step: currentStep[r.tid] ?? "", continued: true, facts: [], involved: false };
    if (group !== last) out.push(group);
    group.involved ||= involved(r);
    const fact = r.events.length === 0 ? r.text : brief(model, r.events) + (r.readsLater ? "*" : "") + (raced(r) ? RACE_MARK : "");
    // In brief, a read says nothing new when the same read with the same value
    // is already in the line (a lookup, then its re-check), or when an RMW of
    // that location from that value follows it at once (check, then xchg).
    const previous = group.facts[group.facts.length - 1];
    const isRead = r.events.length === 1 && r.events[0]!.kind === "R";
    if (isRead && group.facts.includes(fact)) continue;
    if (previous !== undefined && r.events.length === 2 && fact.startsWith(previous.replace(/=/, " ") + "→")) group.facts.pop();
    group.facts.push(fact);
  }
  // A thread that names no steps gets its accesses alone, not an empty label before them;
  // the rest of a step another thread cut into is marked, not labelled again.
  // A label with no accesses of its own is as involved as what its thread does next.
  const involvedFrom = (i: number): boolean => {
    const next = out.slice(i).find((c) => c.tid === out[i]!.tid && c.facts.length > 0);
    return next === undefined || next.involved;
  };
  return out.map((c, i) => ({
    tid: c.tid,
    involved: c.facts.length === 0 ? involvedFrom(i) : c.involved,
    text: c.facts.length === 0 ? c.step : c.step === "" ? c.facts.join(", ") : `${c.continued ? "↳" : `${c.step}:`} ${c.facts.join(", ")}`,
  }));
}

function brief(model: Model, events: readonly GraphEvent[]): string {
  const e = events[0]!;
  const loc = e.loc >= 0 ? model.locations[e.loc]!.name : "";
  const shown = (x: GraphEvent) => valueText(model, x.loc, x.value);
  if (e.kind === "F") return e.op?.name ?? String(e.fence);
  if (e.kind === "W") return `${loc}:=${shown(e)}`;
  if (isWaiting(e)) return `WAITS on ${loc} (${shown(e)})`;
  const partner = events[1];
  if (partner !== undefined) return `${loc} ${shown(e)}→${shown(partner)}`;
  return `${loc}=${shown(e)}`;
}

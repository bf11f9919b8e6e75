// A violation drawn as the seed threads draw races: one column per thread,
// time running down, step labels, each read with the write it read from,
// and the broken check last.
//
// Two levels of detail: `events` shows every access under its step label;
// `steps` shows one line per step (split where another thread cuts in),
// with the values it read and wrote in brief, like a hand-drawn timeline.

import type { Model } from "../program/model.ts";
import { formatValue } from "../program/value.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import { isWaiting, type EventId, type GraphEvent } from "../graph/event.ts";
import type { Outcome } from "../checks/outcome.ts";
import { timeline, type TimelineRow } from "./timeline.ts";

export type ColumnDetail = "events" | "steps";

const MAX_WIDTH: Record<ColumnDetail, number> = { events: 56, steps: 64 };

interface Cell {
  readonly tid: number;
  readonly text: string;
}

/** Shown after an access that takes part in a data race. */
export const RACE_MARK = " [RACE]";

/** `racing`: accesses to mark as taking part in a data race (see racingAccesses.ts). */
export function renderColumns(model: Model, g: ExecutionGraph, outcome: Outcome, detail: ColumnDetail = "events", racing: ReadonlySet<EventId> = new Set()): string {
  const rows = timeline(model, g, outcome);
  const raced = (r: TimelineRow) => r.events.some((e) => racing.has(e.id));
  const cells = detail === "events" ? rows.map((r) => ({ tid: r.tid, text: eventLabel(r) + (raced(r) ? RACE_MARK : "") })) : stepCells(model, rows, raced);
  const max = MAX_WIDTH[detail];
  // A clipped cell keeps its race mark: the mark is what the reader looks for.
  const clip = (text: string) => {
    if (text.length <= max) return text;
    const mark = text.endsWith(RACE_MARK) ? RACE_MARK : "";
    return text.slice(0, max - 1 - mark.length) + "…" + mark;
  };
  const cols = model.threads.map((_, tid) => tid).filter((tid) => cells.some((c) => c.tid === tid));
  const width = new Map<number, number>();
  for (const tid of cols) width.set(tid, Math.max(model.threads[tid]!.name.length, ...cells.filter((c) => c.tid === tid).map((c) => clip(c.text).length)));
  const line = (byTid: Map<number, string>) =>
    cols
      .map((tid) => (byTid.get(tid) ?? "").padEnd(width.get(tid)!))
      .join(" | ")
      .trimEnd();
  const out: string[] = [];
  out.push(line(new Map(cols.map((tid) => [tid, model.threads[tid]!.name]))));
  out.push(cols.map((tid) => "-".repeat(width.get(tid)!)).join("-+-"));
  for (const c of cells) out.push(line(new Map([[c.tid, clip(c.text)]])));
  if (rows.some((r) => r.readsLater)) out.push("(* reads a write shown further down: a reordering the memory model allows)");
  if (outcome.violation !== undefined) out.push(`✗ ${outcome.violation.message}`);
  return out.join("\n");
}

function eventLabel(r: TimelineRow): string {
  if (r.isStep) return `${r.text}:`;
  return `  ${r.text}${r.readsLater ? " *" : ""}`;
}

/** Folds each run of one thread's rows under one step into a single line. */
function stepCells(model: Model, rows: readonly TimelineRow[], raced: (r: TimelineRow) => boolean): Cell[] {
  const out: { tid: number; step: string; facts: string[] }[] = [];
  const currentStep: (string | undefined)[] = model.threads.map(() => undefined);
  for (const r of rows) {
    if (r.isStep) {
      currentStep[r.tid] = r.text;
      out.push({ tid: r.tid, step: r.text, facts: [] });
      continue;
    }
    const last = out[out.length - 1];
    const group = last !== undefined && last.tid === r.tid ? last : { tid: r.tid, step: currentStep[r.tid] ?? "", facts: [] };
    if (group !== last) out.push(group);
    if (r.events.length === 0) group.facts.push(r.text);
    else group.facts.push(brief(model, r.events) + (r.readsLater ? "*" : "") + (raced(r) ? RACE_MARK : ""));
  }
  // A thread that names no steps gets its accesses alone, not an empty label before them.
  return out.map((c) => ({ tid: c.tid, text: c.facts.length === 0 ? c.step : c.step === "" ? c.facts.join(", ") : `${c.step}: ${c.facts.join(", ")}` }));
}

function brief(model: Model, events: readonly GraphEvent[]): string {
  const e = events[0]!;
  const loc = e.loc >= 0 ? model.locations[e.loc]!.name : "";
  if (e.kind === "F") return e.op?.name ?? String(e.fence);
  if (e.kind === "W") return `${loc}:=${formatValue(e.value)}`;
  if (isWaiting(e)) return `WAITS on ${loc} (${formatValue(e.value)})`;
  const partner = events[1];
  if (partner !== undefined) return `${loc} ${formatValue(e.value)}→${formatValue(partner.value)}`;
  return `${loc}=${formatValue(e.value)}`;
}

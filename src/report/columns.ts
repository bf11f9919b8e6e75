// A violation drawn as the seed threads draw races: one column per thread,
// time running down, step labels, each read with the write it read from,
// and the broken check last.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Outcome } from "../checks/outcome.ts";
import { timeline } from "./timeline.ts";

const MAX_WIDTH = 56;

export function renderColumns(model: Model, g: ExecutionGraph, outcome: Outcome): string {
  const rows = timeline(model, g, outcome);
  const used = model.threads.map((_, tid) => rows.some((r) => r.tid === tid));
  const cols = model.threads.map((_, tid) => tid).filter((tid) => used[tid]);
  const cell = (text: string) => (text.length > MAX_WIDTH ? text.slice(0, MAX_WIDTH - 1) + "…" : text);
  const width = new Map<number, number>();
  for (const tid of cols) width.set(tid, Math.max(model.threads[tid]!.name.length, ...rows.filter((r) => r.tid === tid).map((r) => cell(label(r)).length)));
  const line = (cells: Map<number, string>) =>
    cols
      .map((tid) => (cells.get(tid) ?? "").padEnd(width.get(tid)!))
      .join(" | ")
      .trimEnd();
  const out: string[] = [];
  out.push(line(new Map(cols.map((tid) => [tid, model.threads[tid]!.name]))));
  out.push(cols.map((tid) => "-".repeat(width.get(tid)!)).join("-+-"));
  for (const r of rows) out.push(line(new Map([[r.tid, cell(label(r))]])));
  if (rows.some((r) => r.readsLater)) out.push("(* reads a write shown further down: a reordering the memory model allows)");
  if (outcome.violation !== undefined) out.push(`✗ ${outcome.violation.message}`);
  return out.join("\n");
}

function label(r: { text: string; isStep: boolean; readsLater: boolean }): string {
  if (r.isStep) return `${r.text}:`;
  return `  ${r.text}${r.readsLater ? " *" : ""}`;
}

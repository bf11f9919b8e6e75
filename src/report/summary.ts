// The one-paragraph result of checking a model, for people.

import { groupDigits } from "./groupDigits.ts";
import type { Model } from "../program/model.ts";
import type { ExplorationResult } from "../explore/explore.ts";
import { renderColumns, type ColumnDetail } from "./columns.ts";
import { verdictOf } from "./verdict.ts";
import { violatingText } from "./runReport.ts";
import { outOfExecutions } from "./executionCount.ts";

export interface SummaryOptions {
  /** How to replay a violation: given its id, the command line to print. */
  readonly replayCommand?: (id: string) => string;
  readonly replayIds: readonly (string | undefined)[];
  /** Timelines with every access (default) or one line per step. */
  readonly detail?: ColumnDetail;
  /** The widest line a timeline may take (see terminalWidth.ts); default: no limit. */
  readonly width?: number;
}

const n = groupDigits;

export function renderSummary(model: Model, r: ExplorationResult, opts: SummaryOptions): string {
  const verdict = verdictOf(r);
  const secs = r.elapsedMs / 1000;
  const explored = r.executions + r.blocked + r.deadlocks + r.assertionFailures + r.boundHits;
  const lines = [
    `${model.name} [${r.memoryModel}${r.strategy === "optimal" ? "" : `, ${r.strategy}`}]: ${verdict.text}`,
    `  executions ${n(r.executions)}, blocked ${n(r.blocked)}, deadlocks ${n(r.deadlocks)}, duplicates ${n(r.duplicates)}` +
      `, ${secs.toFixed(secs < 10 ? 3 : 1)} s, ${n(Math.round(r.executions / Math.max(secs, 1e-6)))} executions/s` +
      ` (${n(Math.round(explored / Math.max(secs, 1e-6)))} explorations/s)` +
      (r.exhaustive || r.incomplete !== undefined || r.bounded !== undefined ? "" : " (stopped at the first violation)"),
  ];
  const violating = violatingText(r);
  if (violating !== undefined) lines.push(`  ${violating}`);
  model.checks
    .filter((c) => c.kind === "exists")
    .forEach((c, i) => lines.push(`  exists "${c.name}": in ${n(r.existsCounts[i] ?? 0)} of ${outOfExecutions(r)}`));
  r.violations.forEach((v, i) => {
    lines.push("", renderColumns(model, v.graph, v.outcome, opts.detail, new Set(), { width: opts.width === undefined ? undefined : opts.width - 2 }).replace(/^/gm, "  "));
    const id = opts.replayIds[i];
    if (id !== undefined) lines.push(`  replay: ${opts.replayCommand ? opts.replayCommand(id) : id}`);
  });
  return lines.join("\n");
}

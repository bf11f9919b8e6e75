// What `check` prints below its table for one run (a model under one memory
// model): each violation drawn as a timeline with the command that replays
// it, the data race LKMM flagged (a warning line naming both accesses, and
// the execution drawn with them marked), how many executions violated (with
// --all, more than --keep-violations draws), why a run is not verified,
// whether symmetry reduction was on, and the model's witnesses.

import { groupDigits } from "./groupDigits.ts";
import type { Model } from "../program/model.ts";
import type { EventId } from "../graph/event.ts";
import type { ExplorationResult } from "../explore/explore.ts";
import { renderColumns, type ColumnDetail } from "./columns.ts";
import { describeAccess, type RacingPair } from "./racingAccesses.ts";
import { countsClasses, executionCount, outOfExecutions } from "./executionCount.ts";

export interface RunReportOptions {
  readonly detail: ColumnDetail;
  readonly replayIds: readonly (string | undefined)[];
  /** The command line that replays an id. */
  readonly replayCommand: (id: string) => string;
  readonly racesAreViolations: boolean;
  /** The widest line a timeline may take (see terminalWidth.ts); default: no limit. */
  readonly width?: number;
  /** The first racing execution's pairs and replay id. */
  readonly race?: { readonly pairs: readonly RacingPair[]; readonly replayId?: string };
}

const n = groupDigits;

export function renderRunReport(model: Model, r: ExplorationResult, o: RunReportOptions): string[] {
  const label = `${model.name} [${r.memoryModel}]`;
  const blocks: string[] = [];
  const replayLine = (id: string | undefined) =>
    id !== undefined ? `replay: ${o.replayCommand(id)}` : `(no replay id: ${r.strategy === "candidates" ? "explored by candidate enumeration, which keeps no path" : "no path was kept"})`;
  r.violations.forEach((v, i) => {
    blocks.push([`${label}: ${v.outcome.violation!.message.split("\n")[0]}`, renderColumns(model, v.graph, v.outcome, o.detail, new Set(), { width: o.width }), replayLine(o.replayIds[i])].join("\n"));
  });
  const race = r.dataRaces?.first;
  if (race !== undefined) {
    const pairs = o.race?.pairs ?? [];
    const named = pairs.length === 0 ? "" : `: ${describeAccess(model, pairs[0]!.first)} and ${describeAccess(model, pairs[0]!.second)}`;
    const more = pairs.length > 1 ? ` (and ${pairs.length - 1} more pair${pairs.length > 2 ? "s" : ""} in this execution)` : "";
    const word = o.racesAreViolations ? "violation" : "warning";
    const head = `${word}: ${label}: data race in ${n(r.dataRaces!.executions)} of ${outOfExecutions(r)}${named}${more}`;
    const marked = new Set<EventId>(pairs.flatMap((p) => [p.first.id, p.second.id]));
    blocks.push([head, renderColumns(model, race.graph, race.outcome, o.detail, marked, { width: o.width }), replayLine(o.race?.replayId)].join("\n"));
  }
  const notes: string[] = [];
  const violating = violatingText(r);
  if (violating !== undefined) notes.push(`${label}: ${violating}`);
  if (r.incomplete !== undefined) notes.push(`${label}: not verified: ${r.incomplete}`);
  if (r.symmetry !== undefined) notes.push(`${label}: ${symmetryText(r.symmetry)}`);
  model.checks
    .filter((c) => c.kind === "exists")
    .forEach((c, i) => notes.push(`${label}: exists "${c.name}": in ${n(r.existsCounts[i] ?? 0)} of ${outOfExecutions(r)}`));
  if (notes.length > 0) blocks.push(notes.join("\n"));
  return blocks;
}

/**
 * How many executions violated, drawn or only counted (past
 * --keep-violations): `34 violating executions, 20 drawn`. Left out when
 * the run stopped at its first violation, where the count says nothing more
 * than the violation drawn; and when nothing violated.
 */
export function violatingText(r: ExplorationResult): string | undefined {
  const stoppedAtFirst = !r.exhaustive && r.incomplete === undefined && r.bounded === undefined;
  if (r.violationCount === 0 || (stoppedAtFirst && r.violationCount <= r.violations.length)) return undefined;
  const counted = executionCount(r.violationCount, countsClasses(r), "violating");
  const drawn = r.violations.length === r.violationCount ? (r.violationCount === 1 ? "drawn" : "all drawn") : `${n(r.violations.length)} drawn`;
  const soFar = r.bounded !== undefined ? " before the run was bounded" : stoppedAtFirst ? " before the run stopped" : "";
  return `${counted}${soFar}, ${drawn}`;
}

/** Whether the counts are of executions or of classes of executions equal up to exchanging identical threads. */
function symmetryText(s: NonNullable<ExplorationResult["symmetry"]>): string {
  const classes = s.classes.map((c) => c.join(" ~ ")).join("; ");
  if (s.reduced)
    return `symmetry reduction on: counts are of classes of executions equal up to exchanging identical threads (${classes}), each explored and drawn as one real execution; --no-symmetry counts every execution`;
  // The reason may already name what is off (`symmetry reduction turned off`): say it once.
  const why = s.why ?? "";
  const off = /^symmetry reduction\b/.test(why) ? why : `symmetry reduction off${why === "" ? "" : ` (${why})`}`;
  return `${off}: identical threads ${classes}, every execution counted`;
}

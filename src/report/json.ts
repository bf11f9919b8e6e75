// The versioned JSON result, for tools and the viewer: per run (a model
// under one memory model) what it declared and what it found, the counts,
// each violation with its whole graph (events, reads-from, coherence) and
// trace, and the data races LKMM flagged.
//
// Version 2 (this one): one result per model and memory model, with
// `expected` the expectation for that memory model; `verdict` is
// "verified", "violation" or "not verified" (version 1 said "verified" for
// a run that was not exhaustive); `bounded` names the budget that ended a
// run; `dataRaces`; `elapsedMs`, and `preCheckMs`, always 0 since LKMM
// needs no pre-check.
//
// Additions within version 2 (optional: documents written before them lack
// them): each violation's `timeline` (the trace's rows with their events,
// for stepping through the execution) and `replayCommand`; the first data
// race's `timeline`; each graph's `initial` values and each event's
// `label`, with the values named as the model names them; `symmetry`, for a
// model that declares identical threads: whether the counts are of classes
// of executions equal up to exchanging them (`reduced`), the classes, and
// why not when not; `violatingExecutions`, how many executions violated,
// those kept in `violations` and those past --keep-violations only counted.

import { formatValue } from "../program/value.ts";
import type { Expectation, Model } from "../program/model.ts";
import { tidOf, idxOf, type EventId } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { ExplorationResult } from "../explore/explore.ts";
import { renderColumns } from "./columns.ts";
import { timelineJson } from "./timelineJson.ts";
import { valueText } from "./valueText.ts";
import { eventLabel } from "./dot/executionDot.ts";
import { judge, verdictOf } from "./verdict.ts";
import type { RacingPair } from "./racingAccesses.ts";

export const JSON_FORMAT = { format: "pagerace-result", version: 2 } as const;

export interface ResultJsonOptions {
  /** What the model declared for this memory model. */
  readonly expect?: Expectation;
  readonly racesAreViolations?: boolean;
  readonly replayIds: readonly (string | undefined)[];
  /** The first racing execution's replay id and its racing pairs. */
  readonly race?: { readonly replayId?: string; readonly pairs: readonly RacingPair[] };
  /** The command line that replays an id (`pagerace replay FILE ID`); without it, no `replayCommand` is written. */
  readonly replayCommand?: (replayId: string) => string;
}

export function resultJson(model: Model, r: ExplorationResult, o: ResultJsonOptions): object {
  const v = verdictOf(r, o.racesAreViolations);
  const race = r.dataRaces?.first;
  return {
    model: model.name,
    memoryModel: r.memoryModel,
    strategy: r.strategy,
    verdict: v.found,
    verdictText: v.text,
    expected: o.expect ?? null,
    judgement: judge(v.found, o.expect) ?? null,
    exhaustive: r.exhaustive,
    bounded: r.bounded ?? null,
    incomplete: r.incomplete ?? null,
    exists: model.checks.filter((c) => c.kind === "exists").map((c, i) => ({ name: c.name, executions: r.existsCounts[i] ?? 0 })),
    executions: r.executions,
    blocked: r.blocked,
    deadlocks: r.deadlocks,
    assertionFailures: r.assertionFailures,
    boundHits: r.boundHits,
    duplicates: r.duplicates,
    violatingExecutions: r.violationCount,
    ...(r.symmetry === undefined ? {} : { symmetry: { reduced: r.symmetry.reduced, classes: r.symmetry.classes, why: r.symmetry.why ?? null } }),
    elapsedMs: round(r.elapsedMs),
    preCheckMs: round(r.preCheckMs),
    dataRaces:
      r.dataRaces === undefined
        ? null
        : {
            violation: o.racesAreViolations === true,
            executions: r.dataRaces.executions,
            first:
              race === undefined
                ? null
                : {
                    replayId: o.race?.replayId ?? null,
                    accesses: (o.race?.pairs ?? []).map((p) => [eventRef(model, p.first.id), eventRef(model, p.second.id)]),
                    graph: graphJson(model, race.graph),
                    ...replayCommandJson(o, o.race?.replayId),
                    timeline: timelineJson(model, race.graph, race.outcome, new Set((o.race?.pairs ?? []).flatMap((p) => [p.first.id, p.second.id]))),
                  },
          },
    violations: r.violations.map((x, i) => ({
      kind: x.outcome.violation!.kind,
      message: x.outcome.violation!.message,
      replayId: o.replayIds[i] ?? null,
      deadlock: x.outcome.violation!.deadlock ?? null,
      graph: graphJson(model, x.graph),
      trace: renderColumns(model, x.graph, x.outcome),
      ...replayCommandJson(o, o.replayIds[i]),
      timeline: timelineJson(model, x.graph, x.outcome),
    })),
  };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** `{ replayCommand }` when there is an id and a way to write its command; else nothing (the field is left out). */
function replayCommandJson(o: ResultJsonOptions, id: string | undefined): { replayCommand?: string } {
  return id === undefined || o.replayCommand === undefined ? {} : { replayCommand: o.replayCommand(id) };
}

function eventRef(model: Model, id: EventId): object {
  return tidOf(id) < 0 ? { init: model.locations[idxOf(id)]!.name } : { thread: tidOf(id), index: idxOf(id) };
}

export function graphJson(model: Model, g: ExecutionGraph): object {
  const ref = (id: EventId) => eventRef(model, id);
  return {
    threads: model.threads.map((t) => t.name),
    locations: model.locations.map((l) => l.name),
    initial: Object.fromEntries(g.inits.map((e) => [model.locations[e.loc]!.name, valueText(model, e.loc, e.value)])),
    events: g.threads.map((events) =>
      events.map((e) => ({
        kind: e.kind,
        location: e.loc >= 0 ? model.locations[e.loc]!.name : null,
        value: formatValue(e.value),
        mode: e.mode,
        rmw: e.rmw,
        fence: e.fence ?? null,
        op: e.op?.name ?? null,
        step: e.step ?? null,
        rf: e.kind === "R" ? ref(e.rf) : null,
        label: eventLabel(model, e),
      })),
    ),
    co: Object.fromEntries(g.co.map((order, loc) => [model.locations[loc]!.name, order.slice(1).map(ref)])),
  };
}

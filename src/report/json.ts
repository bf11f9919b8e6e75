// The versioned JSON result, for tools and the viewer: counts, and each
// violation with its whole graph (events, reads-from, coherence) and trace.

import { formatValue } from "../program/value.ts";
import type { Model } from "../program/model.ts";
import { tidOf, idxOf, type EventId } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { ExplorationResult } from "../explore/explore.ts";
import { renderColumns } from "./columns.ts";
import { verdictOf } from "./verdict.ts";

export const JSON_FORMAT = { format: "pagerace-result", version: 1 } as const;

export function resultJson(model: Model, r: ExplorationResult, replayIds: readonly (string | undefined)[]): object {
  const v = verdictOf(model, r);
  return {
    model: model.name,
    memoryModel: r.memoryModel,
    strategy: r.strategy,
    verdict: v.kind,
    expected: model.expect ?? null,
    asExpected: v.expected,
    exhaustive: r.exhaustive,
    incomplete: r.incomplete ?? null,
    exists: model.checks.filter((c) => c.kind === "exists").map((c, i) => ({ name: c.name, executions: r.existsCounts[i] ?? 0 })),
    executions: r.executions,
    blocked: r.blocked,
    deadlocks: r.deadlocks,
    assertionFailures: r.assertionFailures,
    boundHits: r.boundHits,
    duplicates: r.duplicates,
    elapsedMs: Math.round(r.elapsedMs * 1000) / 1000,
    violations: r.violations.map((x, i) => ({
      kind: x.outcome.violation!.kind,
      message: x.outcome.violation!.message,
      replayId: replayIds[i] ?? null,
      deadlock: x.outcome.violation!.deadlock ?? null,
      graph: graphJson(model, x.graph),
      trace: renderColumns(model, x.graph, x.outcome),
    })),
  };
}

export function graphJson(model: Model, g: ExecutionGraph): object {
  const ref = (id: EventId) => (tidOf(id) < 0 ? { init: model.locations[idxOf(id)]!.name } : { thread: tidOf(id), index: idxOf(id) });
  return {
    threads: model.threads.map((t) => t.name),
    locations: model.locations.map((l) => l.name),
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
      })),
    ),
    co: Object.fromEntries(g.co.map((order, loc) => [model.locations[loc]!.name, order.slice(1).map(ref)])),
  };
}

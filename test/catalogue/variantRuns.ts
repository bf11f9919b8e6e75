// Running and inspecting catalogue variants in tests: look a variant up by
// scenario id and name, explore it under its own memory model, take its
// violations with their column timelines, and ask an execution graph who
// read what from whom.

import assert from "node:assert/strict";
import { explore, type ExplorationResult } from "../../src/explore/explore.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { renderColumns } from "../../src/report/columns.ts";
import { scenarios, type Variant } from "../../src/catalogue/index.ts";
import type { Model } from "../../src/program/model.ts";
import type { Loc } from "../../src/program/value.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import type { GraphEvent } from "../../src/graph/event.ts";
import type { Outcome } from "../../src/checks/outcome.ts";

/** The variant `name` of the catalogue scenario `id` (ids are unique across seeds). */
export function variant(id: string, name: string): Variant {
  const v = scenarios.find((s) => s.id === id)?.variants.find((x) => x.name === name);
  assert.ok(v !== undefined, `${id} ${name} is registered`);
  return v;
}

export interface RunOptions {
  /** Explore every execution instead of stopping at the first violation. */
  readonly all?: boolean;
  /** Called for each execution, with the model the variant built. */
  readonly onExecution?: (g: ExecutionGraph, o: Outcome, model: Model) => void;
}

export interface VariantRun {
  readonly variant: Variant;
  readonly model: Model;
  readonly result: ExplorationResult;
}

/** Builds a variant and explores it under its memory model (by default stopping at the first violation). */
export function exploreVariant(id: string, name: string, options: RunOptions = {}): VariantRun {
  const v = variant(id, name);
  const model = v.build();
  const { onExecution } = options;
  const result = explore(model, {
    memoryModel: memoryModelNamed(v.memoryModel),
    stopOnViolation: !options.all,
    ...(onExecution === undefined ? {} : { onExecution: (g: ExecutionGraph, o: Outcome) => onExecution(g, o, model) }),
  });
  return { variant: v, model, result };
}

/** One violating execution, with its column timeline rendered on demand. */
export interface Violation {
  readonly graph: ExecutionGraph;
  readonly outcome: Outcome;
  /** The race's column timeline (see `inOrder` and `lineOf`). */
  readonly text: string;
}

function violation(model: Model, x: { readonly graph: ExecutionGraph; readonly outcome: Outcome }): Violation {
  return {
    graph: x.graph,
    outcome: x.outcome,
    get text() {
      return renderColumns(model, x.graph, x.outcome);
    },
  };
}

/** The first violation exploring a variant finds; fails the test when there is none. */
export function firstViolation(id: string, name: string): Violation & VariantRun {
  const run = exploreVariant(id, name);
  const first = run.result.violations[0];
  assert.ok(first?.outcome.violation, `${id} ${name}: expected a violation`);
  const found = violation(run.model, first);
  return {
    ...run,
    graph: found.graph,
    outcome: found.outcome,
    get text() {
      return found.text;
    },
  };
}

/** Every violating execution of a variant (all of them, not just the first); fails the test when there is none. */
export function allViolations(id: string, name: string): VariantRun & { readonly all: readonly Violation[] } {
  const run = exploreVariant(id, name, { all: true });
  assert.ok(run.result.violations.length > 0, `${id} ${name}: expected violations`);
  return { ...run, all: run.result.violations.map((x) => violation(run.model, x)) };
}

/** Checks that `labels` appear in `text` in this order, top to bottom. */
export function inOrder(text: string, labels: readonly string[]): void {
  let at = -1;
  for (const l of labels) {
    const next = text.indexOf(l, at + 1);
    assert.ok(next > at, `"${l}" should come after the previous step in:\n${text}`);
    at = next;
  }
}

/** Line of the timeline where a step label first appears (its column decides the thread). */
export function lineOf(text: string, label: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(label));
  assert.ok(i >= 0, `the timeline shows "${label}":\n${text}`);
  return i;
}

/** The location named `name`. */
export function loc(model: Model, name: string): Loc {
  const l = model.locations.find((x) => x.name === name);
  assert.ok(l !== undefined, `location ${name}`);
  return l;
}

/** The index of the thread named `name`. */
export function tid(model: Model, name: string): number {
  const i = model.threads.findIndex((t) => t.name === name);
  assert.ok(i >= 0, `thread ${name}`);
  return i;
}

/** A thread's events of one location, in program order; with `step`, only those issued in a step whose label contains it. */
export function eventsOf(model: Model, g: ExecutionGraph, thread: string, location: string, step?: string): GraphEvent[] {
  const id = loc(model, location).id;
  return g.threads[tid(model, thread)]!.filter((e) => e.loc === id && (step === undefined || (e.step ?? "").includes(step)));
}

/** A thread's reads (RMW reads included) of one location, in program order; `step` as for `eventsOf`. */
export function readsIn(model: Model, g: ExecutionGraph, thread: string, location: string, step?: string): GraphEvent[] {
  return eventsOf(model, g, thread, location, step).filter((e) => e.kind === "R");
}

/** The one read (or RMW read half) a thread made of `location` in `step`. */
export function readIn(model: Model, g: ExecutionGraph, thread: string, location: string, step: string): GraphEvent {
  const rs = readsIn(model, g, thread, location, step);
  assert.equal(rs.length, 1, `${thread} reads ${location} once in "${step}"`);
  return rs[0]!;
}

/** The name of the thread whose write `r` read from, or `init`. */
export function writer(model: Model, g: ExecutionGraph, r: GraphEvent): string {
  const w = g.event(r.rf).tid;
  return w < 0 ? "init" : model.threads[w]!.name;
}

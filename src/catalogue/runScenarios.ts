// Running catalogue variants: pick them (seed, id prefix, size), explore each
// under the memory model it declares, and judge the result against the
// verdict it declares. The result is a plain row (for the table and JSON)
// plus what a reporter needs to draw the race (the model and the graphs).

import type { Model } from "../program/model.ts";
import type { ViolationKind } from "../checks/outcome.ts";
import type { Progress } from "../explore/executionRecorder.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import { explore, type ExplorationResult } from "../explore/explore.ts";
import { encodeReplayId } from "../explore/replayId.ts";
import { memoryModelNamed } from "../models/registry.ts";
import type { RaceKind, Scenario, ScenarioModel, Variant, VariantVerdict } from "./scenario.ts";

export interface SelectedVariant {
  readonly scenario: Scenario;
  readonly variant: Variant;
}

export interface Selection {
  /** Only this seed (`000`; `0` and `00` mean the same). */
  readonly seed?: string;
  /** Scenario id prefixes (`004`, `004-B2`), case-insensitive; none means every scenario. */
  readonly filters?: readonly string[];
  /** Also the `larger` variants (the default table runs only the smallest). */
  readonly larger?: boolean;
}

/** Seeds are written with three digits; accept `4` for `004` on the command line. */
export function normalSeed(seed: string): string {
  return /^\d+$/.test(seed) ? seed.padStart(3, "0") : seed;
}

export function selectVariants(catalogue: readonly Scenario[], s: Selection = {}): SelectedVariant[] {
  const filters = (s.filters ?? []).map((f) => f.toLowerCase());
  const seed = s.seed === undefined ? undefined : normalSeed(s.seed);
  return catalogue
    .filter((sc) => seed === undefined || normalSeed(sc.seed) === seed)
    .filter((sc) => filters.length === 0 || filters.some((f) => sc.id.toLowerCase().startsWith(f)))
    .flatMap((scenario) => scenario.variants.filter((v) => s.larger || v.size === "smallest").map((variant) => ({ scenario, variant })));
}

/** What exploring a variant showed. `bound`: a thread hit the event bound (a modelling problem, not a race). */
export type Found = "race" | "verified" | "bound" | "incomplete" | "error";

/** One line of the catalogue table; plain data, as printed in JSON. */
export interface ScenarioRow {
  readonly scenario: string;
  readonly seed: string;
  readonly title: string;
  readonly invariant: string;
  readonly variant: string;
  readonly summary: string;
  readonly size: Variant["size"];
  readonly memoryModel: ScenarioModel;
  readonly expect: VariantVerdict;
  readonly raceKind: RaceKind | null;
  readonly found: Found;
  /** The first violation's kind and message (or the model error's message). */
  readonly violationKind: ViolationKind | null;
  readonly message: string | null;
  readonly strategy: string | null;
  readonly executions: number;
  readonly blocked: number;
  readonly deadlocks: number;
  readonly exhaustive: boolean;
  readonly elapsedMs: number;
  readonly asDeclared: boolean;
  /** Why not, when not as declared. */
  readonly reason: string | null;
  /** Replays the first violation (none for explorations that keep no path, such as LKMM by candidates). */
  readonly replayId: string | null;
}

export interface ScenarioRun {
  readonly row: ScenarioRow;
  readonly scenario: Scenario;
  readonly variant: Variant;
  /** The variant's model, without its own `expect`: the variant's declaration is the one that counts. */
  readonly model?: Model;
  readonly result?: ExplorationResult;
  /** Replay id of each violation, in order. */
  readonly replayIds: readonly (string | undefined)[];
  readonly error?: unknown;
}

export interface RunOptions {
  /** Do not stop at the first violation (default: stop; one counterexample decides a race). */
  readonly all?: boolean;
  /** Updated with the running thread, for the command line's watchdog. */
  readonly site?: RunningSite;
  /** Just before the variant's threads first run, and after the last; the watchdog is armed in between. */
  readonly onStart?: (label: string, model: Model) => void;
  readonly onEnd?: () => void;
  readonly onProgress?: (label: string, p: Progress) => void;
}

export function variantLabel(s: SelectedVariant): string {
  return `${s.scenario.id} ${s.variant.name}`;
}

/**
 * Explores one variant. Errors in the model (a thread that throws, a build
 * that fails) become an `error` row instead of stopping the catalogue: one
 * scenario being written must not hide the verdicts of the others.
 */
export function runVariant(s: SelectedVariant, options: RunOptions = {}): ScenarioRun {
  const { variant } = s;
  const label = variantLabel(s);
  let model: Model | undefined;
  try {
    model = { ...variant.build(), expect: undefined };
    const memoryModel = memoryModelNamed(variant.memoryModel);
    options.onStart?.(label, model);
    let result: ExplorationResult;
    try {
      result = explore(model, {
        memoryModel,
        stopOnViolation: !options.all,
        site: options.site,
        onProgress: options.onProgress && ((p) => options.onProgress!(label, p)),
      });
    } finally {
      options.onEnd?.();
    }
    return exploredRun(s, model, result);
  } catch (error) {
    return failedRun(s, model, error);
  }
}

/** A variant's run from its exploration: its row, and a replay id for each violation kept. */
export function exploredRun(s: SelectedVariant, model: Model, result: ExplorationResult): ScenarioRun {
  const replayIds = result.violations.map((v) => (v.path === undefined ? undefined : encodeReplayId(model, s.variant.memoryModel, v.path)));
  return { row: rowOf(s, model, result, replayIds[0]), scenario: s.scenario, variant: s.variant, model, result, replayIds };
}

/** A variant that could not be run (its build or a thread threw): its error row. */
export function failedRun(s: SelectedVariant, model: Model | undefined, error: unknown): ScenarioRun {
  const message = error instanceof Error ? error.message : String(error);
  return { row: errorRow(s, message), scenario: s.scenario, variant: s.variant, model, replayIds: [], error };
}

interface Judgement {
  readonly found: Found;
  readonly asDeclared: boolean;
  readonly reason: string | null;
}

/**
 * A race variant must show a violation (of its declared kind: `deadlock` is
 * a waits-for cycle, `invariant` a failed final check or assertion). A
 * verified variant must show none, with every execution explored and no
 * thread cut off by the event bound: only then does "verified" mean that no
 * execution breaks the invariant.
 */
export function judge(variant: Variant, r: ExplorationResult, model?: Model): Judgement {
  const first = r.violations[0]?.outcome.violation;
  const found: Found =
    first === undefined ? (r.exhaustive && r.boundHits === 0 ? "verified" : "incomplete") : first.kind === "bound" ? "bound" : "race";
  const executions = `${r.executions.toLocaleString("en-US")} executions`;
  const no = (reason: string): Judgement => ({ found, asDeclared: false, reason });
  if (found === "bound") return no(first!.message);
  if (found === "incomplete") return no(r.incomplete ?? `exploration stopped before every execution was explored (${executions})`);
  if (variant.expect === "verified") {
    if (found !== "verified") return no(`expected verified, found a race: ${firstLine(first!.message)}`);
    const idle = model === undefined ? [] : unwitnessed(model, r);
    return idle.length === 0 ? { found, asDeclared: true, reason: null } : no(`vacuous: ${idle.map((n) => `'${n}'`).join(", ")} held in none of the ${executions}`);
  }
  if (found === "verified") return no(`expected a race, none in all ${executions}`);
  const kind: RaceKind = first!.kind === "deadlock" ? "deadlock" : "invariant";
  if (variant.raceKind !== undefined && variant.raceKind !== kind)
    return no(`expected a ${variant.raceKind} race, found ${FOUND_KIND[first!.kind]}: ${firstLine(first!.message)}`);
  return { found, asDeclared: true, reason: null };
}

/**
 * A verified variant's `exists` checks are its witnesses: what must happen in
 * some execution for "no violation" to mean anything (the fault maps the
 * page, the truncate frees it). One that never holds makes the verdict vacuous.
 */
function unwitnessed(model: Model, r: ExplorationResult): string[] {
  const witnesses = model.checks.filter((c) => c.kind === "exists");
  return witnesses.filter((_, i) => (r.existsCounts[i] ?? 0) === 0).map((c) => c.name);
}

const FOUND_KIND: Record<ViolationKind, string> = {
  assertion: "an assertion failure",
  invariant: "an invariant violation",
  deadlock: "a deadlock",
  bound: "a thread cut off by the event bound",
};

function rowOf(s: SelectedVariant, model: Model, r: ExplorationResult, replayId: string | undefined): ScenarioRow {
  const j = judge(s.variant, r, model);
  const first = r.violations[0]?.outcome.violation;
  return {
    ...identity(s),
    found: j.found,
    violationKind: first?.kind ?? null,
    message: first === undefined ? null : firstLine(first.message),
    strategy: r.strategy,
    executions: r.executions,
    blocked: r.blocked,
    deadlocks: r.deadlocks,
    exhaustive: r.exhaustive,
    elapsedMs: Math.round(r.elapsedMs * 1000) / 1000,
    asDeclared: j.asDeclared,
    reason: j.reason,
    replayId: replayId ?? null,
  };
}

function errorRow(s: SelectedVariant, message: string): ScenarioRow {
  return {
    ...identity(s),
    found: "error",
    violationKind: null,
    message,
    strategy: null,
    executions: 0,
    blocked: 0,
    deadlocks: 0,
    exhaustive: false,
    elapsedMs: 0,
    asDeclared: false,
    reason: `model error: ${message}`,
    replayId: null,
  };
}

function identity({ scenario, variant }: SelectedVariant) {
  return {
    scenario: scenario.id,
    seed: scenario.seed,
    title: scenario.title,
    invariant: scenario.invariant,
    variant: variant.name,
    summary: variant.summary,
    size: variant.size,
    memoryModel: variant.memoryModel,
    expect: variant.expect,
    raceKind: variant.raceKind ?? null,
  };
}

/** Deadlock messages list the waits one per line; rows keep the first. */
function firstLine(message: string): string {
  return message.split("\n")[0]!;
}

// The one entry point of exploration: pick the strategy, wire the runtime,
// explorer and recorder together, and summarise.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import { sc } from "../models/sc.ts";
import type { Outcome } from "../checks/outcome.ts";
import { ThreadReplayer, type RunningSite } from "../runtime/threadReplayer.ts";
import { ExecutionRecorder, type Progress, type RecordedDataRaces, type RecordedViolation } from "./executionRecorder.ts";
import { BudgetExhausted, ExplorationBudget, interruptionOf, PacedSite } from "./explorationBudget.ts";
import { ThreadFailure } from "../runtime/threadFailure.ts";
import { leaveStoppedThreadCode } from "../runtime/determinismGuard.ts";
import { OptimalExplorer } from "./optimalExplorer.ts";
import { StateEnumerator } from "./stateEnumerator.ts";
import { CandidateEnumerator } from "./candidateEnumerator.ts";
import type { ChoiceGate } from "./choiceGate.ts";
import { estimateRemaining, PacedEstimate, RUN_PACING } from "./stateSpaceEstimate.ts";
import { ThreadSymmetry } from "./threadSymmetry.ts";
import { withSymmetricChecks } from "./symmetricChecks.ts";

/**
 * `optimal`: TruSt, each consistent graph once; under models with load
 * buffering (LKMM) its revisits also close po ∪ rf cycles (optimalExplorer.ts).
 * `enumerate`: brute force over every order of adding events (the oracle for acyclic po ∪ rf).
 * `candidates`: every run of every thread × every rf and co choice (herd7's method; the oracle under LKMM).
 */
export type Strategy = "optimal" | "enumerate" | "candidates";

export interface ExploreOptions {
  readonly memoryModel?: MemoryModel;
  /** Default: `optimal`. */
  readonly strategy?: Strategy;
  /** Stop at the first violation (default true). */
  readonly stopOnViolation?: boolean;
  /** How many violating executions to keep with their graphs (default DEFAULT_KEEP_VIOLATIONS); the rest are only counted. */
  readonly keepViolations?: number;
  /** Events one thread may issue before it is reported as a likely unbounded loop. */
  readonly maxEventsPerThread?: number;
  readonly countDuplicates?: boolean;
  /**
   * Optimal explorer: never enter an await's choice of a stale value it
   * cannot accept (default true); nothing is built below it, and nothing is
   * counted. Off, every such graph is built and counted as blocked, exactly
   * as the brute-force oracle counts them.
   */
  readonly pruneStaleAwaits?: boolean;
  /**
   * Optimal explorer, under models without load buffering: where the model
   * declares identical threads, explore one execution per class of
   * executions equal up to exchanging them (default true; threadSymmetry.ts).
   */
  readonly symmetry?: boolean;
  readonly onExecution?: (g: ExecutionGraph, o: Outcome) => void;
  readonly onProgress?: (p: Progress) => void;
  readonly progressEveryMs?: number;
  /** Updated with the thread being run, for a watchdog. */
  readonly site?: RunningSite;
  /** Follow only this path of the optimal explorer's choices (see replayId.ts). */
  readonly guide?: readonly number[];
  /** Optimal explorer: asked before each choice, to explore one subtree only (see choiceGate.ts). */
  readonly choiceGate?: ChoiceGate;
  /** Stop after this much wall time; the result is then `bounded`, never verified. */
  readonly timeLimitMs?: number;
  /** Stop after this many explorations (blocked and violating ones included); the result is then `bounded`. */
  readonly maxExecutions?: number;
  /** Stop at this `performance.now()`, even in the middle of an execution; the result is then `bounded`. */
  readonly deadline?: number;
  /** Graph hashes kept for exact duplicate counting before it samples (see duplicateCounter.ts). */
  readonly duplicateCapacity?: number;
  /**
   * Look for data races (the memory model's `data-race` flag, LKMM's) in
   * every complete execution; `"violation"` also stops at the first one
   * when stopping at the first violation.
   */
  readonly dataRaces?: "warning" | "violation";
}

export interface ExplorationResult {
  readonly model: string;
  readonly memoryModel: string;
  readonly strategy: Strategy;
  /** Executions in which every thread finished. */
  readonly executions: number;
  /** Explorations that ended, or were abandoned, with an await reading a stale value: not real executions. */
  readonly blocked: number;
  readonly deadlocks: number;
  readonly assertionFailures: number;
  readonly boundHits: number;
  /** Explorations that reached a graph already reached; a lower bound when `duplicateSampling` is above 1. */
  readonly duplicates: number;
  /** 1 when every execution was checked for being a duplicate; n when, past the counter's capacity, one in n was. */
  readonly duplicateSampling: number;
  readonly violations: readonly RecordedViolation[];
  /** Executions that broke a check, deadlocked or hit the bound (kept or not). */
  readonly violationCount: number;
  /** For each `exists` check of the model, in declaration order: the complete executions where it held. */
  readonly existsCounts: readonly number[];
  /** True when every execution was explored (no early stop, nothing left out). */
  readonly exhaustive: boolean;
  /** Why some executions were left out even without an early stop; then "no violation" is not "verified". */
  readonly incomplete?: string;
  /** Which budget (time limit, execution count) ended the run before every execution was explored. */
  readonly bounded?: string;
  /** When data races were looked for and the memory model flags them: in how many complete executions, and the first. */
  readonly dataRaces?: Readonly<RecordedDataRaces>;
  /** Present when the model declares identical threads: whether the counts are of classes of executions (see SymmetryNote). */
  readonly symmetry?: SymmetryNote;
  /** The whole run: the load-buffering pre-check and the exploration. */
  readonly elapsedMs: number;
  /**
   * Always 0: LKMM's load buffering is explored by the optimal explorer
   * itself, with no pre-check before it. Kept for readers of earlier results.
   */
  readonly preCheckMs: number;
}

/**
 * Symmetry reduction of a run. `reduced`: every count (executions, blocked,
 * deadlocks, violations, exists) is of classes of executions equal up to
 * exchanging the threads of a class, each class explored through one
 * representative, a real execution; otherwise `why` says why not.
 */
export interface SymmetryNote {
  /** The classes of identical threads, by name. */
  readonly classes: readonly (readonly string[])[];
  readonly reduced: boolean;
  readonly why?: string;
}

export const DEFAULT_MAX_EVENTS = Number(process.env.PAGERACE_MAX_EVENTS ?? 2000);

/** Violations kept with their graphs by default: enough to read, few enough that `--all` over millions of violating executions stays in memory. */
export const DEFAULT_KEEP_VIOLATIONS = 20;

export function explore(model: Model, options: ExploreOptions = {}): ExplorationResult {
  const memoryModel = options.memoryModel ?? sc;
  const budget = new ExplorationBudget({
    timeLimitMs: options.timeLimitMs,
    maxExecutions: options.maxExecutions,
    deadline: options.deadline,
    interruption: interruptionOf(options.site),
  });
  const progressEveryMs = options.progressEveryMs ?? 1000;
  // Out of time, the run ends where it is, even inside one execution or
  // while candidates enumerate thread runs: the site throws, and what was
  // recorded so far is the result.
  const site = new PacedSite(options.site, () => {
    if (budget.outOfTime()) throw new BudgetExhausted(budget.exhausted!);
  });
  const replayer = new ThreadReplayer(model, options.maxEventsPerThread ?? DEFAULT_MAX_EVENTS, site, memoryModel.name);
  const strategy = options.strategy ?? "optimal";
  // Brute force adds events in program order only: it never closes a po ∪ rf cycle.
  const incomplete =
    strategy === "enumerate" && !memoryModel.porfAcyclic
      ? `strategy enumerate does not build executions with load buffering (po ∪ rf cycles), which ${memoryModel.name} allows`
      : undefined;
  const flags = memoryModel.flags?.bind(memoryModel);
  const declaredSymmetry = ThreadSymmetry.of(model);
  const symmetryNote = declaredSymmetry === undefined ? undefined : symmetryOf(declaredSymmetry, strategy, memoryModel, options.symmetry ?? true);
  // Following a replay path, nothing is pruned: the path may have been found with the reduction off.
  const symmetry = symmetryNote?.reduced && options.guide === undefined ? declaredSymmetry : undefined;
  // Under symmetry reduction a check is judged on the class, not on its representative alone (symmetricChecks.ts).
  const judged = symmetryNote?.reduced ? withSymmetricChecks(model, symmetryNote.classes) : model;
  // An optimal run that has taken a while estimates what it has left, now and then, so that progress can say how far
  // along it is: what it explored is exact, the rest is estimated by descents of the subtrees after its current path
  // (stateSpaceEstimate.ts). A run confined to a subtree reports no progress; one that starts on the whole tree to
  // hand parts off does.
  let explorer: OptimalExplorer | undefined;
  const paced = new PacedEstimate(RUN_PACING);
  const wholeOptimalRun = strategy === "optimal" && options.guide === undefined;
  const onProgress =
    options.onProgress === undefined || !wholeOptimalRun
      ? options.onProgress
      : (p: Progress) => {
          options.onProgress!(paced.shown(p));
          // After the line that first shows the run is long: the next ones say how far along it is. Estimated again
          // every few seconds, or as soon as the run has gone past the last estimate.
          const at = explorer;
          if (at === undefined) return;
          paced.update(
            p,
            (timeLimitMs) =>
              estimateRemaining(model, at.path, {
                memoryModel,
                timeLimitMs,
                descents: Infinity,
                maxEventsPerThread: options.maxEventsPerThread ?? DEFAULT_MAX_EVENTS,
                pruneStaleAwaits: options.pruneStaleAwaits,
                symmetry: options.symmetry,
                seed: Math.floor(p.elapsedMs),
              }),
            (e, explored) => explored + e.explorations,
          );
        };
  const recorder = new ExecutionRecorder(judged, {
    stopOnViolation: options.stopOnViolation ?? true,
    keepViolations: options.keepViolations ?? DEFAULT_KEEP_VIOLATIONS,
    countDuplicates: options.countDuplicates ?? true,
    duplicateCapacity: options.duplicateCapacity,
    onExecution: options.onExecution,
    onProgress,
    progressEveryMs,
    budget,
    dataRaces:
      options.dataRaces === undefined || flags === undefined
        ? undefined
        : { raced: (g) => flags(g).includes("data-race"), stop: options.dataRaces === "violation" },
  });
  try {
    if (strategy === "optimal") {
      explorer = new OptimalExplorer(judged, memoryModel, replayer, recorder, options.pruneStaleAwaits ?? true, options.guide, options.choiceGate, symmetry);
      explorer.run();
    }
    else if (strategy === "enumerate") new StateEnumerator(model, memoryModel, replayer, recorder).run();
    else new CandidateEnumerator(model, memoryModel, replayer, recorder).run();
  } catch (e) {
    // A recursion past the stack can stop thread code where even its finally has no room to leave it: leave it here, where there is.
    if (isResourceExhaustion(e)) leaveStoppedThreadCode();
    if (e instanceof ThreadFailure) throw e.named(model.threads[e.tid]?.name ?? `#${e.tid}`);
    if (e instanceof BudgetExhausted) recorder.stopForBudget();
    // A collection past its maximum size, or a recursion past the stack: what was counted so far is still the result.
    else if (isResourceExhaustion(e)) recorder.stopForResources(`out of resources: ${e.message}`);
    else throw e;
  }
  const c = recorder.counts;
  return {
    model: model.name,
    memoryModel: memoryModel.name,
    strategy,
    executions: c.complete,
    blocked: c.blocked,
    deadlocks: c.deadlock,
    assertionFailures: c.error,
    boundHits: c.bound,
    duplicates: recorder.duplicates,
    duplicateSampling: recorder.duplicateSampling,
    violations: recorder.violations,
    violationCount: recorder.violationCount,
    existsCounts: recorder.existsCounts,
    exhaustive: !recorder.stopped && incomplete === undefined,
    incomplete,
    bounded: recorder.bounded,
    dataRaces: recorder.dataRaces,
    ...(symmetryNote === undefined ? {} : { symmetry: symmetryNote }),
    elapsedMs: budget.elapsedMs,
    preCheckMs: 0,
  };
}

/** What a run of the model with these options says of symmetry reduction (undefined when the model declares no identical threads). */
export function symmetryNoteOf(model: Model, strategy: Strategy, memoryModel: MemoryModel, wanted = true): SymmetryNote | undefined {
  const declared = ThreadSymmetry.of(model);
  return declared === undefined ? undefined : symmetryOf(declared, strategy, memoryModel, wanted);
}

function symmetryOf(symmetry: ThreadSymmetry, strategy: Strategy, memoryModel: MemoryModel, wanted: boolean): SymmetryNote {
  const classes = symmetry.names();
  if (!wanted) return { classes, reduced: false, why: "symmetry reduction turned off" };
  if (strategy !== "optimal") return { classes, reduced: false, why: `strategy ${strategy} explores every execution` };
  // Said of the memory model, not of the program: the reduction is off under it whether or not this program's executions show load buffering.
  if (!memoryModel.porfAcyclic)
    return { classes, reduced: false, why: `not applied under memory models that allow load buffering, such as ${memoryModel.name}` };
  return { classes, reduced: true };
}

/**
 * V8's RangeErrors for a collection, string or buffer past its limit and
 * for the stack; any other RangeError (one a model's own check throws, say)
 * is an error of the model, not a run out of room.
 */
const RESOURCE_LIMITS = /^(Maximum call stack size exceeded|(Set|Map) maximum size exceeded|Invalid (array|typed array|string) length|Array buffer allocation failed)/;

function isResourceExhaustion(e: unknown): e is RangeError {
  return e instanceof RangeError && RESOURCE_LIMITS.test(e.message);
}


// The one entry point of exploration: pick the strategy, wire the runtime,
// explorer and recorder together, and summarise.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import { sc } from "../models/sc.ts";
import type { Outcome } from "../checks/outcome.ts";
import { ThreadReplayer, type RunningSite } from "../runtime/threadReplayer.ts";
import { ExecutionRecorder, type Progress, type RecordedViolation } from "./executionRecorder.ts";
import { OptimalExplorer } from "./optimalExplorer.ts";
import { StateEnumerator } from "./stateEnumerator.ts";
import { CandidateEnumerator } from "./candidateEnumerator.ts";
import { loadBufferingOf } from "./loadBuffering.ts";

/**
 * `optimal`: TruSt, each consistent graph once (models with acyclic po ∪ rf).
 * `enumerate`: brute force over every order of adding events (the oracle; same models).
 * `candidates`: every run of every thread × every rf and co choice (any model, including LKMM).
 */
export type Strategy = "optimal" | "enumerate" | "candidates";

export interface ExploreOptions {
  readonly memoryModel?: MemoryModel;
  /** Default: `optimal`, unless the model allows load buffering and the program may show it (then `candidates`). */
  readonly strategy?: Strategy;
  /** Stop at the first violation (default true). */
  readonly stopOnViolation?: boolean;
  /** How many violating executions to keep with their graphs (default: all); the rest are only counted. */
  readonly keepViolations?: number;
  /** Events one thread may issue before it is reported as a likely unbounded loop. */
  readonly maxEventsPerThread?: number;
  readonly countDuplicates?: boolean;
  /**
   * Optimal explorer: abandon an await as soon as it reads a stale value it
   * cannot accept (default true). Off, every such graph is built and
   * counted as blocked, exactly as the brute-force oracle counts them.
   */
  readonly pruneStaleAwaits?: boolean;
  readonly onExecution?: (g: ExecutionGraph, o: Outcome) => void;
  readonly onProgress?: (p: Progress) => void;
  readonly progressEveryMs?: number;
  /** Updated with the thread being run, for a watchdog. */
  readonly site?: RunningSite;
  /** Follow only this path of the optimal explorer's choices (see replayId.ts). */
  readonly guide?: readonly number[];
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
  readonly duplicates: number;
  readonly violations: readonly RecordedViolation[];
  /** Executions that broke a check, deadlocked or hit the bound (kept or not). */
  readonly violationCount: number;
  /** For each `exists` check of the model, in declaration order: the complete executions where it held. */
  readonly existsCounts: readonly number[];
  /** True when every execution was explored (no early stop, nothing left out). */
  readonly exhaustive: boolean;
  /** Why some executions were left out even without an early stop; then "no violation" is not "verified". */
  readonly incomplete?: string;
  readonly elapsedMs: number;
}

export const DEFAULT_MAX_EVENTS = Number(process.env.PAGERACE_MAX_EVENTS ?? 2000);

export function explore(model: Model, options: ExploreOptions = {}): ExplorationResult {
  const memoryModel = options.memoryModel ?? sc;
  const replayer = new ThreadReplayer(model, options.maxEventsPerThread ?? DEFAULT_MAX_EVENTS, options.site);
  const loadBuffering = options.strategy !== undefined || memoryModel.porfAcyclic ? "no" : loadBufferingOf(model, replayer);
  const strategy = options.strategy ?? (loadBuffering === "may" ? "candidates" : "optimal");
  // Too large to decide: explore what the optimal explorer can reach, and say that load-buffering executions were not.
  const incomplete =
    loadBuffering === "unknown"
      ? `executions with load buffering (po ∪ rf cycles, which ${memoryModel.name} allows) were not explored: the program is too large to rule them out`
      : undefined;
  const recorder = new ExecutionRecorder(model, {
    stopOnViolation: options.stopOnViolation ?? true,
    keepViolations: options.keepViolations ?? Infinity,
    countDuplicates: options.countDuplicates ?? true,
    onExecution: options.onExecution,
    onProgress: options.onProgress,
    progressEveryMs: options.progressEveryMs ?? 1000,
  });
  if (strategy === "optimal") new OptimalExplorer(model, memoryModel, replayer, recorder, options.pruneStaleAwaits ?? true, options.guide).run();
  else if (strategy === "enumerate") new StateEnumerator(model, memoryModel, replayer, recorder).run();
  else new CandidateEnumerator(model, memoryModel, replayer, recorder).run();
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
    violations: recorder.violations,
    violationCount: recorder.violationCount,
    existsCounts: recorder.existsCounts,
    exhaustive: !recorder.stopped && incomplete === undefined,
    incomplete,
    elapsedMs: performance.now() - recorder.startedAt,
  };
}

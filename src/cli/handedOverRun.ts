// A check's runs that the main thread (mainThreadFirst.ts) hands to the
// watched worker, instead of the worker starting them again: which run each
// is, and where it stands (what it counted and the subtrees it left,
// parallelExplore.ts's Frontier). The worker explores what is left of the
// run under way (exploreFrontier), takes the result of a run that ended in
// the main thread as it was, and prints what a single run prints.

import type { ExplorationResult } from "../explore/explore.ts";
import type { Progress } from "../explore/executionRecorder.ts";
import { tallyOfResult } from "../explore/explorationTally.ts";
import { exploreFrontier, exploreFrontierUntil, outOfTime } from "../explore/frontierHere.ts";
import { resultOf, type Frontier } from "../explore/parallelExplore.ts";
import { decidedOf, type SubtreeRunOptions } from "../explore/subtreeRun.ts";
import type { Model } from "../program/model.ts";
import { memoryModelNamed } from "../models/registry.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";

export interface HandedOverRun {
  /** The model's place among those the command loaded, and the memory model of its run. */
  readonly index: number;
  readonly memoryModel: string;
  readonly frontier: Frontier;
  /** How long the main thread explored it. */
  readonly elapsedMs: number;
  /** Set when the run ended in the main thread (its frontier has nothing open): how. */
  readonly ended?: { readonly exhaustive: boolean; readonly bounded?: string };
}

/** A run that ended in the main thread, to be handed over with the one under way should that one move. */
export function endedRun(index: number, memoryModel: string, r: ExplorationResult): HandedOverRun {
  return { index, memoryModel, frontier: { decided: decidedOf(r), tally: tallyOfResult(r), open: [] }, elapsedMs: r.elapsedMs, ended: { exhaustive: r.exhaustive, bounded: r.bounded } };
}

/**
 * The run handed over, in the worker: the result of one that ended, or the
 * rest of one under way explored, within what is left of its time limit.
 */
export function finishHandedOver(model: Model, o: SubtreeRunOptions, run: HandedOverRun, site: RunningSite, onProgress: (p: Progress) => void, timeLimitMs?: number): ExplorationResult {
  if (run.ended !== undefined)
    return resultOf(model, o, run.frontier.decided, run.frontier.tally, { exhaustive: run.ended.exhaustive, bounded: run.ended.bounded, elapsedMs: run.elapsedMs });
  if (timeLimitMs === undefined) return exploreFrontier(model, o, run.frontier, run.elapsedMs, site, onProgress);
  const started = performance.now();
  const step = exploreFrontierUntil(model, o, run.frontier, run.elapsedMs, started + Math.max(0, timeLimitMs - run.elapsedMs), site, onProgress);
  return "left" in step ? outOfTime(model, o, step.left, run.elapsedMs + performance.now() - started, timeLimitMs) : step.result;
}

/**
 * Whether a run can be handed over part-way: explored by the optimal
 * explorer under a model without load buffering (whose subtrees are
 * independent), with no count of executions over the whole run, which the
 * worker could not continue (a time limit goes on with the time left).
 */
export function mayHandOver(memoryModel: string, o: { readonly strategy?: string; readonly maxExecutions?: number }): boolean {
  return (o.strategy === undefined || o.strategy === "optimal") && o.maxExecutions === undefined && memoryModelNamed(memoryModel).porfAcyclic;
}

// How far along a run split across workers is (check --workers, --redis,
// or a run split once large), estimated in the coordinator's thread as
// often and for as long as a single run estimates its own (explore.ts).
//
// - On worker threads the coordinator knows what is left: the frontier's
//   open subtrees. What the workers committed is exact; the open subtrees
//   are sampled by Knuth descents (estimateSubtrees), as a single run
//   samples the subtrees after its path: the estimate sharpens as the run
//   goes and is exact at its end.
// - With --redis what is left is in jobs the coordinator does not follow:
//   it estimates the whole tree instead (estimateStateSpace), adding
//   descents each time and pooling them all, and counts the explorations
//   committed across workers against it. On lopsided trees (FT) the mean
//   of a few hundred descents falls well short; the line then says the run
//   is past the estimated size, as a single run's does.

import type { Progress } from "../explore/executionRecorder.ts";
import { boundedEstimate, ESTIMATE_OVERRUN_MS, estimateStateSpace, estimateSubtrees, type EstimateOptions } from "../explore/stateSpaceEstimate.ts";
import type { Subtree } from "../explore/subtree.ts";
import type { SubtreeRunOptions } from "../explore/subtreeRun.ts";
import { DEFAULT_MAX_EVENTS } from "../explore/explore.ts";
import { memoryModelNamed } from "../models/registry.ts";
import type { Model } from "../program/model.ts";

export interface EstimatePacing {
  /** No estimate before the run has taken this long (a short run pays nothing for one) ... */
  readonly afterMs: number;
  /** ... then again this often ... */
  readonly everyMs: number;
  /** ... or this often while the run is past the estimate ... */
  readonly pastEveryMs: number;
  /** ... spending this long each time. */
  readonly spendMs: number;
}

/** A single run's pacing (explore.ts): from 2 s, every 5 s (2 s once past), 0.1 s each time. */
export const SINGLE_RUN_PACING: EstimatePacing = { afterMs: 2000, everyMs: 5000, pastEveryMs: 2000, spendMs: 100 };

/** Progress of a split run: its counts, and what it has left where the coordinator knows it. */
export type SplitRunProgress = (p: Progress, open?: readonly Subtree[]) => void;

/**
 * `onProgress` of a split run with its estimated size added to what it
 * reports. Progress that carries its own estimate (a run still in one
 * thread) or a phase goes on as it is.
 */
export function withSplitRunEstimate(model: Model, run: SubtreeRunOptions, onProgress: (p: Progress) => void, pacing: EstimatePacing = SINGLE_RUN_PACING): SplitRunProgress {
  const options = (seed: number): EstimateOptions => ({
    memoryModel: memoryModelNamed(run.memoryModel),
    maxEventsPerThread: run.maxEventsPerThread ?? DEFAULT_MAX_EVENTS,
    pruneStaleAwaits: run.pruneStaleAwaits,
    symmetry: run.symmetry,
    descents: Infinity,
    timeLimitMs: pacing.spendMs,
    seed,
  });
  let expected: number | undefined;
  let estimatedAt = -Infinity;
  let batches = 0;
  // The whole tree's descents so far (without a frontier).
  let pooledSum = 0;
  let pooledDescents = 0;
  // Thread code that throws, or never returns, on some path the descents take: the run reports that itself; its line goes on without a percentage.
  let failed = false;
  return (p, open) => {
    if (p.phase !== undefined || p.expected !== undefined) {
      onProgress(p);
      return;
    }
    const explored = p.explored ?? p.executions + p.blocked;
    onProgress(expected === undefined ? p : { ...p, explored, expected });
    // After the line: the estimate is for the next one, so that this one is not held back by it.
    if (failed || p.elapsedMs < pacing.afterMs) return;
    const past = expected === undefined || expected <= explored;
    if (p.elapsedMs - estimatedAt < (past ? pacing.pastEveryMs : pacing.everyMs)) return;
    estimatedAt = p.elapsedMs;
    const batch = options(++batches);
    const e = boundedEstimate(() => (open !== undefined ? estimateSubtrees(model, open, batch) : estimateStateSpace(model, batch)), pacing.spendMs + ESTIMATE_OVERRUN_MS);
    if (e === undefined) {
      failed = true;
      expected = undefined;
      return;
    }
    if (open === undefined) {
      pooledSum += e.explorations * e.descents;
      pooledDescents += e.descents;
    }
    // A size of 0 says nothing (a run that has counted nothing yet, and descents that all met subtrees pruned at once).
    const size = open !== undefined ? explored + e.explorations : pooledSum / pooledDescents;
    expected = size > 0 ? size : undefined;
  };
}

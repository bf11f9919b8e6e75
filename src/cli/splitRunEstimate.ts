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
import { estimateStateSpace, estimateSubtrees, PacedEstimate, RUN_PACING, type EstimatePacing } from "../explore/stateSpaceEstimate.ts";
import type { Subtree } from "../explore/subtree.ts";
import type { SubtreeRunOptions } from "../explore/subtreeRun.ts";
import { DEFAULT_MAX_EVENTS } from "../explore/explore.ts";
import { memoryModelNamed } from "../models/registry.ts";
import type { Model } from "../program/model.ts";

/** Progress of a split run: its counts, and what it has left where the coordinator knows it. */
export type SplitRunProgress = (p: Progress, open?: readonly Subtree[]) => void;

/**
 * `onProgress` of a split run with its estimated size added to what it
 * reports, paced as a single run's (`pacing`). Progress that carries its
 * own estimate (a run still in one thread) or a phase goes on as it is.
 */
export function withSplitRunEstimate(model: Model, run: SubtreeRunOptions, onProgress: (p: Progress) => void, pacing: EstimatePacing = RUN_PACING): SplitRunProgress {
  const paced = new PacedEstimate(pacing);
  let batches = 0;
  // The whole tree's descents so far (without a frontier).
  let pooledSum = 0;
  let pooledDescents = 0;
  return (p, open) => {
    if (p.phase !== undefined || p.expected !== undefined) {
      onProgress(p);
      return;
    }
    onProgress(paced.shown(p));
    // After the line: the estimate is for the next one, so that this one is not held back by it. Thread code that throws,
    // or never returns, on some path the descents take ends the estimates: the run reports that itself.
    paced.update(
      p,
      (timeLimitMs) => {
        const options = {
          memoryModel: memoryModelNamed(run.memoryModel),
          maxEventsPerThread: run.maxEventsPerThread ?? DEFAULT_MAX_EVENTS,
          pruneStaleAwaits: run.pruneStaleAwaits,
          symmetry: run.symmetry,
          descents: Infinity,
          timeLimitMs,
          seed: ++batches,
        };
        return open !== undefined ? estimateSubtrees(model, open, options) : estimateStateSpace(model, options);
      },
      (e, explored) => {
        if (open === undefined) {
          pooledSum += e.explorations * e.descents;
          pooledDescents += e.descents;
        }
        // A size of 0 says nothing (a run that has counted nothing yet, and descents that all met subtrees pruned at once).
        const size = open !== undefined ? explored + e.explorations : pooledSum / pooledDescents;
        return size > 0 ? size : undefined;
      },
    );
  };
}

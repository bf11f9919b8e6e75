// What a worker does with one job, apart from exploring it: skip it when
// its run has stopped or its coordinator is gone; when an earlier run of the job committed already
// (its worker died after the commit), only re-add the children that commit
// recorded; else explore, commit the tally with the children in one atomic
// step (accountingScript.ts), and then enqueue the children. Enqueueing
// after the commit is what makes a crash between the two harmless: the
// open-job counter already counts the children, and the job's retry adds
// them.

import type { IRedisClient } from "bullmq";
import type { Subtree } from "../explore/subtree.ts";
import { commitSubtree, recordFailure } from "./accountingScript.ts";
import type { SliceOutcome, ThreadFailure } from "./explorationThread.ts";
import { childJobId, runKeys, type RunKeys, type SubtreeJob } from "./subtreeJob.ts";

export interface JobServices {
  readonly redis: IRedisClient;
  /** Adds jobs to the queue (BullMQ ignores an id it already holds). */
  readonly enqueue: (jobs: readonly { readonly id: string; readonly data: SubtreeJob }[]) => Promise<void>;
  /** Explores the job's subtrees, until they are done or it is time to hand the rest back. */
  readonly explore: (job: SubtreeJob) => Promise<SliceOutcome | ThreadFailure>;
}

export type JobEnd = "stopped" | "committed" | "recommitted" | "abandoned" | "failed";

/** Whether a run is over for its workers: stopped, or its coordinator gone (its lease lapsed). */
export async function runEnded(redis: IRedisClient, keys: RunKeys): Promise<boolean> {
  const [stop, alive] = await Promise.all([redis.get(keys.stop), redis.get(keys.alive)]);
  return stop !== null || alive === null;
}

export async function processSubtreeJob(jobId: string, job: SubtreeJob, s: JobServices): Promise<JobEnd> {
  const keys = runKeys(job.run);
  if (await runEnded(s.redis, keys)) return "stopped";
  const recorded = await s.redis.hget(keys.done, jobId);
  let children: readonly (readonly Subtree[])[];
  let end: JobEnd;
  if (recorded !== null) {
    children = JSON.parse(recorded) as Subtree[][];
    end = "recommitted";
  } else {
    const r = await s.explore(job);
    if ("type" in r) {
      await recordFailure(s.redis, keys, { message: r.message, path: r.path, modelError: r.modelError, stuck: r.stuck });
      return "failed";
    }
    if (r.halted === "abandoned") return "abandoned";
    const stopReason = r.stoppedAtViolation ? "violation" : r.bounded;
    const commit = await commitSubtree(s.redis, keys, jobId, r.tally, r.children, stopReason);
    if (stopReason !== null) return "committed";
    children = commit.children;
    end = commit.committed ? "committed" : "recommitted";
  }
  await s.enqueue(children.map((subtrees, i) => ({ id: childJobId(job.run, jobId, i), data: { ...job, subtrees } })));
  return end;
}

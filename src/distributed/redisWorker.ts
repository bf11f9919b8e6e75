// `pagerace worker --redis URL`: a process, on any machine, that takes
// subtree jobs from the shared BullMQ queue one at a time and explores each
// on its exploration thread for one time slice (jobProcessing.ts does the
// accounting). Its model file is the job's path, or the file given to
// `worker` (the same model reached by another path, on another machine);
// either way the file's content hash must be the job's, and the worker's
// pagerace version the coordinator's: a worker that would count another
// model refuses, puts the job back for others, and ends.
//
// A worker that dies (SIGKILL, a lost machine) holds its job's lock no
// longer; after the lock's duration BullMQ's stalled-job check (run by
// every worker) puts the job back, and another worker explores it again:
// the accounting keeps its counts from being added twice. A job that fails
// every attempt (an error, not a death) stops its run with that error.

import { readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { resolve } from "node:path";
import type { Job } from "bullmq";
import type { ModelSource } from "../cli/modelSource.ts";
import { loadBullMQ } from "./bullmqModule.ts";
import { ExplorationThread } from "./explorationThread.ts";
import { processSubtreeJob, runEnded } from "./jobProcessing.ts";
import { recordFailure } from "./accountingScript.ts";
import { contentHash, isSubtreeJob, runKeys, SUBTREE_QUEUE, type SubtreeJob } from "./subtreeJob.ts";
import { connectionOptions, jobOptions } from "./redisConnection.ts";

export interface WorkerOptions {
  readonly url: string;
  /** A model file to load instead of the path each job names. */
  readonly modelFile?: string;
  /** How long a job's lock lasts without being renewed: how soon the job of a dead worker is given to another (ms). */
  readonly lockMs: number;
  /** How long model thread code may run without returning to the engine (ms). */
  readonly watchdogMs: number;
  readonly version: string;
  /** One line per event worth telling (stderr). */
  readonly log: (line: string) => void;
  /** Also one line as each job starts and ends. */
  readonly verbose?: boolean;
}

/** Why this worker cannot take a job (another model file, another version), or null. */
function refusal(job: SubtreeJob, file: string, hash: string, version: string): string | null {
  if (job.version !== version) return `the coordinator runs pagerace ${job.version}, this worker ${version}: every machine needs the same version`;
  if (hash !== job.model.hash)
    return `${file} has content hash ${hash}, the coordinator's ${job.model.file} has ${job.model.hash}: every worker must load the same model file (pagerace worker --redis URL MODEL_FILE names it on this machine)`;
  return null;
}

/** Runs until stopped (the promise it returns settles when the worker has closed): resolves with the refusal that ended it, or null. */
export async function runWorker(o: WorkerOptions, stop: Promise<void>): Promise<string | null> {
  const { Worker, Queue, DelayedError } = await loadBullMQ("pagerace worker");
  const connection = connectionOptions(o.url);
  const queue = new Queue(SUBTREE_QUEUE, { connection });
  // Redis may be down or not yet up: say so once per kind of error, and keep trying (a signal still ends the worker).
  let lastError = "";
  const onError = (e: Error) => {
    if (e.message === lastError) return;
    lastError = e.message;
    o.log(`redis ${o.url}: ${e.message} (retrying)`);
  };
  queue.on("error", onError);
  const ready = await Promise.race([queue.waitUntilReady(), stop.then(() => null)]);
  if (ready === null) {
    await queue.close();
    return null;
  }
  const redis = ready;
  const thread = new ExplorationThread(o.watchdogMs);
  const hashes = new Map<string, { mtimeMs: number; size: number; hash: string }>();
  const hashOf = (file: string) => {
    const st = statSync(file);
    const known = hashes.get(file);
    if (known !== undefined && known.mtimeMs === st.mtimeMs && known.size === st.size) return known.hash;
    const hash = contentHash(readFileSync(file));
    hashes.set(file, { mtimeMs: st.mtimeMs, size: st.size, hash });
    return hash;
  };
  const name = `${hostname()}:${process.pid}`;
  let refused: string | null = null;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));

  const worker = new Worker(
    SUBTREE_QUEUE,
    async (job: Job, token?: string) => {
      if (!isSubtreeJob(job.data)) {
        o.log(`job ${job.id}: not a pagerace subtree job (another version?): skipped`);
        return;
      }
      const data = job.data;
      const keys = runKeys(data.run);
      // A job of a run that is over is skipped whatever its model: no reason to refuse it.
      if (await runEnded(redis, keys)) return;
      const file = resolve(o.modelFile ?? data.model.file);
      let why: string | null;
      try {
        why = refusal(data, file, hashOf(file), o.version);
      } catch (e) {
        why = `cannot read the model file ${file}: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (why !== null) {
        refused = why;
        await redis.hset(keys.refusals, { [name]: why });
        // Back to the queue for the other workers, and this one ends.
        await job.moveToDelayed(Date.now() + 200, token);
        finish();
        throw new DelayedError();
      }
      const source: ModelSource = { kind: "file", file, name: data.model.name, index: data.model.index };
      if (o.verbose) o.log(`job ${job.id}: started`);
      const end = await processSubtreeJob(job.id!, data, {
        redis,
        enqueue: async (jobs) => {
          if (jobs.length > 0) await queue.addBulk(jobs.map((j) => ({ name: "subtree", data: j.data, opts: { ...jobOptions, jobId: j.id } })));
        },
        explore: (d) =>
          thread.explore({
            source,
            options: d.options,
            subtrees: d.subtrees,
            sliceMs: d.sliceMs,
            // Hand work back only when no job waits: some worker may be idle.
            handBack: async () => (await queue.getWaitingCount()) === 0,
            stopped: () => runEnded(redis, keys),
          }),
      });
      if (o.verbose) o.log(`job ${job.id}: ${end}`);
    },
    { connection, concurrency: 1, lockDuration: o.lockMs, stalledInterval: Math.max(500, Math.round(o.lockMs / 2)), maxStalledCount: 1_000_000, drainDelay: 1 },
  );
  worker.on("error", onError);
  // A job that failed its last attempt is gone from the queue, and its run's open-job count would never reach 0:
  // record the failure, which stops the run and is what its coordinator reports.
  worker.on("failed", (job: Job | undefined, e: Error) => {
    if (job === undefined || !isSubtreeJob(job.data) || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const message = `job ${job.id} failed ${job.attemptsMade} times, the last on ${name}: ${e.message}`;
    o.log(message);
    void recordFailure(redis, runKeys(job.data.run), { message, path: null, modelError: false }).catch(onError);
  });
  await worker.waitUntilReady();
  o.log(`pagerace worker ${name}: taking jobs from ${o.url}`);
  await Promise.race([stop, finished]);
  thread.handOver();
  await worker.close();
  await queue.close();
  await thread.close();
  return refused;
}

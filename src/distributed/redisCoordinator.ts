// `pagerace check MODEL --redis URL`: the coordinator of a run explored by
// `pagerace worker` processes on any number of machines. It decides the
// run as a single run would (the probe of parallelExplore.ts: a run that is
// not split stays here), queues the whole tree as the root job, and waits:
// workers split it as they go (each job explores for a time slice and
// hands what it left back as new jobs), and the accounting script keeps
// the totals and the number of open jobs in Redis. When that number is 0
// (or the run was stopped: a violation that ends it, an interruption, the
// time limit) the totals are the run's, and the result is built from them
// as parallelExplore.ts builds it, so that `check` prints exactly what one
// process prints.

import { randomUUID } from "node:crypto";
import type { IRedisClient, Queue } from "bullmq";
import type { Model } from "../program/model.ts";
import { memoryModelNamed } from "../models/registry.ts";
import { explore, type ExplorationResult, type Strategy } from "../explore/explore.ts";
import type { Progress } from "../explore/executionRecorder.ts";
import { progressOfTally, type Tally } from "../explore/explorationTally.ts";
import { timeLimitReached } from "../explore/explorationBudget.ts";
import { ProbeGate, reproduceFailure, resultOf, singleRunOptions, type Frontier } from "../explore/parallelExplore.ts";
import { comparePaths, WHOLE_TREE } from "../explore/subtree.ts";
import type { SubtreeRunOptions } from "../explore/subtreeRun.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import { UsageError } from "../cli/usageError.ts";
import { expireRun, totalsOf, type RecordedFailure } from "./accountingScript.ts";
import { stuckMessage } from "./explorationThread.ts";
import { loadBullMQ } from "./bullmqModule.ts";
import { connectionOptions, jobOptions } from "./redisConnection.ts";
import { COORDINATOR_LEASE_MS, rootJobId, runKeys, SUBTREE_QUEUE, type JobModel, type RunKeys, type SubtreeJob } from "./subtreeJob.ts";

/** How long a finished run's keys stay (s): its jobs still queued are skipped meanwhile. */
const KEEP_FINISHED_RUN_S = 3600;
const POLL_MS = 50;
/** After this long with the first job still waiting, say that no worker is there (ms). */
const NO_WORKER_HINT_MS = 5000;

export interface DistributedRun {
  readonly model: Model;
  readonly jobModel: JobModel;
  readonly run: SubtreeRunOptions;
  readonly strategy?: Strategy;
  readonly timeLimitMs?: number;
  /** How long a worker explores a job before it hands back what is left (ms). */
  readonly sliceMs: number;
  readonly interruption?: () => string | undefined;
  readonly onProgress?: (p: Progress) => void;
  /** The watchdog's site: the pre-check runs here, and waiting beats on it. */
  readonly site?: RunningSite;
  /** Told each refusal a worker reports (another model file, another version), once. */
  readonly onRefusal?: (worker: string, why: string) => void;
  /** Told once when no worker has taken the run's first job after a few seconds. */
  readonly onNoWorker?: () => void;
}

export class RedisCoordinator {
  private constructor(
    private readonly queue: Queue,
    private readonly redis: IRedisClient,
    private readonly version: string,
  ) {}

  /** Connects to the Redis at `url`; a usage error when it cannot be reached within a few seconds. */
  static async connect(url: string, version: string): Promise<RedisCoordinator> {
    const { Queue } = await loadBullMQ("--redis");
    const queue = new Queue(SUBTREE_QUEUE, { connection: connectionOptions(url) });
    queue.on("error", () => {}); // connection errors surface as the timeout below, or as a failed command
    let timer: NodeJS.Timeout | undefined;
    try {
      const redis = await Promise.race([
        queue.waitUntilReady(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new UsageError(`--redis ${url}: cannot reach Redis there`)), 5000);
        }),
      ]);
      return new RedisCoordinator(queue, redis, version);
    } catch (e) {
      void queue.close().catch(() => {});
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  async explore(o: DistributedRun): Promise<ExplorationResult> {
    const started = performance.now();
    const { model } = o;
    // Under load buffering the explorer keeps the graphs it reached across its whole tree: its subtrees are not independent, and the run stays whole, here.
    if (!memoryModelNamed(o.run.memoryModel).porfAcyclic) return explore(model, { ...singleRunOptions(o), onProgress: o.onProgress });
    const probe = new ProbeGate();
    const probed = explore(model, { ...singleRunOptions(o), choiceGate: probe });
    if (!probe.asked) return probed;
    const decided: Frontier["decided"] = { strategy: probed.strategy, incomplete: probed.incomplete ?? null, preCheckMs: probed.preCheckMs };
    const dataRaces = o.run.dataRaces !== undefined && probed.dataRaces !== undefined;
    const existsChecks = model.checks.filter((c) => c.kind === "exists").length;

    const run = randomUUID();
    const keys = runKeys(run);
    const renewLease = () => this.redis.set(keys.alive, 1, { PX: COORDINATOR_LEASE_MS });
    await renewLease();
    let leaseRenewed = performance.now();
    await this.redis.set(keys.open, 1);
    const root: SubtreeJob = { run, version: this.version, model: o.jobModel, options: o.run, sliceMs: o.sliceMs, subtrees: [WHOLE_TREE] };
    await this.queue.add("subtree", root, { ...jobOptions, jobId: rootJobId(run) });

    const deadline = o.timeLimitMs === undefined ? undefined : started + o.timeLimitMs;
    const told = new Set<string>();
    let noWorkerTold = false;
    let lastProgress = started;
    let stop: string | null;
    try {
      for (;;) {
        o.site?.busy?.();
        if (performance.now() - leaseRenewed >= 1000) {
          await renewLease();
          leaseRenewed = performance.now();
        }
        const [open, stopped] = [await this.redis.get(keys.open), await this.redis.get(keys.stop)];
        stop = stopped;
        if (stop !== null || open === "0") break;
        const reason = o.interruption?.() ?? (deadline !== undefined && performance.now() >= deadline ? timeLimitReached(o.timeLimitMs!) : undefined);
        if (reason !== undefined) {
          await this.redis.set(keys.stop, reason);
          continue;
        }
        for (const [worker, why] of Object.entries(await this.redis.hgetall(keys.refusals))) {
          if (told.has(worker)) continue;
          told.add(worker);
          o.onRefusal?.(worker, why);
        }
        if (!noWorkerTold && performance.now() - started >= NO_WORKER_HINT_MS) {
          noWorkerTold = true;
          if ((await this.queue.getJobState(rootJobId(run))) === "waiting") o.onNoWorker?.();
        }
        if (o.onProgress !== undefined && performance.now() - lastProgress >= 1000) {
          lastProgress = performance.now();
          const t = await this.tallyOf(keys, existsChecks, dataRaces, o.run.keepViolations);
          const elapsedMs = lastProgress - started;
          o.onProgress(progressOfTally(t, elapsedMs));
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      if (stop === "failure") {
        const failure = JSON.parse((await this.redis.get(keys.failure)) ?? "{}") as RecordedFailure;
        // A thread a worker's watchdog stopped is named as check's watchdog names it.
        const stuck = failure.stuck;
        throw reproduceFailure(model, o.run, stuck === undefined ? failure : { ...failure, message: stuckMessage(stuck, model.threads[stuck.tid]?.name) });
      }
      const tally = await this.tallyOf(keys, existsChecks, dataRaces, o.run.keepViolations);
      const stoppedAtViolation = stop === "violation";
      const bounded = stop === null || stoppedAtViolation ? undefined : stop;
      return resultOf(model, o.run, decided, tally, { exhaustive: stop === null && decided.incomplete === null, bounded, elapsedMs: performance.now() - started });
    } finally {
      // Jobs of a stopped run still queued find the stop mark and are skipped.
      if ((await this.redis.get(keys.stop)) === null) await this.redis.set(keys.stop, "finished");
      await expireRun(this.redis, keys, KEEP_FINISHED_RUN_S);
    }
  }

  /** The run's tally as committed so far: the totals, the first kept violations and the first data race, in depth-first order. */
  private async tallyOf(keys: RunKeys, existsChecks: number, dataRaces: boolean, keep: number): Promise<Tally> {
    const totals = totalsOf(await this.redis.hgetall(keys.totals), existsChecks, dataRaces);
    const paths = async (key: string) => (await this.redis.lrange(key, 0, -1)).map((p) => JSON.parse(p) as number[]).sort(comparePaths);
    const violationPaths = (await paths(keys.violations)).slice(0, keep);
    const { raceExecutions, ...rest } = totals;
    return { ...rest, violationPaths, dataRaces: raceExecutions === null ? null : { executions: raceExecutions, firstPath: (await paths(keys.races))[0] ?? null } };
  }
}

// `check --workers N`, `--checkpoint FILE`, `--resume FILE`: a run explored
// by worker threads (parallelExplore.ts), its frontier written to a
// checkpoint every few seconds and when it ends or is interrupted, and
// continued from one; `--redis URL`: a run explored by `pagerace worker`
// processes on any number of machines (src/distributed/). Without these
// options `check` explores in its own thread as before.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { availableParallelism } from "node:os";
import type { ExplorationResult, Strategy } from "../explore/explore.ts";
import type { Progress } from "../explore/executionRecorder.ts";
import type { SubtreePool } from "../explore/parallelExplore.ts";
import type { SubtreeRunOptions } from "../explore/subtreeRun.ts";
import { modelTag } from "../explore/replayId.ts";
import type { Model } from "../program/model.ts";
import { positiveInteger, positiveSeconds, type ParsedArguments } from "./arguments.ts";
import { CheckpointFile, type CheckpointedRun } from "./checkpointFile.ts";
import { startExplorationWorkers } from "./explorationWorkers.ts";
import type { ModelSource } from "./modelSource.ts";
import { UsageError } from "./usageError.ts";
import { isModelError } from "../runtime/modelError.ts";
import type { Heartbeat } from "./watchdog.ts";
import { packageVersion } from "./packageVersion.ts";
import { groupDigits } from "../report/groupDigits.ts";
import { contentHash } from "../distributed/subtreeJob.ts";
import type { RedisCoordinator } from "../distributed/redisCoordinator.ts";
import { memoryModelNamed } from "../models/registry.ts";
import { withSplitRunEstimate, type SplitRunProgress } from "./splitRunEstimate.ts";

export const SCALE_OPTIONS = { workers: "string", checkpoint: "string", resume: "string", "checkpoint-every": "string", redis: "string", "job-seconds": "string" } as const;

/**
 * Without --workers, a run that explores every execution (--all) starts in
 * the command's thread and is split across one worker per core once it has
 * counted this many explorations (about two seconds of FT): a small run
 * pays for no threads, and a large one's result is the same either way. A
 * run that stops at its first violation stays in one thread unless asked,
 * so that which violation it reports, and its counts, do not depend on
 * timing; so does one bounded by --max-executions (it counts one thread's
 * explorations), and one the explorer cannot split (LKMM).
 */
export const AUTO_SPLIT_AFTER = 50_000;

export const SCALE_USAGE = `  --workers N           explore on N worker threads (0: one per core; default: with --all, a run that grows
                        past ${groupDigits(AUTO_SPLIT_AFTER)} explorations goes on one per core, else one thread)
  --checkpoint FILE     write where each run stands to FILE every few seconds and when it ends or is interrupted
  --resume FILE         continue the runs FILE holds (and go on checkpointing to it, unless --checkpoint says where)
  --checkpoint-every S  seconds between checkpoints (default 5)
  --redis URL           coordinate: \`pagerace worker --redis URL\` processes, on any machines, explore the run
  --job-seconds S       with --redis, how long a worker explores a job before handing back what is left as new jobs (default 2)`;

const DEFAULT_CHECKPOINT_EVERY_MS = 5000;
const DEFAULT_JOB_MS = 2000;

export interface ScaleOptions {
  readonly workers: number;
  readonly checkpoint?: string;
  readonly resume?: string;
  readonly checkpointEveryMs: number;
  /** No --workers was given: the run starts in one thread and is split only once large (AUTO_SPLIT_AFTER). */
  readonly auto?: boolean;
  /** Coordinate workers through the Redis at this URL instead of running worker threads. */
  readonly redis?: { readonly url: string; readonly jobMs: number };
}

/** The scaling options given, or undefined when none was (the run stays in the command's thread). */
export function scaleOptions(a: ParsedArguments, conflicting: { readonly maxExecutions?: number; readonly all?: boolean }): ScaleOptions | undefined {
  const workersText = a.options.get("workers");
  const workers = workersText === "0" ? availableParallelism() : positiveInteger(workersText, "workers");
  const resume = a.options.get("resume");
  const checkpoint = a.options.get("checkpoint") ?? resume;
  const every = positiveSeconds(a.options.get("checkpoint-every"), "checkpoint-every");
  const redis = a.options.get("redis");
  const jobSeconds = positiveSeconds(a.options.get("job-seconds"), "job-seconds");
  if (redis !== undefined) {
    if (workersText !== undefined || checkpoint !== undefined || every !== undefined)
      throw new UsageError("--redis hands the run to `pagerace worker` processes: it cannot be combined with --workers, --checkpoint or --resume");
    if (conflicting.maxExecutions !== undefined) throw new UsageError("--max-executions counts one thread's explorations: it cannot be combined with --redis");
    return { workers: 0, checkpointEveryMs: DEFAULT_CHECKPOINT_EVERY_MS, redis: { url: redis, jobMs: jobSeconds === undefined ? DEFAULT_JOB_MS : jobSeconds * 1000 } };
  }
  if (jobSeconds !== undefined) throw new UsageError("--job-seconds needs --redis URL");
  if (workers === undefined && checkpoint === undefined) {
    if (every !== undefined) throw new UsageError("--checkpoint-every needs --checkpoint FILE");
    const cores = availableParallelism();
    if (conflicting.all === true && conflicting.maxExecutions === undefined && cores > 1) return { workers: cores, checkpointEveryMs: DEFAULT_CHECKPOINT_EVERY_MS, auto: true };
    return undefined;
  }
  if (conflicting.maxExecutions !== undefined) throw new UsageError("--max-executions counts one thread's explorations: it cannot be combined with --workers, --checkpoint or --resume");
  return { workers: workers ?? 1, checkpoint, resume, checkpointEveryMs: every === undefined ? DEFAULT_CHECKPOINT_EVERY_MS : every * 1000 };
}

export interface ScaledRun {
  readonly file: string;
  readonly model: Model;
  readonly source: ModelSource;
  readonly run: SubtreeRunOptions;
  readonly strategy?: Strategy;
  readonly timeLimitMs?: number;
}

/** The runs of one `check` command on one pool of worker threads, checkpointed to one file; or on the workers of one Redis. */
export class ScaledCheck {
  private readonly pool: SubtreePool | undefined;
  private readonly coordinator: Promise<RedisCoordinator> | undefined;
  private readonly resumed: ReadonlyMap<string, CheckpointedRun>;
  private readonly checkpoint: CheckpointFile | undefined;

  constructor(
    private readonly o: ScaleOptions,
    private readonly heartbeat: Heartbeat | undefined,
  ) {
    this.resumed = o.resume === undefined ? new Map() : CheckpointFile.read(o.resume);
    this.checkpoint = o.checkpoint === undefined ? undefined : new CheckpointFile(o.checkpoint);
    if (o.checkpoint === o.resume) this.checkpoint?.carry(this.resumed);
    if (o.redis !== undefined) {
      const url = o.redis.url;
      this.coordinator = import("../distributed/redisCoordinator.ts").then(({ RedisCoordinator }) => RedisCoordinator.connect(url, packageVersion()));
      // Awaited by the first run; a failure to connect is that run's error.
      this.coordinator.catch(() => {});
    } else this.pool = startExplorationWorkers(o.workers, heartbeat?.buffer);
  }

  async explore(r: ScaledRun, onProgress: (p: Progress) => void): Promise<ExplorationResult> {
    try {
      return await this.exploreOn(r, splits(r) ? withSplitRunEstimate(r.model, r.run, onProgress) : onProgress);
    } catch (e) {
      // A model error ends only its own run; anything else ends the command, which must not wait for its threads.
      if (!isModelError(e)) await this.close();
      throw e;
    }
  }

  private async exploreOn(r: ScaledRun, onProgress: SplitRunProgress): Promise<ExplorationResult> {
    const key = `${r.file}#${r.source.kind === "file" ? r.source.index : 0}#${r.model.name}#${r.run.memoryModel}`;
    const identity = identityOf(r);
    const resumed = this.resumed.get(key);
    if (resumed !== undefined && resumed.identity !== identity)
      throw new UsageError(`--resume ${this.o.resume}: ${r.model.name} [${r.run.memoryModel}] was checkpointed with ${identityChange(resumed.identity, r)}`);
    if (this.coordinator !== undefined) return this.exploreOnRedis(await this.coordinator, r, onProgress);
    const checkpoint = this.checkpoint;
    return this.pool!.explore(r.model, {
      run: r.run,
      source: r.source,
      strategy: r.strategy,
      resume: resumed?.frontier,
      inThreadFirst: this.o.auto ? AUTO_SPLIT_AFTER : undefined,
      timeLimitMs: r.timeLimitMs,
      interruption: () => this.heartbeat?.interruption(),
      site: this.heartbeat,
      onProgress,
      checkpoint: checkpoint === undefined ? undefined : { everyMs: this.o.checkpointEveryMs, write: (frontier) => checkpoint.update(key, { identity, frontier }) },
    });
  }

  private exploreOnRedis(coordinator: RedisCoordinator, r: ScaledRun, onProgress: (p: Progress) => void): Promise<ExplorationResult> {
    if (r.source.kind !== "file") throw new UsageError("--redis explores models loaded from a file only");
    return coordinator.explore({
      model: r.model,
      jobModel: { file: resolve(r.source.file), name: r.source.name, index: r.source.index, hash: contentHash(readFileSync(r.source.file)) },
      run: r.run,
      strategy: r.strategy,
      timeLimitMs: r.timeLimitMs,
      sliceMs: this.o.redis!.jobMs,
      interruption: () => this.heartbeat?.interruption(),
      onProgress,
      site: this.heartbeat,
      onRefusal: (worker, why) => console.error(`pagerace: worker ${worker} refused a job: ${why}`),
      onNoWorker: () => console.error(`pagerace: no worker has taken a job yet: start \`pagerace worker --redis ${this.o.redis!.url}\` (on any machine that reaches this Redis and the model file)`),
    });
  }

  async close(): Promise<void> {
    await this.pool?.close();
    if (this.coordinator !== undefined) await (await this.coordinator.catch(() => undefined))?.close();
  }
}

/**
 * Whether the run may be split across workers, and so needs the
 * coordinator to estimate its size for its progress: the optimal explorer's, without load
 * buffering. Any other run stays whole in one thread, whose progress
 * estimates what it has left itself (or, not optimal, has no estimate).
 */
function splits(r: ScaledRun): boolean {
  return (r.strategy === undefined || r.strategy === "optimal") && memoryModelNamed(r.run.memoryModel).porfAcyclic;
}

/**
 * What a checkpointed run must share with its resume, each part named as a
 * refused --resume names it; the identity is their values in this order.
 */
function identityParts(r: ScaledRun): Readonly<Record<string, string | number>> {
  const o = r.run;
  return {
    "the model file's content": r.source.kind === "file" ? contentHash(readFileSync(r.source.file)) : JSON.stringify(r.source),
    "the model's name, threads or locations": modelTag(r.model),
    "the memory model": o.memoryModel,
    "--max-events": o.maxEventsPerThread ?? "",
    "--all": o.stopOnViolation ? "first" : "all",
    "--keep-violations": o.keepViolations,
    "--races-are-violations": o.dataRaces ?? "",
    "--strategy": r.strategy ?? "",
    // Named only when given, so that the identities of runs checkpointed before the option existed stay as they were.
    ...(o.symmetry === false ? { "--no-symmetry": "no-symmetry" } : {}),
  };
}

function identityOf(r: ScaledRun): string {
  return Object.values(identityParts(r)).join(" ");
}

/** "another X and other options: Y": the parts of the checkpointed identity that differ from the run's now. */
function identityChange(checkpointed: string, r: ScaledRun): string {
  const parts = Object.entries(identityParts(r));
  const before = checkpointed.split(" ");
  const changed = before.length === parts.length ? parts.filter(([, value], i) => before[i] !== String(value)).map(([name]) => name) : [];
  if (changed.length === 0) return "another model file or other options";
  const options = changed.filter((p) => p.startsWith("--"));
  const rest = changed.filter((p) => !p.startsWith("--"));
  return [...rest.map((p) => `another ${p.replace(/^the /, "")}`), ...(options.length > 0 ? [`other options: ${options.join(", ")}`] : [])].join(" and ") + ": resume with the same file and options, or start again";
}

// `check --workers N`, `--checkpoint FILE`, `--resume FILE`: a run explored
// by worker threads (parallelExplore.ts), its frontier written to a
// checkpoint every few seconds and when it ends or is interrupted, and
// continued from one; `--redis URL`: a run explored by `pagerace worker`
// processes on any number of machines (src/distributed/). Without these
// options `check` explores in its own thread as before.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ExplorationResult, Strategy } from "../explore/explore.ts";
import type { Progress } from "../explore/executionRecorder.ts";
import type { Frontier, SubtreePool } from "../explore/parallelExplore.ts";
import type { SubtreeRunOptions } from "../explore/subtreeRun.ts";
import { modelTag } from "../explore/replayId.ts";
import type { Model } from "../program/model.ts";
import { CheckpointFile, type CheckpointedRun } from "./checkpointFile.ts";
import { startExplorationWorkers } from "./explorationWorkers.ts";
import type { ModelSource } from "./modelSource.ts";
import { UsageError } from "./usageError.ts";
import { AUTO_SPLIT_AFTER, type ScaleOptions } from "./scaleOptions.ts";
import { isModelError } from "../runtime/modelError.ts";
import type { Heartbeat } from "./watchdog.ts";
import { packageVersion } from "./packageVersion.ts";
import { contentHash } from "../distributed/subtreeJob.ts";
import type { RedisCoordinator } from "../distributed/redisCoordinator.ts";
import { memoryModelNamed } from "../models/registry.ts";
import { withSplitRunEstimate, type SplitRunProgress } from "./splitRunEstimate.ts";

export interface ScaledRun {
  readonly file: string;
  readonly model: Model;
  readonly source: ModelSource;
  readonly run: SubtreeRunOptions;
  readonly strategy?: Strategy;
  readonly timeLimitMs?: number;
  /** Where the run stands when the main thread hands it over part-way (mainThreadFirst.ts): the workers go on from there. */
  readonly resume?: Frontier;
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
      resume: r.resume ?? resumed?.frontier,
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
    ...(o.symmetry === false ? { "--no-symmetry": GIVEN_ONLY["--no-symmetry"] } : {}),
  };
}

/**
 * Options that are part of the identity only when given, after the others,
 * so that the identities of runs checkpointed before they existed stay as
 * they were: each with the word that stands for it there.
 */
const GIVEN_ONLY = { "--no-symmetry": "no-symmetry" } as const;

function identityOf(r: ScaledRun): string {
  return Object.values(identityParts(r)).join(" ");
}

/** "another X and other options: Y": the parts of the checkpointed identity that differ from the run's now. */
function identityChange(checkpointed: string, r: ScaledRun): string {
  const parts = Object.entries(identityParts(r));
  const always = parts.filter(([name]) => !(name in GIVEN_ONLY));
  const before = checkpointed.split(" ");
  // The parts always there are compared in place; those there only when given, by whether they are there.
  const givenBefore = new Set(before.slice(always.length));
  const givenNow = new Set(parts.filter(([name]) => name in GIVEN_ONLY).map(([, value]) => String(value)));
  const changed =
    before.length >= always.length
      ? [
          ...always.filter(([, value], i) => before[i] !== String(value)).map(([name]) => name),
          ...Object.entries(GIVEN_ONLY)
            .filter(([, word]) => givenBefore.has(word) !== givenNow.has(word))
            .map(([name]) => name),
        ]
      : [];
  if (changed.length === 0) return "another model file or other options";
  const options = changed.filter((p) => p.startsWith("--"));
  const rest = changed.filter((p) => !p.startsWith("--"));
  return [...rest.map((p) => `another ${p.replace(/^the /, "")}`), ...(options.length > 0 ? [`other options: ${options.join(", ")}`] : [])].join(" and ") + ": resume with the same file and options, or start again";
}

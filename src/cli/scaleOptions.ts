// The options that spread a check's run over more than the command's
// thread (worker threads, checkpoints, Redis), parsed apart from the code
// that runs them (parallelCheck.ts), which a check given none of them does
// not load.

import { availableParallelism } from "node:os";
import { positiveInteger, positiveSeconds, type ParsedArguments } from "./arguments.ts";
import { UsageError } from "./usageError.ts";
import { groupDigits } from "../report/groupDigits.ts";

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

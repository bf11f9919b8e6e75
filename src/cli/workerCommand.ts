// `pagerace worker --redis URL [MODEL_FILE]`: explore the subtree jobs
// that `check --redis URL` coordinators queue, until stopped (SIGINT or
// SIGTERM: the job under way yields at its next choice, committing what it
// explored and queueing what it left; a worker killed outright has its job
// given to another once its lock lapses).

import { parseArguments, positiveInteger, positiveSeconds } from "./arguments.ts";
import { packageVersion } from "./packageVersion.ts";
import { UsageError } from "./usageError.ts";

export const WORKER_USAGE = `pagerace worker --redis URL [options] [MODEL_FILE]
  --redis URL           the Redis the coordinators (check --redis URL) use, e.g. redis://host:6379
  MODEL_FILE            the model file on this machine (default: the path each job names); its content must be the coordinator's
  --stalled-after S     seconds after which the job of a worker that stopped answering goes to another (default 30)
  --timeout SECONDS     watchdog: how long thread code may run without yielding (default 10); such a loop fails the run
  --verbose             a line on stderr as each job starts and ends
  --quiet               nothing on stderr but errors
  exit: 0 stopped by SIGINT/SIGTERM, 2 usage error, or a job this worker refused (another model file or pagerace version)`;

const OPTIONS = { redis: "string", "stalled-after": "string", timeout: "string", quiet: "boolean", verbose: "boolean" } as const;

export async function workerCommand(args: readonly string[]): Promise<number> {
  const a = parseArguments(args, OPTIONS);
  const url = a.options.get("redis");
  if (url === undefined) throw new UsageError(`worker needs --redis URL\n${WORKER_USAGE}`);
  if (a.positional.length > 1) throw new UsageError(`worker takes at most one model file\n${WORKER_USAGE}`);
  const stalledAfter = positiveSeconds(a.options.get("stalled-after"), "stalled-after") ?? 30;
  const timeout = positiveSeconds(a.options.get("timeout"), "timeout") ?? 10;
  const quiet = a.flags.has("quiet");
  const { runWorker } = await import("../distributed/redisWorker.ts");
  const stop = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  const refused = await runWorker(
    { url, modelFile: a.positional[0], lockMs: stalledAfter * 1000, watchdogMs: timeout * 1000, version: packageVersion(), verbose: a.flags.has("verbose"), log: (line) => quiet || console.error(line) },
    stop,
  );
  if (refused !== null) throw new UsageError(`worker: refused a job: ${refused}`);
  return 0;
}

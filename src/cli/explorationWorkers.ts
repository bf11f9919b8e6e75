// The worker threads of `check --workers N`: each runs bin/worker.mjs as an
// exploration worker (subtreeWorkerEntry.ts), from dist/ or, under
// PAGERACE_FROM_SOURCE, from the sources, as the command line itself does.

import { Worker } from "node:worker_threads";
import { SubtreePool } from "../explore/parallelExplore.ts";
import { EXPLORING_STACK_MB, workerScript } from "./workerScript.ts";

/** A pool of `size` exploration threads; `beat` is the watchdog's heartbeat they beat on (if any). */
export function startExplorationWorkers(size: number, beat?: SharedArrayBuffer): SubtreePool {
  // Unreferenced: a command that ends on an error does not wait for its pool (a run under way keeps the thread alive by its timers).
  // Each thread beats on a lane of its own (heartbeat.ts), so that the watchdog names the one that is stuck.
  let lane = 0;
  return new SubtreePool(size, (control) => {
    const worker = new Worker(workerScript(), { workerData: { kind: "subtrees", control, beat, lane: lane++ }, resourceLimits: { stackSizeMb: EXPLORING_STACK_MB } });
    worker.unref();
    return worker;
  });
}

// An exploration worker thread of `check --workers` (bin/worker.mjs, kind
// "subtrees"): loads models by their source and explores the subtrees it is
// handed. It beats on its own lane of the command's watchdog heartbeat, so
// that thread code that never yields is caught here too, and named while
// the other threads still explore; interrupts reach it as the coordinator's
// yield request, not through the heartbeat, so that it stops at a point it
// can say exactly what it has left.

import { parentPort, workerData } from "node:worker_threads";
import { serveSubtrees } from "../explore/subtreeWorker.ts";
import { loadModelSource } from "./modelSource.ts";
import { LaneBeat } from "./heartbeat.ts";

export function serveSubtreeRequests(): void {
  const data = workerData as { control: SharedArrayBuffer; beat?: SharedArrayBuffer; lane: number };
  const site = data.beat === undefined ? undefined : new LaneBeat(new Int32Array(data.beat), data.lane);
  serveSubtrees(parentPort!, new Int32Array(data.control), loadModelSource, site, site === undefined ? undefined : (on) => site.exploring(on));
}

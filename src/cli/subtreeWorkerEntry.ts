// An exploration worker thread of `check --workers` (bin/worker.mjs, kind
// "subtrees"): loads models by their source and explores the subtrees it is
// handed. It beats on the command's watchdog heartbeat, so that thread code
// that never yields is caught here too; interrupts reach it as the
// coordinator's yield request, not through the heartbeat, so that it stops
// at a point it can say exactly what it has left.

import { parentPort, workerData } from "node:worker_threads";
import { serveSubtrees } from "../explore/subtreeWorker.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import { loadModelSource } from "./modelSource.ts";
import { Heartbeat } from "./watchdog.ts";

export function serveSubtreeRequests(): void {
  const data = workerData as { control: SharedArrayBuffer; beat?: SharedArrayBuffer };
  serveSubtrees(parentPort!, new Int32Array(data.control), loadModelSource, data.beat === undefined ? undefined : beatingSite(new Heartbeat(new Int32Array(data.beat))));
}

/** The heartbeat's beat, without its interruption. */
function beatingSite(h: Heartbeat): RunningSite {
  return {
    get tid() {
      return h.tid;
    },
    set tid(t: number) {
      h.tid = t;
    },
    get events() {
      return h.events;
    },
    set events(n: number) {
      h.events = n;
    },
    busy: () => h.busy(),
  };
}

// The worker thread a `pagerace worker` process explores its jobs on
// (bin/worker.mjs as an exploration worker, the same thread `check
// --workers` uses). Exploration is synchronous; in its own thread it leaves
// the process's event loop free to renew the job's lock with BullMQ (else
// a long subtree would look stalled), and it can be asked to yield after
// its time slice, or to abandon, at a choice boundary.

import { Worker } from "node:worker_threads";
import { ask, REQUEST } from "../explore/subtreeCursor.ts";
import type { SubtreeOutcome, SubtreeRunOptions } from "../explore/subtreeRun.ts";
import type { FromWorker, ToWorker } from "../explore/subtreeWorker.ts";
import type { Subtree } from "../explore/subtree.ts";
import { workerScript } from "../cli/workerScript.ts";

export type ThreadFailure = Extract<FromWorker, { type: "failure" }>;

export interface SliceRequest {
  readonly source: unknown;
  readonly options: SubtreeRunOptions;
  readonly subtree: Subtree;
  /** Yield after this long (ms). */
  readonly sliceMs: number;
  /** Polled a few times a second: true once the run has stopped, and the rest of the subtree is not wanted. */
  readonly stopped: () => Promise<boolean>;
}

export class ExplorationThread {
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private worker: Worker;
  private next = 1;

  constructor() {
    this.worker = this.start();
  }

  private start(): Worker {
    return new Worker(workerScript(), { workerData: { kind: "subtrees", control: this.control.buffer } });
  }

  /** Explores the subtree for at most its slice: what it counted and what it left, or the failure it met. */
  explore(r: SliceRequest): Promise<SubtreeOutcome | ThreadFailure> {
    const id = this.next++;
    Atomics.store(this.control, 0, 0);
    return new Promise((resolve) => {
      let polling = false;
      const slice = setTimeout(() => ask(this.control, REQUEST.yield), r.sliceMs);
      const poll = setInterval(() => {
        if (polling) return;
        polling = true;
        r.stopped()
          .then((stop) => {
            if (stop) ask(this.control, REQUEST.abandon);
          })
          .catch(() => {})
          .finally(() => (polling = false));
      }, 200);
      const end = () => {
        clearTimeout(slice);
        clearInterval(poll);
        this.worker.off("message", onMessage);
        this.worker.off("error", onError);
      };
      const onMessage = (m: FromWorker) => {
        if (m.id !== id) return;
        if (m.type === "done") {
          end();
          resolve(m.outcome);
        } else if (m.type === "failure") {
          end();
          resolve(m);
        }
      };
      // The thread itself died (its heap, say): a failure of the run, which cannot be counted whole.
      const onError = (e: Error) => {
        end();
        this.worker = this.start();
        resolve({ type: "failure", id, message: `an exploration worker failed: ${e.message}`, path: null, modelError: false });
      };
      this.worker.on("message", onMessage);
      this.worker.on("error", onError);
      this.worker.postMessage({ type: "unit", id, source: r.source, options: r.options, subtree: r.subtree } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: "close" } satisfies ToWorker);
    await this.worker.terminate();
  }
}

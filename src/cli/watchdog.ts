// A watchdog for thread code that never returns to the engine (a loop with
// no yield): the engine bumps a shared heartbeat whenever it resumes a
// thread; a worker thread that sees no beat for too long names the thread
// that was running and ends the process with exit code 2.

import { Worker } from "node:worker_threads";
import type { RunningSite } from "../runtime/threadReplayer.ts";

const WATCHER = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const beat = new Int32Array(workerData.buffer);
let last = -1, since = Date.now();
setInterval(() => {
  const now = Atomics.load(beat, 0);
  if (now !== last) { last = now; since = Date.now(); return; }
  if (Atomics.load(beat, 3) === 0 || Date.now() - since < workerData.limitMs) return;
  const tid = Atomics.load(beat, 1), events = Atomics.load(beat, 2);
  const name = workerData.threads[Atomics.load(beat, 4)]?.[tid] ?? ("thread " + tid);
  writeSync(2, "pagerace: " + name + " did not return to the engine within " + workerData.limitMs / 1000 +
    " s (after its event " + events + "): a loop with no yield? Every shared access must be a yield* of the thread context.\\n");
  process.exit(2);
}, 200).unref();
`;

export class Watchdog implements RunningSite {
  private readonly beat = new Int32Array(new SharedArrayBuffer(5 * 4));
  private readonly worker: Worker;

  constructor(threadNames: readonly (readonly string[])[], limitMs: number) {
    this.worker = new Worker(WATCHER, { eval: true, workerData: { buffer: this.beat.buffer, limitMs, threads: threadNames } });
    this.worker.unref();
  }

  /** Which model (index into the names given) is being explored; armed until `idle`. */
  watch(modelIndex: number): void {
    this.beat[4] = modelIndex;
    Atomics.store(this.beat, 3, 1);
  }

  idle(): void {
    Atomics.store(this.beat, 3, 0);
  }

  get tid(): number {
    return this.beat[1]!;
  }

  set tid(t: number) {
    this.beat[1] = t;
    this.beat[0]!++;
  }

  get events(): number {
    return this.beat[2]!;
  }

  set events(n: number) {
    this.beat[2] = n;
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

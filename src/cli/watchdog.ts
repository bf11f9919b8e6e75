// Thread code that never returns to the engine (a loop with no yield) cannot
// be interrupted from inside: exploration runs in a worker thread, and the
// main thread watches a shared heartbeat that the engine bumps whenever it
// resumes a thread. When the beat stops for too long, the main thread stops
// the worker and names the thread that was running.

import { Worker } from "node:worker_threads";
import { workerScript } from "./workerScript.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";

/** Heartbeat layout: [beat, tid, events, armed, model index]. */
const SLOTS = 5;

/** The worker's side: the engine reports where it runs. */
export class Heartbeat implements RunningSite {
  constructor(private readonly beat: Int32Array) {}

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

  busy(): void {
    this.beat[0]!++;
  }

  /** Arms the watchdog while model `index` is explored. */
  watch(index: number): void {
    this.beat[4] = index;
    Atomics.store(this.beat, 3, 1);
  }

  idle(): void {
    Atomics.store(this.beat, 3, 0);
  }
}

/** The main thread's side: runs `bin/worker.mjs` with the command, and watches it. */
export function runWatched(command: string, args: readonly string[], limitMs: number): Promise<number> {
  const beat = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  const worker = new Worker(workerScript(), { workerData: { kind: "command", command, args, beat: beat.buffer, stderrIsTTY: process.stderr.isTTY === true } });
  let threadNames: string[][] = [];
  worker.on("message", (m: { threadNames?: string[][]; progress?: string }) => {
    if (m.threadNames) threadNames = m.threadNames;
    // Progress comes as messages: a busy worker's own stderr is only flushed when its exploration ends.
    if (m.progress !== undefined) process.stderr.write(m.progress);
  });
  return new Promise((resolve) => {
    let last = -1;
    let since = Date.now();
    let stopped = false;
    const timer = setInterval(() => {
      const now = Atomics.load(beat, 0);
      if (now !== last || Atomics.load(beat, 3) === 0) {
        last = now;
        since = Date.now();
        return;
      }
      if (Date.now() - since < limitMs) return;
      stopped = true;
      clearInterval(timer);
      const tid = Atomics.load(beat, 1);
      const name = threadNames[Atomics.load(beat, 4)]?.[tid] ?? `thread ${tid}`;
      console.error(
        `pagerace: ${name} did not return to the engine within ${limitMs / 1000} s (after its event ${Atomics.load(beat, 2)}): ` +
          `a loop with no yield? Every shared access must be a yield* of the thread context.`,
      );
      void worker.terminate().then(() => resolve(2));
    }, 100);
    worker.on("exit", (code) => {
      clearInterval(timer);
      if (!stopped) resolve(code);
    });
    worker.on("error", (e) => {
      clearInterval(timer);
      console.error(`pagerace: ${e.message}`);
      if (!stopped) resolve(2);
    });
  });
}

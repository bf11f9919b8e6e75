// Thread code that never returns to the engine (a loop with no yield) cannot
// be interrupted from inside: exploration runs in a worker thread, and the
// main thread watches a shared heartbeat that the engine bumps whenever it
// resumes a thread. When the beat stops for too long, the main thread stops
// the worker and names the thread that was running. The same shared array
// carries the user's request to stop (SIGINT, SIGTERM, which only the main
// thread receives) to the exploration, which polls it as part of its budget.
// The worker's side of the array is heartbeat.ts. A small `check` ends in
// the main thread before it needs any of this (mainThreadFirst.ts), and
// comes here only once it has outlasted its time there.

import { Worker } from "node:worker_threads";
import { EXPLORING_STACK_MB, workerScript } from "./workerScript.ts";
import type { HandedOverRun } from "./handedOverRun.ts";
import { eventsIssued, HEARTBEAT_SLOTS, Heartbeat, laneAt, LANES, STOP_SLOT, type StuckRun } from "./heartbeat.ts";
import { STOP_SIGNALS, type StopSignal } from "./stopSignals.ts";
import { ModelError } from "../runtime/modelError.ts";
import { asksForJson, errorJson, errorJsonIndent } from "./errorDocument.ts";
import { stopWithoutSummary, withSoFar } from "./stopWithoutSummary.ts";
import { terminalSafeJson } from "../report/terminalText.ts";

export { Heartbeat };

/**
 * The main thread's side: runs `bin/worker.mjs` with the command, and watches it.
 * When the worker cannot end the command itself (a thread that never yields,
 * stopped here; a worker out of heap), the error goes to stderr and, with
 * `--json`, as the error document to stdout (kind `model`), exit code 2.
 * A second signal stops the worker without its summary: the error document
 * then has kind `interrupted`, and the exit code is the signal's. `pending`
 * is a first signal taken before the worker started; `handedOver`, the runs
 * the main thread hands over (mainThreadFirst.ts). A check's run whose
 * thread never returns ends as a model error instead: the check starts
 * again in a new worker, `stuck` naming each such run.
 */
export function runWatched(
  command: string,
  args: readonly string[],
  limitMs: number,
  pending?: StopSignal,
  handedOver: readonly HandedOverRun[] = [],
  stuck: readonly StuckRun[] = [],
): Promise<number> {
  const json = asksForJson(args);
  const indent = errorJsonIndent(args);
  /** The command's end as an error: on stderr (prefixed) and, with --json, as the JSON error document. */
  const fail = (message: string): void => {
    console.error(`pagerace: ${message}`);
    if (json) console.log(terminalSafeJson(errorJson(new ModelError(message)), indent));
  };
  const beat = new Int32Array(new SharedArrayBuffer(HEARTBEAT_SLOTS * 4));
  const worker = new Worker(workerScript(), {
    workerData: { kind: "command", command, args, beat: beat.buffer, stderrIsTTY: process.stderr.isTTY === true, stdoutColumns: process.stdout.columns, handedOver, stuck },
    resourceLimits: { stackSizeMb: EXPLORING_STACK_MB },
  });
  let threadNames: string[][] = [];
  // The check's run under way: its threads' own names, its memory model and its place in the check.
  let running: { readonly threads: string[][]; readonly memoryModel: string; readonly ordinal: number; readonly since: number } | undefined;
  // What the worker has found so far, one line per run (Heartbeat.report), for when it cannot say so itself.
  let soFar: string[] = [];
  worker.on("message", (m: { threadNames?: string[][]; threads?: string[][]; memoryModel?: string; ordinal?: number; progress?: string; soFar?: string[]; stdout?: string }) => {
    if (m.threadNames) threadNames = m.threadNames;
    if (m.threads !== undefined && m.memoryModel !== undefined && m.ordinal !== undefined) running = { threads: m.threads, memoryModel: m.memoryModel, ordinal: m.ordinal, since: performance.now() };
    // Streamed output (standardOutput.ts): the worker's own stdout would only be flushed when its command ends.
    if (m.stdout !== undefined) process.stdout.write(m.stdout);
    // Progress comes as messages: a busy worker's own stderr is only flushed when its exploration ends.
    if (m.progress !== undefined) process.stderr.write(m.progress);
    if (m.soFar !== undefined) soFar = m.soFar;
  });
  // A signal asks the worker to stop and print what it found (it polls the flag
  // within a fraction of a second, even inside an execution); a second one
  // stops it at once, with only what it last reported.
  // A signal the main thread took before this worker started (mainThreadFirst.ts) is passed on once the worker
  // explores, as if it had come then: the exploration answers it as soon as it can.
  let signalled: StopSignal | undefined = pending;
  let deferred: StopSignal | undefined = pending;
  const onSignal = (signal: StopSignal) => {
    if (signalled === undefined) {
      signalled = signal;
      Atomics.store(beat, STOP_SLOT, STOP_SIGNALS[signal]);
      return;
    }
    stopWithoutSummary(signal, soFar, args);
    void worker.terminate().then(() => process.exit(128 + STOP_SIGNALS[signal]));
  };
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => {
    const handler = () => onSignal(signal);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  const unlisten = () => handlers.forEach((off) => off());
  return new Promise((resolve) => {
    const stillness = new Stillness();
    let stopped = false;
    const timer = setInterval(() => {
      if (deferred !== undefined && Atomics.load(beat, 3) === 1) {
        Atomics.store(beat, STOP_SLOT, STOP_SIGNALS[deferred]);
        deferred = undefined;
      }
      const stuckAt = stuckBeat(beat, stillness, limitMs, Date.now());
      if (stuckAt === undefined) return;
      stopped = true;
      clearInterval(timer);
      const tid = Atomics.load(beat, stuckAt + 1);
      const index = Atomics.load(beat, 4);
      const said = (name: string) =>
        `${name} did not return to the engine within ${limitMs / 1000} s (${eventsIssued(Atomics.load(beat, stuckAt + 2))}): ` +
        `a loop with no yield? Every shared access must be a yield* of the thread context.`;
      // A check goes on in a new worker, this run a model error on its row as a thread that throws is, the others run as before
      // (an estimate prints each run's line as it goes: it ends here, as the other commands do).
      if (command === "check" && !args.includes("--estimate") && stuckAt === 0 && running !== undefined) {
        const message = said(running.threads[index]?.[tid] ?? `thread ${tid}`);
        const again = [...stuck, { index, memoryModel: running.memoryModel, ordinal: running.ordinal, message, elapsedMs: performance.now() - running.since }];
        unlisten();
        void worker.terminate().then(() => resolve(runWatched(command, args, limitMs, signalled, handedOver, again)));
        return;
      }
      // The runs before this one ended: what they found is said too, not lost with the worker.
      fail(withSoFar(said(threadNames[index]?.[tid] ?? `thread ${tid}`), soFar));
      void worker.terminate().then(() => resolve(2));
    }, 100);
    worker.on("exit", (code) => {
      clearInterval(timer);
      unlisten();
      if (!stopped) resolve(code);
    });
    worker.on("error", (e) => {
      clearInterval(timer);
      unlisten();
      // Out of heap, the worker cannot print its summary: the main thread prints the counts it last sent.
      // (Once the watchdog has stopped the worker, the command has ended: nothing more is printed.)
      if (stopped) return;
      if ((e as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY") fail(withSoFar(`the exploration ran out of memory (${e.message})`, soFar));
      else fail(e.message);
      resolve(2);
    });
  });
}

/**
 * Where the beat that has stood still for `limitMs` begins (its tid and
 * events follow it), if one has: an exploration thread's lane first, so
 * that a stuck one is named while the others go on, then the command's.
 * Watched only while the command explores, and a lane while its thread does.
 */
export function stuckBeat(beat: Int32Array, stillness: Stillness, limitMs: number, now: number): number | undefined {
  const armed = Atomics.load(beat, 3) === 1;
  let stuck: number | undefined;
  for (let lane = 0; lane < LANES; lane++) {
    const at = laneAt(lane);
    if (stillness.of(beat, at, armed && Atomics.load(beat, at + 3) === 1, now) >= limitMs) stuck ??= at;
  }
  if (stillness.of(beat, 0, armed, now) >= limitMs) stuck ??= 0;
  return stuck;
}

/** How long each beat watched has stood still. */
export class Stillness {
  private readonly seen = new Map<number, { readonly beat: number; readonly since: number }>();

  /** Milliseconds since the beat at `slot` last moved; 0 when it is not `watched` (a thread idle, not stuck). */
  of(beat: Int32Array, slot: number, watched: boolean, now: number): number {
    const value = Atomics.load(beat, slot);
    const before = this.seen.get(slot);
    if (!watched || before === undefined || before.beat !== value) {
      this.seen.set(slot, { beat: value, since: now });
      return 0;
    }
    return now - before.since;
  }
}

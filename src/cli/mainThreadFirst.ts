// A small check ends in a fraction of a second, and starting the watched
// worker (watchdog.ts) would cost it a good part of that. So `check` runs in
// the main thread first. A check that ends there prints exactly what it
// would have printed from the worker.
//
// A run that the worker could go on with from where it stands (the optimal
// explorer under SC or TSO, with no count of executions over the whole run;
// a time limit goes on with the time left; handedOverRun.ts) stays here to
// its end: it explores one slice at a time, yielding between two executions
// at the slice's end, and lets signals in between two slices. It moves to the worker, from where it stands, only
// when the main thread's heap fills (here, running out of it could not be
// reported), when V8's watchdog (boundedSlice.ts) stops a slice that has
// not yielded well past its end (a thread that never yields, or one very
// long step: the worker goes on from where that slice began), or, with
// --all, once it is large enough to be split across the worker's threads.
// Any other run gets MAIN_THREAD_MS in all here: past that, V8's watchdog
// stops it wherever it is, and the check moves to the worker, which runs it
// again from the start. The runs that ended here are handed over as they
// ended (those the worker could have gone on with) or run again there (the
// others: within MAIN_THREAD_MS). Until the check ends, its output is held
// back, so that nothing of an attempt that moves is ever seen; progress
// alone goes out as it comes.
//
// Only what the worker is sure to do the same is run here: `check` without
// the options that start exploration workers or write files, and with a
// heap far larger than a fraction of a second can fill (`replay` too, its
// one execution a run of the other kind: mainThreadEligibility.ts); and a check whose
// output says it overflowed the stack, smaller here than in the worker,
// runs again there. A first signal arriving meanwhile is answered once the
// slice or exploration under way ends or is handed over, as the worker
// would answer it then; a second one at once.

import { getHeapStatistics } from "node:v8";
import { Heartbeat, HEARTBEAT_SLOTS, STOP_SLOT } from "./heartbeat.ts";
import { STOP_SIGNALS, type StopSignal } from "./stopSignals.ts";
import { isHandOver, runWithin, type HandOver } from "./boundedSlice.ts";
import type { HandedOverRun } from "./handedOverRun.ts";
import { sendProgressTo } from "./progressLine.ts";
import { stopWithoutSummary } from "./stopWithoutSummary.ts";
import { takeOverWrites, type StreamName } from "./streamWrites.ts";
import { leaveStoppedThreadCode } from "../runtime/determinismGuard.ts";
import { STACK_OVERFLOW } from "./workerScript.ts";

/**
 * How long a run the worker could not go on with may explore in the main
 * thread, all such runs together, before the check moves to the worker. A
 * check that moves starts cold again there: the worker loads pagerace and
 * the model again and compiles the engine's code anew, 0.1–0.2 s of CPU.
 */
const MAIN_THREAD_MS = 100;

/**
 * V8's watchdog stops such a run (to be run again from the start) this
 * long after MAIN_THREAD_MS; and the first slice of a run that goes on in
 * slices, if it has not yielded by then.
 */
const STOP_AFTER_MS = 100;

/**
 * The slices a run goes on in past its first: a signal waits at most this
 * long. Each costs a frontier and a replay of the path to it (slices of 10 s
 * instead made lastzero(15) no faster, within noise).
 */
const SLICE_MS = 250;

/** A later slice not yielded this long after its end is stopped by V8's watchdog, and the run moves to the worker from where the slice began. */
const SLICE_GRACE_MS = 1000;

/** Past this share of the heap in use, a run going on in slices moves to the worker, where running out of heap is reported. */
const HEAP_SHARE = 0.5;

type RunCommand = (command: string, args: readonly string[], site: Heartbeat) => Promise<number>;

/**
 * What a command run in the main thread first deals with outside itself:
 * signals, where its output goes, and what happens when it cannot end
 * here. This process's own (processHost) by default; a warm server's
 * (server/serveMainThreadFirst.ts) for a command it runs for a client.
 */
export interface MainThreadHost {
  /** Calls `onSignal` for each signal that asks the command to stop, until `off`. */
  listen(onSignal: (signal: StopSignal) => void): { off(): void };
  /** Where progress goes while the rest of the output is held back; asked before the streams are held. */
  progressWriter(): (text: string) => void;
  /** Writes what the command wrote to one of its streams, once it is its last word (`args` as the stream's write took them). */
  release(stream: StreamName, args: readonly unknown[]): void;
  /** A second signal: end at once with what the runs last reported (`soFar`), the held output dropped. */
  stopNow(signal: StopSignal, soFar: readonly string[], args: readonly string[]): void;
  /**
   * The command cannot end here: `runs` ended or stand where they can be
   * handed over. `stopListening` ends the listening to signals, which the
   * taker answers from then on; `signalled` is the first signal, if one came.
   */
  handOver(command: string, args: readonly string[], limitMs: number, runs: readonly HandedOverRun[], stopListening: () => void, signalled: () => StopSignal | undefined): Promise<number>;
}

/** This process: its signals and streams, and the watched worker to hand over to. */
export const processHost: MainThreadHost = {
  listen,
  progressWriter: () => {
    const write = process.stderr.write.bind(process.stderr);
    return (text) => write(text);
  },
  release: (stream, args) => Reflect.apply(process[stream].write, process[stream], args),
  stopNow: (signal, soFar, args) => {
    stopWithoutSummary(signal, soFar, args);
    process.exit(128 + STOP_SIGNALS[signal]);
  },
  handOver: async (command, args, limitMs, runs, stopListening, signalled) => {
    // A signal already sent has its handler run before the worker's are in place; the worker module loads meanwhile.
    const [{ runWatched }] = await Promise.all([import("./watchdog.ts"), new Promise((resolve) => setImmediate(resolve))]);
    stopListening();
    return runWatched(command, args, limitMs, signalled(), runs);
  },
};

/** Runs the command here, handing it over (to the watched worker; limitMs: the watchdog's limit there) when it cannot end here. */
export async function runMainThreadFirst(
  command: string,
  args: readonly string[],
  limitMs: number,
  runCommand: RunCommand,
  host: MainThreadHost = processHost,
): Promise<number> {
  const beat = new Int32Array(HEARTBEAT_SLOTS);
  let deadline: number | undefined;
  let sliced = false;
  let soFar: readonly string[] = [];
  const ended: HandedOverRun[] = [];
  const timeHere = () => (deadline ??= performance.now() + MAIN_THREAD_MS);
  const within = <T>(ms: number, work: () => T): T => {
    try {
      return runWithin(ms, work);
    } catch (e) {
      if (isHandOver(e)) leaveStoppedThreadCode();
      throw e;
    }
  };
  const site = new Heartbeat(beat, (work) => within(timeHere() + STOP_AFTER_MS - performance.now(), work), (lines) => (soFar = lines), {
    slice: (work) => {
      const now = performance.now();
      const first = !sliced;
      sliced = true;
      const yieldAt = first ? Math.max(timeHere(), now) : now + SLICE_MS;
      return within(yieldAt + (first ? STOP_AFTER_MS : SLICE_GRACE_MS) - now, () => work(yieldAt));
    },
    goOn: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const heap = getHeapStatistics();
      return heap.used_heap_size < heap.heap_size_limit * HEAP_SHARE;
    },
    ended: (run) => ended.push(run),
  });
  const held = new HeldOutput(host);
  let signalled: StopSignal | undefined;
  const listening = host.listen((signal) => {
    if (signalled === undefined) {
      // Polled by the command as the worker polls it.
      signalled = signal;
      Atomics.store(beat, STOP_SLOT, STOP_SIGNALS[signal]);
      return;
    }
    // At once, before the command can go on to print its summary: one document, not two.
    held.discard();
    host.stopNow(signal, soFar, args);
  });
  /** The command handed over, the runs taken as they stand; what it printed here is dropped. */
  const handOver = async (runs: readonly HandedOverRun[]): Promise<number> => {
    held.discard();
    return host.handOver(command, args, limitMs, runs, () => listening.off(), () => signalled);
  };
  let code: number;
  try {
    code = await runCommand(command, args, site);
  } catch (e) {
    if (isHandOver(e)) return handOver([...ended, ...(e as HandOver).runs]);
    listening.off();
    held.release();
    throw e;
  }
  // The main thread's stack is a small fraction of the worker's (EXPLORING_STACK_MB): a run whose output says it
  // overflowed (the engine reports it as the bound it reached, a thread's error names it) may not overflow there.
  if (held.mentions(STACK_OVERFLOW)) return handOver([]);
  listening.off();
  held.release();
  return code;
}

function listen(onSignal: (signal: StopSignal) => void): { off(): void } {
  const offs = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => {
    const handler = () => onSignal(signal);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return { off: () => offs.forEach((off) => off()) };
}

/** What the command writes to stdout and stderr, kept in order until it is known to be the command's last word; its progress goes out as it comes. */
class HeldOutput {
  private readonly writes: [StreamName, unknown[]][] = [];
  private giveBack: (() => void) | undefined;

  constructor(private readonly host: MainThreadHost) {
    sendProgressTo(host.progressWriter());
    this.giveBack = takeOverWrites((stream, args) => this.writes.push([stream, args]));
  }

  /** Whether anything held says `text`. */
  mentions(text: string): boolean {
    return this.writes.some(([, [chunk]]) => String(chunk).includes(text));
  }

  /** The streams write for themselves again, the held writes first. */
  release(): void {
    this.restore();
    for (const [stream, args] of this.writes.splice(0)) this.host.release(stream, args);
  }

  /** The streams write for themselves again; what was held is dropped. */
  discard(): void {
    this.restore();
    this.writes.length = 0;
  }

  private restore(): void {
    sendProgressTo(undefined);
    this.giveBack?.();
    this.giveBack = undefined;
  }
}

// A small check ends in a fraction of a second, and starting the watched
// worker (watchdog.ts) would cost it a good part of that. So `check` runs in
// the main thread first, its explorations bounded by V8's watchdog
// (boundedSlice.ts) to MAIN_THREAD_MS in all. A check that ends within that
// time prints exactly what it would have printed from the worker. One that
// does not is stopped wherever it is (a thread that never yields included)
// and run again from the start in the watched worker, as it always was, for
// which it has lost at most MAIN_THREAD_MS: its output is held back until the
// check has ended, so that nothing of the first attempt is ever seen.
//
// Only what the worker is sure to do the same is run here: `check` without
// the options that start exploration workers or write files (with --all, a
// run here is not split: it would be only past the time it has here), and with a heap
// far larger than a fraction of a second can fill (in a small heap, only the
// worker can report that it ran out of memory); and a check whose output
// says it overflowed the stack, smaller here than in the worker, runs again
// there. A signal arriving meanwhile
// is answered once the exploration under way ends or is handed over: as the
// worker would answer it then.

import { getHeapStatistics } from "node:v8";
import { Heartbeat, HEARTBEAT_SLOTS, STOP_SIGNALS, STOP_SLOT, type StopSignal } from "./heartbeat.ts";
import { isHandOver, runWithin } from "./boundedSlice.ts";
import { leaveStoppedThreadCode } from "../runtime/determinismGuard.ts";

/**
 * How long explorations may run in the main thread before the check moves to
 * the worker. A check handed over has lost this much exploration, and the
 * compiled code its run warmed up: about 0.15 s of CPU on a check of a few
 * seconds, against the worker's start-up saved by every check that ends
 * sooner (FT(4,4): 0.38 s of CPU in the worker, 0.31 s here).
 */
const MAIN_THREAD_MS = 100;

/**
 * V8's message for a recursion past the stack. The main thread's stack is a
 * quarter of the worker's: a run whose output says that it overflowed (the
 * engine reports it as the bound it reached, a thread's error names it) may
 * not have in the worker, which runs it again.
 */
const STACK_OVERFLOW = "Maximum call stack size exceeded";

/** A heap that a fraction of a second of allocation cannot fill. */
const LARGE_HEAP_BYTES = 2 ** 30;

/** check's options that change nothing but what it explores and prints (the rest start workers or write files). */
const VALUE_OPTIONS = new Set(["model", "strategy", "keep-violations", "width", "time-limit", "max-executions", "max-events", "timeout"]);
const FLAG_OPTIONS = new Set(["events", "races-are-violations", "json", "quiet", "all", "no-symmetry"]);

/** Whether `command` with `args` may run in the main thread first. */
export function runsInMainThreadFirst(command: string, args: readonly string[]): boolean {
  if (command !== "check") return false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (!arg.startsWith("-")) continue;
    const [name, value] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (!arg.startsWith("--")) return false;
    if (VALUE_OPTIONS.has(name)) {
      if (value === undefined) i++;
    } else if (!FLAG_OPTIONS.has(name)) return false;
  }
  return getHeapStatistics().heap_size_limit >= LARGE_HEAP_BYTES;
}

type RunCommand = (command: string, args: readonly string[], site: Heartbeat) => Promise<number>;

/** Runs the command here; past MAIN_THREAD_MS of exploration, hands it to the watched worker (limitMs: the watchdog's limit there). */
export async function runMainThreadFirst(command: string, args: readonly string[], limitMs: number, runCommand: RunCommand): Promise<number> {
  const beat = new Int32Array(HEARTBEAT_SLOTS);
  let deadline: number | undefined;
  let soFar: readonly string[] = [];
  const site = new Heartbeat(
    beat,
    (work) => {
      deadline ??= performance.now() + MAIN_THREAD_MS;
      try {
        return runWithin(deadline - performance.now(), work);
      } catch (e) {
        if (isHandOver(e)) leaveStoppedThreadCode();
        throw e;
      }
    },
    (lines) => (soFar = lines),
  );
  const held = new HeldOutput();
  let signalled: StopSignal | undefined;
  const listening = listen(async (signal) => {
    if (signalled === undefined) {
      // Polled by the command as the worker polls it.
      signalled = signal;
      Atomics.store(beat, STOP_SLOT, STOP_SIGNALS[signal]);
      return;
    }
    held.discard();
    (await import("./watchdog.ts")).stopWithoutSummary(signal, soFar, args);
    process.exit(128 + STOP_SIGNALS[signal]);
  });
  /** The command again from the start, in the watched worker; what it printed here is dropped. */
  const handOver = async (): Promise<number> => {
    held.discard();
    // A signal already sent has its handler run before the worker's are in place; the worker module loads meanwhile.
    const [{ runWatched }] = await Promise.all([import("./watchdog.ts"), new Promise((resolve) => setImmediate(resolve))]);
    listening.off();
    return runWatched(command, args, limitMs, signalled);
  };
  let code: number;
  try {
    code = await runCommand(command, args, site);
  } catch (e) {
    if (isHandOver(e)) return handOver();
    listening.off();
    held.release();
    throw e;
  }
  if (held.mentions(STACK_OVERFLOW)) return handOver();
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

/** What the command writes to stdout and stderr, kept in order until it is known to be the command's last word. */
class HeldOutput {
  private readonly writes: [NodeJS.WriteStream, unknown[]][] = [];
  private readonly restores: (() => void)[];

  constructor() {
    this.restores = [process.stdout, process.stderr].map((stream) => {
      const own = Object.getOwnPropertyDescriptor(stream, "write");
      stream.write = ((...args: unknown[]) => (this.writes.push([stream, args]), true)) as typeof stream.write;
      return () => {
        if (own === undefined) delete (stream as { write?: unknown }).write;
        else Object.defineProperty(stream, "write", own);
      };
    });
  }

  /** Whether anything held says `text`. */
  mentions(text: string): boolean {
    return this.writes.some(([, [chunk]]) => String(chunk).includes(text));
  }

  /** The streams write for themselves again, the held writes first. */
  release(): void {
    this.restore();
    for (const [stream, args] of this.writes.splice(0)) Reflect.apply(stream.write, stream, args);
  }

  /** The streams write for themselves again; what was held is dropped. */
  discard(): void {
    this.restore();
    this.writes.length = 0;
  }

  private restore(): void {
    for (const restore of this.restores.splice(0)) restore();
  }
}

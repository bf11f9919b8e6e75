// A small check ends in a fraction of a second, and starting the watched
// worker (watchdog.ts) would cost it a good part of that. So `check` runs in
// the main thread first, its explorations bounded to MAIN_THREAD_MS in all.
// A check that ends within that time prints exactly what it would have
// printed from the worker. One that does not moves to the watched worker:
// a run the worker can go on with (the optimal explorer under SC or TSO,
// with no budget over the whole run; handedOverRun.ts) yields between two
// executions and is handed over with what it counted and the subtrees it
// left, which the worker explores (the runs of the file before it are
// explored there again: they ended within the time); any other is stopped
// by V8's watchdog (boundedSlice.ts) wherever it is, a thread that never
// yields included, and run again from the start in the worker. Its output
// is held back until the check has ended, so that nothing of the first
// attempt is ever seen.
//
// Only what the worker is sure to do the same is run here: `check` without
// the options that start exploration workers or write files (with --all, a
// run here is not split: it would be only past the time it has here), and
// with a heap far larger than a fraction of a second can fill (in a small
// heap, only the worker can report that it ran out of memory); and a check
// whose output says it overflowed the stack, smaller here than in the
// worker, runs again there. A signal arriving meanwhile is answered once
// the exploration under way ends or is handed over: as the worker would
// answer it then.

import { getHeapStatistics } from "node:v8";
import { Heartbeat, HEARTBEAT_SLOTS, STOP_SIGNALS, STOP_SLOT, type StopSignal } from "./heartbeat.ts";
import { isHandOver, runWithin, type HandOver } from "./boundedSlice.ts";
import type { HandedOverRun } from "./handedOverRun.ts";
import { leaveStoppedThreadCode } from "../runtime/determinismGuard.ts";

/**
 * How long explorations may run in the main thread before the check moves to
 * the worker. A check handed over starts cold again there: the worker loads
 * pagerace and the model again and compiles the engine's code anew, about
 * 0.1–0.2 s of CPU more than a check run in the worker from the start
 * (CoA(5): 0.66 s against 0.57 s), against the worker's start-up saved by
 * every check that ends sooner (the SB example: 0.11 s against 0.17 s).
 */
const MAIN_THREAD_MS = 100;

/**
 * A run that can be handed over part-way yields at MAIN_THREAD_MS, between
 * two executions; V8's watchdog stops it (to be run again from the start)
 * only if it has not by this much later: thread code that never yields, or
 * one very long step.
 */
const STOP_AFTER_MS = 100;

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
  const handOverAt = () => (deadline ??= performance.now() + MAIN_THREAD_MS);
  const site = new Heartbeat(
    beat,
    (work) => {
      try {
        return runWithin(handOverAt() + STOP_AFTER_MS - performance.now(), work);
      } catch (e) {
        if (isHandOver(e)) leaveStoppedThreadCode();
        throw e;
      }
    },
    (lines) => (soFar = lines),
    { at: handOverAt },
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
  /** The command again in the watched worker, the run handed over going on from where it stands; what it printed here is dropped. */
  const handOver = async (run?: HandedOverRun): Promise<number> => {
    held.discard();
    // A signal already sent has its handler run before the worker's are in place; the worker module loads meanwhile.
    const [{ runWatched }] = await Promise.all([import("./watchdog.ts"), new Promise((resolve) => setImmediate(resolve))]);
    listening.off();
    return runWatched(command, args, limitMs, signalled, run);
  };
  let code: number;
  try {
    code = await runCommand(command, args, site);
  } catch (e) {
    if (isHandOver(e)) return handOver((e as HandOver).run);
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

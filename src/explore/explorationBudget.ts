// How much work one exploration may do (`check --time-limit`,
// `--max-executions`, a caller's deadline, an interrupt from the user), and the pacing that lets a long exploration report
// on itself. Both are checked from inside the work, not between models:
// the recorder asks after each execution, and the thread replayer's site
// (which it updates every time it resumes thread code, in the load-buffering
// pre-check as in exploration) asks in between, so a run spending minutes
// on one phase still stops at its deadline and still shows progress.

import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import { groupDigits } from "../report/groupDigits.ts";

export interface BudgetLimits {
  /** Wall time for the whole run, pre-check included. */
  readonly timeLimitMs?: number;
  /** Explorations that ended (complete, blocked, deadlocked, failed or cut off). */
  readonly maxExecutions?: number;
  /** An absolute `performance.now()` past which the run stops (a caller's own deadline, such as a litmus test's). */
  readonly deadline?: number;
  /**
   * Asked as often as the deadline: a reason (`interrupted by SIGINT`) once
   * someone outside the exploration wants it to stop, with what it found so far.
   */
  readonly interruption?: () => string | undefined;
  /**
   * Stop when less than this much heap is left (bytes; default
   * heapMargin()). Out of heap, V8 aborts the process, often without a
   * chance to print anything; stopping first keeps the counts and the summary.
   */
  readonly heapMargin?: number;
}

/**
 * A tenth of V8's heap limit, and at least 64 MB: the limit includes the
 * young generation (48 MB by default on 64 bits), which the old generation
 * (where a run's data ends up) can never fill, so a small heap (a
 * --max-old-space-size of 100) reaches its end with that much still "available".
 */
export function heapMargin(): number {
  return Math.max(64 * 2 ** 20, getHeapStatistics().heap_size_limit / 10);
}
/** Heap statistics cost a few microseconds: asked for at most this often. */
const HEAP_CHECK_MS = 100;

/**
 * Once `--max-executions` is reached, how long the explorer may go on to
 * show whether anything is left (see `spent`): at least this long...
 */
const PROBE_MIN_MS = 100;
/** ...and at most this long, or twice the mean time per exploration so far when that is between. */
const PROBE_MAX_MS = 2000;

export class ExplorationBudget {
  readonly startedAt = performance.now();
  /** Why the budget ended the run, once it has. */
  exhausted: string | undefined;
  /**
   * `--max-executions N reached`, once the Nth exploration has ended: the
   * run stops at the explorer's next exploration (which is not counted),
   * and is bounded only then; an explorer that has nothing left ends without
   * one, and the run is exhaustive at exactly N. Until the probe's time is
   * up (then `exhausted` says so too).
   */
  private limitReached: { readonly reason: string; readonly at: number; readonly probeMs: number } | undefined;
  private nextHeapCheck = 0;
  private readonly heapMargin: number;

  constructor(private readonly limits: BudgetLimits) {
    this.heapMargin = limits.heapMargin ?? heapMargin();
  }

  get elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  /**
   * After each ended exploration: whether the budget is spent — the run is
   * to stop as soon as the explorer shows there is more to explore (its
   * next exploration, or a poll of `outOfTime` while it builds one); `reason`
   * says why. An explorer that had just finished ends the run complete.
   */
  spent(explorations: number): boolean {
    const max = this.limits.maxExecutions;
    if (max !== undefined && explorations >= max && this.limitReached === undefined) {
      const now = performance.now();
      const probeMs = Math.min(PROBE_MAX_MS, Math.max(PROBE_MIN_MS, (2 * (now - this.startedAt)) / Math.max(1, explorations)));
      this.limitReached = { reason: `--max-executions ${groupDigits(max)} reached`, at: now, probeMs };
    }
    return this.outOfTime() || this.limitReached !== undefined;
  }

  /** Why the budget is spent: `exhausted`, or the execution count reached. */
  get reason(): string | undefined {
    return this.exhausted ?? this.limitReached?.reason;
  }

  /**
   * Whether the run must stop now — interrupted, past its deadline or time
   * limit, its heap nearly full, or past its execution count and done
   * looking for more — and then says why in `exhausted`.
   */
  outOfTime(phase?: string): boolean {
    if (this.exhausted !== undefined) return true;
    const reached = this.limitReached;
    if (reached !== undefined && performance.now() - reached.at >= reached.probeMs) {
      // The explorer is still at work past the count: it had more, and is cut off.
      this.exhausted = reached.reason;
      return true;
    }
    const interrupted = this.limits.interruption?.();
    if (interrupted !== undefined) {
      this.exhausted = interrupted;
      return true;
    }
    if (this.limits.deadline !== undefined && performance.now() >= this.limits.deadline) {
      this.exhausted = `deadline reached${phase === undefined ? "" : ` during ${phase}`}`;
      return true;
    }
    if (this.heapIsFull()) return true;
    const limit = this.limits.timeLimitMs;
    if (limit === undefined || this.elapsedMs < limit) return false;
    this.exhausted = `${timeLimitReached(limit)}${phase === undefined ? "" : ` during ${phase}`}`;
    return true;
  }

  private heapIsFull(): boolean {
    const now = performance.now();
    if (now < this.nextHeapCheck) return false;
    this.nextHeapCheck = now + HEAP_CHECK_MS;
    if (getHeapStatistics().total_available_size >= this.heapMargin) return false;
    // The heap may be full of garbage (the previous run's graphs): only what survives a full collection counts.
    collectGarbage();
    const h = getHeapStatistics();
    if (h.total_available_size >= this.heapMargin) return false;
    const mb = (n: number) => Math.round(n / 2 ** 20);
    this.exhausted = `out of memory: the heap holds ${mb(h.used_heap_size)} MB of its ${mb(h.heap_size_limit)} MB limit`;
    return true;
  }
}

let gc: (() => void) | undefined;

/** A full collection, on the rare occasion the heap looks full (`gc` is exposed only to a context made after the flag is set). */
function collectGarbage(): void {
  if (gc === undefined) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}

/**
 * A site (see RunningSite) that can also carry a request to stop from
 * outside the exploration: the command line's heartbeat, set by the main
 * thread on SIGINT or SIGTERM.
 */
export interface InterruptibleSite extends RunningSite {
  interruption(): string | undefined;
}

export function interruptionOf(site: RunningSite | undefined): (() => string | undefined) | undefined {
  const s = site as Partial<InterruptibleSite> | undefined;
  return typeof s?.interruption === "function" ? () => s.interruption!() : undefined;
}

/** Thrown out of a phase that has no way to stop early by itself (the load-buffering pre-check). */
export class BudgetExhausted extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "BudgetExhausted";
  }
}

/** Why a run that ran out of `--time-limit` stopped, as every way of exploring it says. */
export function timeLimitReached(limitMs: number): string {
  const s = limitMs / 1000;
  return `--time-limit ${Number.isInteger(s) ? s : s.toFixed(1)} s reached`;
}

/**
 * The replayer's site, passed through to the watchdog's (if any), calling
 * `tick` every so many thread resumptions: often enough for a deadline to
 * be met within a fraction of a second, rarely enough to cost nothing.
 */
export class PacedSite implements RunningSite {
  private count = 0;
  private currentTid = 0;
  private currentEvents = 0;

  constructor(
    private readonly inner: RunningSite | undefined,
    private readonly tick: () => void,
    private readonly every = 256,
  ) {}

  get tid(): number {
    return this.currentTid;
  }

  set tid(t: number) {
    this.currentTid = t;
    if (this.inner !== undefined) this.inner.tid = t;
    if (++this.count % this.every === 0) this.tick();
  }

  get events(): number {
    return this.currentEvents;
  }

  set events(n: number) {
    this.currentEvents = n;
    if (this.inner !== undefined) this.inner.events = n;
  }

  busy(): void {
    this.inner?.busy?.();
    if (++this.count % this.every === 0) this.tick();
  }
}

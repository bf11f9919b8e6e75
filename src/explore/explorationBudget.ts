// How much work one exploration may do (`check --time-limit`,
// `--max-executions`, a caller's deadline, an interrupt from the user), and the pacing that lets a long exploration report
// on itself. Both are checked from inside the work, not between models:
// the recorder asks after each execution, and the thread replayer's site
// (which it updates every time it resumes thread code, in the load-buffering
// pre-check as in exploration) asks in between, so a run spending minutes
// on one phase still stops at its deadline and still shows progress.

import type { RunningSite } from "../runtime/threadReplayer.ts";

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
}

export class ExplorationBudget {
  readonly startedAt = performance.now();
  /** Why the budget ended the run, once it has. */
  exhausted: string | undefined;

  constructor(private readonly limits: BudgetLimits) {}

  get elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  get limited(): boolean {
    const l = this.limits;
    return l.timeLimitMs !== undefined || l.maxExecutions !== undefined || l.deadline !== undefined || l.interruption !== undefined;
  }

  /** After each ended exploration: whether the run must stop now (and why, in `exhausted`). */
  spent(explorations: number): boolean {
    const max = this.limits.maxExecutions;
    if (max !== undefined && explorations >= max) this.exhausted ??= `--max-executions ${max.toLocaleString("en-US")} reached`;
    return this.exhausted !== undefined || this.outOfTime();
  }

  /** Whether the time limit has passed (and then says so in `exhausted`). */
  outOfTime(phase?: string): boolean {
    if (this.exhausted !== undefined) return true;
    const interrupted = this.limits.interruption?.();
    if (interrupted !== undefined) {
      this.exhausted = interrupted;
      return true;
    }
    if (this.limits.deadline !== undefined && performance.now() >= this.limits.deadline) {
      this.exhausted = `deadline reached${phase === undefined ? "" : ` during ${phase}`}`;
      return true;
    }
    const limit = this.limits.timeLimitMs;
    if (limit === undefined || this.elapsedMs < limit) return false;
    this.exhausted = `--time-limit ${formatSeconds(limit)} reached${phase === undefined ? "" : ` during ${phase}`}`;
    return true;
  }
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

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
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

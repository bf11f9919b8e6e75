// Where explorers deliver each execution they reach: counts by status,
// duplicate detection, kept violations, the caller's callback, progress, and
// the decision to stop early.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { ExecutionStatus, Outcome } from "../checks/outcome.ts";
import { graphHash } from "./graphHash.ts";
import { DuplicateCounter } from "./duplicateCounter.ts";
import type { ExplorationBudget } from "./explorationBudget.ts";

export interface Progress {
  /** What the run is doing when it is not yet exploring (the load-buffering pre-check). */
  readonly phase?: string;
  readonly executions: number;
  readonly blocked: number;
  /** Everything counted so far: executions, blocked ones, deadlocks, failures (where the reporter knows it). */
  readonly explored?: number;
  /** The run's estimated explorations in all (stateSpaceEstimate.ts), once a long run has one. */
  readonly expected?: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
}

export interface RecordedViolation {
  readonly graph: ExecutionGraph;
  readonly outcome: Outcome;
  /** The explorer's choices leading to it, where the explorer can replay them. */
  readonly path?: readonly number[];
}

/** The first complete execution the memory model flags as having a data race, and how many do. */
export interface RecordedDataRaces {
  executions: number;
  first?: { readonly graph: ExecutionGraph; readonly outcome: Outcome; readonly path?: readonly number[] };
}

export interface RecorderOptions {
  readonly stopOnViolation: boolean;
  /** Violating executions kept with their graphs; the rest are only counted (memory must not grow with the run). */
  readonly keepViolations: number;
  readonly countDuplicates: boolean;
  /** Hashes kept for exact duplicate counting before it turns to sampling (see duplicateCounter.ts). */
  readonly duplicateCapacity?: number;
  readonly onExecution?: (g: ExecutionGraph, o: Outcome) => void;
  readonly onProgress?: (p: Progress) => void;
  readonly progressEveryMs: number;
  /** Ends the run (`stopped`, with the reason in `bounded`) when spent. */
  readonly budget?: ExplorationBudget;
  /**
   * Looks for data races in each complete execution; with `stop`, a race
   * ends the run as a violation would.
   */
  readonly dataRaces?: { readonly raced: (g: ExecutionGraph) => boolean; readonly stop: boolean };
}

export class ExecutionRecorder {
  readonly counts: Record<ExecutionStatus, number> = { complete: 0, blocked: 0, deadlock: 0, error: 0, bound: 0 };
  readonly violations: RecordedViolation[] = [];
  violationCount = 0;
  /** For each `exists` check of the model: in how many complete executions it held. */
  readonly existsCounts: number[];
  stopped = false;
  /** Why the run was stopped before it was done: its budget ran out, it was interrupted, or it ran out of memory. */
  bounded: string | undefined;
  /** Set when data races are looked for. */
  readonly dataRaces: RecordedDataRaces | undefined;
  readonly startedAt = performance.now();
  private readonly duplicateCounter: DuplicateCounter;
  private lastProgress = this.startedAt;
  /** Set when the budget ran out as an exploration ended (see stopsNow). */
  private budgetSpent = false;

  constructor(
    readonly model: Model,
    readonly options: RecorderOptions,
  ) {
    this.existsCounts = model.checks.filter((c) => c.kind === "exists").map(() => 0);
    this.dataRaces = options.dataRaces === undefined ? undefined : { executions: 0 };
    this.duplicateCounter = new DuplicateCounter(options.duplicateCapacity);
  }

  /** Duplicates found; a lower bound once `duplicateSampling` is above 1. */
  get duplicates(): number {
    return this.duplicateCounter.duplicates;
  }

  /** 1: every execution was checked for being a duplicate; n: one in n was. */
  get duplicateSampling(): number {
    return this.duplicateCounter.sampling;
  }

  get total(): number {
    const c = this.counts;
    return c.complete + c.blocked + c.deadlock + c.error + c.bound;
  }

  /** Counts an execution; the explorer has asked `stopsNow` first (recordExecution). */
  record(g: ExecutionGraph, outcome: Outcome, path?: readonly number[]): void {
    if (this.options.countDuplicates) this.duplicateCounter.add(graphHash(g));
    this.counts[outcome.status]++;
    outcome.exists.forEach((holds, i) => {
      if (holds) this.existsCounts[i]!++;
    });
    this.options.onExecution?.(g, outcome);
    if (outcome.violation !== undefined) {
      this.violationCount++;
      if (this.violations.length < this.options.keepViolations) this.violations.push({ graph: g.clone(), outcome, path: path?.slice() });
      if (this.options.stopOnViolation) this.stopped = true;
    }
    if (this.dataRaces !== undefined && outcome.status === "complete" && this.options.dataRaces!.raced(g)) {
      this.dataRaces.executions++;
      this.dataRaces.first ??= { graph: g.clone(), outcome, path: path?.slice() };
      if (this.options.dataRaces!.stop && this.options.stopOnViolation) this.stopped = true;
    }
    this.afterExploration();
  }

  /** An exploration abandoned before completion because it could only end blocked. */
  pruned(): void {
    this.counts.blocked++;
    this.afterExploration();
  }

  /**
   * Ends the run early because its budget is spent (by the time it was
   * polled, or after the last exploration counted: see `stopsNow`).
   */
  stopForBudget(): void {
    const reason = this.options.budget?.reason;
    if (reason === undefined) return;
    this.bounded ??= reason;
    this.stopped = true;
  }

  /**
   * The budget ran out as the last exploration ended: the explorer has
   * reached another, so the run did leave something out. It stops here,
   * without counting this one, and is bounded. (An explorer that reaches
   * none ends the run as it would have anyway: complete, not bounded.)
   * Asked before the explorer judges an execution it reached
   * (recordExecution), so that the model's checks see only what is counted.
   */
  stopsNow(): boolean {
    if (!this.budgetSpent) return false;
    this.stopForBudget();
    return true;
  }

  /** Ends the run early because it ran out of memory or stack; `bounded` says which. */
  stopForResources(reason: string): void {
    this.bounded ??= reason;
    this.stopped = true;
  }

  /**
   * Progress and the budget, checked after every exploration: a slow one
   * (seconds each) must not wait for a round number. A spent budget stops
   * the run at the next exploration, or at the explorer's next poll of the
   * budget while it builds one (explore.ts), so a run whose last
   * exploration uses up its budget is not called bounded.
   */
  private afterExploration(): void {
    if (this.options.budget?.spent(this.total)) this.budgetSpent = true;
    if (this.options.onProgress !== undefined) {
      const now = performance.now();
      if (now - this.lastProgress >= this.options.progressEveryMs) {
        this.lastProgress = now;
        this.options.onProgress(this.progress());
      }
    }
  }

  progress(): Progress {
    const now = performance.now();
    // Elapsed from the start of the run (pre-check included); the rate over exploration alone.
    const elapsedMs = now - (this.options.budget?.startedAt ?? this.startedAt);
    const exploringMs = now - this.startedAt;
    const executions = this.counts.complete;
    return { executions, blocked: this.counts.blocked, explored: this.total, elapsedMs, perSecond: exploringMs > 0 ? (this.total * 1000) / exploringMs : 0 };
  }
}

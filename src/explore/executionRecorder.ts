// Where explorers deliver each execution they reach: counts by status,
// duplicate detection, kept violations, the caller's callback, progress, and
// the decision to stop early.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { ExecutionStatus, Outcome } from "../checks/outcome.ts";
import { graphHash } from "./graphHash.ts";

export interface Progress {
  readonly executions: number;
  readonly blocked: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
}

export interface RecordedViolation {
  readonly graph: ExecutionGraph;
  readonly outcome: Outcome;
  /** The explorer's choices leading to it, where the explorer can replay them. */
  readonly path?: readonly number[];
}

export interface RecorderOptions {
  readonly stopOnViolation: boolean;
  readonly keepViolations: number;
  readonly countDuplicates: boolean;
  readonly onExecution?: (g: ExecutionGraph, o: Outcome) => void;
  readonly onProgress?: (p: Progress) => void;
  readonly progressEveryMs: number;
}

export class ExecutionRecorder {
  readonly counts: Record<ExecutionStatus, number> = { complete: 0, blocked: 0, deadlock: 0, error: 0, bound: 0 };
  duplicates = 0;
  readonly violations: RecordedViolation[] = [];
  violationCount = 0;
  /** For each `exists` check of the model: in how many complete executions it held. */
  readonly existsCounts: number[];
  stopped = false;
  readonly startedAt = performance.now();
  private readonly seen = new Set<number>();
  private lastProgress = this.startedAt;

  constructor(
    readonly model: Model,
    readonly options: RecorderOptions,
  ) {
    this.existsCounts = model.checks.filter((c) => c.kind === "exists").map(() => 0);
  }

  get total(): number {
    const c = this.counts;
    return c.complete + c.blocked + c.deadlock + c.error + c.bound;
  }

  record(g: ExecutionGraph, outcome: Outcome, path?: readonly number[]): void {
    if (this.options.countDuplicates) {
      const h = graphHash(g);
      if (this.seen.has(h)) this.duplicates++;
      else this.seen.add(h);
    }
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
    if (this.options.onProgress !== undefined && (this.total & 255) === 0) {
      const now = performance.now();
      if (now - this.lastProgress >= this.options.progressEveryMs) {
        this.lastProgress = now;
        this.options.onProgress(this.progress());
      }
    }
  }

  /** An exploration abandoned before completion because it could only end blocked. */
  pruned(): void {
    this.counts.blocked++;
  }

  progress(): Progress {
    const elapsedMs = performance.now() - this.startedAt;
    const executions = this.counts.complete;
    return { executions, blocked: this.counts.blocked, elapsedMs, perSecond: elapsedMs > 0 ? (this.total * 1000) / elapsedMs : 0 };
  }
}

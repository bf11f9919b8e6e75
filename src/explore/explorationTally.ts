// What part of an exploration counted, in a form that crosses threads,
// files and machines (plain JSON), and adds up: several subtrees' tallies
// sum to the tally of their union. Violations are kept as paths only
// (their graphs are rebuilt by replaying them), the first ones in
// depth-first order, which are the ones a single run would keep.

import type { ExecutionStatus } from "../checks/outcome.ts";
import type { ExecutionRecorder, Progress } from "./executionRecorder.ts";
import type { ExplorationResult } from "./explore.ts";
import { comparePaths } from "./subtree.ts";

export interface Tally {
  readonly counts: Readonly<Record<ExecutionStatus, number>>;
  readonly existsCounts: readonly number[];
  readonly violationCount: number;
  /** The paths of the first kept violations, in depth-first order. */
  readonly violationPaths: readonly (readonly number[])[];
  /** Null when data races are not looked for. */
  readonly dataRaces: { readonly executions: number; readonly firstPath: readonly number[] | null } | null;
  readonly duplicates: number;
  readonly duplicateSampling: number;
}

export function emptyTally(existsChecks: number, dataRaces: boolean): Tally {
  return {
    counts: { complete: 0, blocked: 0, deadlock: 0, error: 0, bound: 0 },
    existsCounts: new Array<number>(existsChecks).fill(0),
    violationCount: 0,
    violationPaths: [],
    dataRaces: dataRaces ? { executions: 0, firstPath: null } : null,
    duplicates: 0,
    duplicateSampling: 1,
  };
}

/** What a recorder counted so far (a run part-way through its subtree). */
export function tallyOfRecorder(r: ExecutionRecorder): Tally {
  return { counts: { ...r.counts }, ...pathsAndTotals(r) };
}

export function tallyOfResult(r: ExplorationResult): Tally {
  return { counts: { complete: r.executions, blocked: r.blocked, deadlock: r.deadlocks, error: r.assertionFailures, bound: r.boundHits }, ...pathsAndTotals(r) };
}

/** What a recorder and a result hold alike: the tally but its counts, violations and the first race as paths. */
function pathsAndTotals(r: ExecutionRecorder | ExplorationResult): Omit<Tally, "counts"> {
  return {
    existsCounts: [...r.existsCounts],
    violationCount: r.violationCount,
    violationPaths: r.violations.flatMap((v) => (v.path === undefined ? [] : [v.path.slice()])),
    dataRaces: r.dataRaces === undefined ? null : { executions: r.dataRaces.executions, firstPath: r.dataRaces.first?.path?.slice() ?? null },
    duplicates: r.duplicates,
    duplicateSampling: r.duplicateSampling,
  };
}

/** The tally of two disjoint parts, keeping the first `keep` violations of both. */
export function addTallies(a: Tally, b: Tally, keep: number): Tally {
  const firstRace = [a.dataRaces?.firstPath, b.dataRaces?.firstPath].filter((p): p is readonly number[] => p != null).sort(comparePaths)[0] ?? null;
  return {
    counts: {
      complete: a.counts.complete + b.counts.complete,
      blocked: a.counts.blocked + b.counts.blocked,
      deadlock: a.counts.deadlock + b.counts.deadlock,
      error: a.counts.error + b.counts.error,
      bound: a.counts.bound + b.counts.bound,
    },
    existsCounts: a.existsCounts.map((n, i) => n + (b.existsCounts[i] ?? 0)),
    violationCount: a.violationCount + b.violationCount,
    violationPaths: [...a.violationPaths, ...b.violationPaths].sort(comparePaths).slice(0, keep),
    dataRaces: a.dataRaces === null && b.dataRaces === null ? null : { executions: (a.dataRaces?.executions ?? 0) + (b.dataRaces?.executions ?? 0), firstPath: firstRace },
    duplicates: a.duplicates + b.duplicates,
    duplicateSampling: Math.max(a.duplicateSampling, b.duplicateSampling),
  };
}

/** Explorations counted: every status, as the recorder's `total`. */
export function explorationsOf(t: Tally): number {
  const c = t.counts;
  return c.complete + c.blocked + c.deadlock + c.error + c.bound;
}

/** A run's progress as what it has counted so far (`t`) after `elapsedMs`. */
export function progressOfTally(t: Tally, elapsedMs: number): Progress {
  const explored = explorationsOf(t);
  return { executions: t.counts.complete, blocked: t.counts.blocked, explored, elapsedMs, perSecond: elapsedMs > 0 ? (explored * 1000) / elapsedMs : 0 };
}

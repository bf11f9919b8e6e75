// What a run found — verified, a violation, or not verified (a budget or an
// undecidable pre-check left executions out) — and how that compares with
// what the model declared for it.

import { groupDigits } from "./groupDigits.ts";
import type { Expectation } from "../program/model.ts";
import type { ExplorationResult } from "../explore/explore.ts";
import { outOfExecutions } from "./executionCount.ts";

/** `model error`: the model itself is wrong (a thread threw, is not deterministic, dropped an operation); nothing was decided. */
export type Found = "verified" | "violation" | "not verified" | "model error";

/** OK: as declared. MISMATCH: the opposite. INCOMPLETE: no violation, but not every execution was explored, so no verdict either way. ERROR: the model could not be run. */
export type Judgement = "OK" | "MISMATCH" | "INCOMPLETE" | "ERROR";

export interface Verdict {
  readonly found: Found;
  /** One line: `verified: all 3 executions explored, no violation` (`the only execution`, `all 3 classes of executions` under symmetry reduction), `VIOLATION: ...`, `NOT VERIFIED (bounded: ...)`. */
  readonly text: string;
  /** For tables: `verified`, `violation (deadlock)`, `data race`, `NOT VERIFIED (bounded: ...)`. */
  readonly short: string;
  /** The violation's kind (`invariant`, `assertion`, `deadlock`, `bound`, or `data-race`). */
  readonly violationKind?: string;
}

const n = groupDigits;

/**
 * A violation counts whether or not the run was complete (one
 * counterexample decides it). Without one, the run verifies only when every
 * execution was explored. A data race is a violation only when the model or
 * the command line says races are.
 */
export function verdictOf(r: ExplorationResult, racesAreViolations = false): Verdict {
  const first = r.violations[0]?.outcome.violation;
  if (first !== undefined)
    return { found: "violation", text: `VIOLATION: ${first.message.split("\n")[0]}`, short: `violation (${first.kind})`, violationKind: first.kind };
  const races = r.dataRaces?.executions ?? 0;
  const explored = outOfExecutions(r);
  if (racesAreViolations && races > 0)
    return { found: "violation", text: `VIOLATION: data race (in ${n(races)} of ${explored})`, short: "violation (data race)", violationKind: "data-race" };
  if (r.bounded !== undefined) {
    const why = `bounded: ${r.bounded}`;
    return { found: "not verified", text: `NOT VERIFIED (${why}): no violation in ${explored}`, short: `NOT VERIFIED (${why})` };
  }
  if (r.incomplete !== undefined) return { found: "not verified", text: `NOT VERIFIED: no violation in ${explored}, but ${r.incomplete}`, short: "NOT VERIFIED (incomplete)" };
  if (!r.exhaustive) return { found: "not verified", text: `NOT VERIFIED: stopped after ${explored}`, short: "NOT VERIFIED (stopped)" };
  const all = r.executions === 1 ? `the only ${explored.replace(/^1 /, "")}` : `all ${explored}`;
  return { found: "verified", text: `verified: ${all} explored, no violation`, short: "verified" };
}

export function judge(found: Found, expect: Expectation | undefined): Judgement | undefined {
  if (expect === undefined) return undefined;
  if (found === "not verified") return "INCOMPLETE";
  if (found === "model error") return "ERROR";
  return found === expect ? "OK" : "MISMATCH";
}

/**
 * The line that closes a summary cut short by the user: which signal, how
 * many runs finished (the last one's counts, if it was under way, are partial).
 */
export function renderInterrupted(reason: string, finished: number, planned: number, what = "runs", underWay = true): string {
  const partial = underWay ? "; the counts of the one under way when it came are partial" : "";
  return `${reason.replace(/^interrupted/, "INTERRUPTED")}: ${finished} of ${planned} ${what} shown${partial}`;
}

// A count of executions in words, as the reports print it: singular for
// one, and, when symmetry reduction was on, of classes of executions (each
// class the executions equal up to exchanging identical threads), since
// that is then what every count of the run counts.

import { groupDigits } from "./groupDigits.ts";
import type { ExplorationResult } from "../explore/explore.ts";

/** Whether a run's counts are of classes of executions rather than of executions. */
export function countsClasses(r: Pick<ExplorationResult, "symmetry">): boolean {
  return r.symmetry?.reduced === true;
}

/**
 * `1 execution`, `3 executions`, `1 violating execution`; with `classes`,
 * `1 class of executions`, `3 classes of violating executions`.
 */
export function executionCount(count: number, classes: boolean, kind = ""): string {
  const adjective = kind === "" ? "" : `${kind} `;
  if (classes) return `${groupDigits(count)} ${count === 1 ? "class" : "classes"} of ${adjective}executions`;
  return `${groupDigits(count)} ${adjective}${count === 1 ? "execution" : "executions"}`;
}

/** What a run's counts are out of: its executions, "explored before the run stopped" when it did not explore them all (at its first violation, a bound, or an interruption). */
export function outOfExecutions(r: Pick<ExplorationResult, "symmetry" | "executions" | "exhaustive">): string {
  return `${executionCount(r.executions, countsClasses(r))}${r.exhaustive ? "" : " explored before the run stopped"}`;
}

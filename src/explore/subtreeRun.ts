// One worker's exploration of one subtree: the optimal explorer confined by
// a SubtreeCursor, summarised as a tally and what was left unexplored.

import type { Model } from "../program/model.ts";
import { memoryModelNamed } from "../models/registry.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import { explore, type ExplorationResult, type ExploreOptions } from "./explore.ts";
import { tallyOfResult, type Tally } from "./explorationTally.ts";
import type { Frontier } from "./parallelExplore.ts";
import { SubtreeCursor, type CursorHooks } from "./subtreeCursor.ts";
import type { Subtree } from "./subtree.ts";

/** The options every part of one exploration shares (plain data: they travel to threads and machines). */
export interface SubtreeRunOptions {
  readonly memoryModel: string;
  readonly maxEventsPerThread?: number;
  readonly stopOnViolation: boolean;
  readonly keepViolations: number;
  readonly pruneStaleAwaits?: boolean;
  /** Symmetry reduction where the model declares identical threads (default true). */
  readonly symmetry?: boolean;
  readonly dataRaces?: "warning" | "violation";
}

export interface SubtreeOutcome {
  readonly tally: Tally;
  /** What a yield left unexplored (empty when the subtree was done, or abandoned). */
  readonly left: readonly Subtree[];
  readonly halted: "yielded" | "abandoned" | null;
  /** The run stopped at a violation (or a data race that counts as one) and asks the others to stop. */
  readonly stoppedAtViolation: boolean;
  /** The heap ran out: the tally is partial, and nothing says what is left. */
  readonly bounded: string | null;
}

/** The options of explore() that every part of one exploration shares. */
export function partOptions(o: SubtreeRunOptions): ExploreOptions {
  return {
    memoryModel: memoryModelNamed(o.memoryModel),
    strategy: "optimal",
    maxEventsPerThread: o.maxEventsPerThread,
    stopOnViolation: o.stopOnViolation,
    keepViolations: o.keepViolations,
    pruneStaleAwaits: o.pruneStaleAwaits,
    symmetry: o.symmetry,
    dataRaces: o.dataRaces,
  };
}

/** Explores a subtree, or a chain of them (chainAt). */
export function exploreSubtree(model: Model, subtrees: Subtree | readonly Subtree[], o: SubtreeRunOptions, control: Int32Array, hooks: CursorHooks, site?: RunningSite): SubtreeOutcome {
  const cursor = new SubtreeCursor(subtrees, control, hooks);
  const r = explore(model, { ...partOptions(o), progressEveryMs: Infinity, choiceGate: cursor, site });
  return { tally: tallyOfResult(r), left: cursor.left, halted: cursor.halted ?? null, stoppedAtViolation: stoppedAtViolation(r, o), bounded: r.bounded ?? null };
}

/** A part of a run that stops at its first violation found one (or a data race that counts as one): the whole run stops there. */
export function stoppedAtViolation(r: ExplorationResult, o: Pick<SubtreeRunOptions, "stopOnViolation" | "dataRaces">): boolean {
  return o.stopOnViolation && (r.violationCount > 0 || (o.dataRaces === "violation" && (r.dataRaces?.executions ?? 0) > 0));
}

/**
 * Where run `r`, confined by `cursor`, stands: undefined when it ended (it
 * was not asked to yield, or it stopped at a violation or a bound first).
 */
export function frontierOf(r: ExplorationResult, cursor: SubtreeCursor, o: Pick<SubtreeRunOptions, "stopOnViolation" | "dataRaces">): Frontier | undefined {
  if (cursor.halted !== "yielded" || r.bounded !== undefined || stoppedAtViolation(r, o)) return undefined;
  return { decided: decidedOf(r), tally: tallyOfResult(r), open: cursor.left };
}

/** What a run's first part decided for the whole run, as a frontier carries it. */
export function decidedOf(r: ExplorationResult): Frontier["decided"] {
  return { strategy: r.strategy, incomplete: r.incomplete ?? null, preCheckMs: r.preCheckMs };
}

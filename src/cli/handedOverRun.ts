// A check's run that the main thread (mainThreadFirst.ts) hands to the
// watched worker part-way, instead of the worker starting it again: which
// run it is, and where it stands (what it counted and the subtrees it left,
// parallelExplore.ts's Frontier). The worker explores what is left
// (exploreFrontier) and prints the result a single run prints.

import type { Frontier } from "../explore/parallelExplore.ts";
import { memoryModelNamed } from "../models/registry.ts";

export interface HandedOverRun {
  /** The model's place among those the command loaded, and the memory model of its run. */
  readonly index: number;
  readonly memoryModel: string;
  readonly frontier: Frontier;
  /** How long the main thread explored it. */
  readonly elapsedMs: number;
}

/**
 * Whether a run can be handed over part-way: explored by the optimal
 * explorer under a model without load buffering (whose subtrees are
 * independent), with no budget counted over the whole run (a time limit, a
 * number of executions), which the worker could not continue.
 */
export function mayHandOver(memoryModel: string, o: { readonly strategy?: string; readonly timeLimitMs?: number; readonly maxExecutions?: number }): boolean {
  return (o.strategy === undefined || o.strategy === "optimal") && o.timeLimitMs === undefined && o.maxExecutions === undefined && memoryModelNamed(memoryModel).porfAcyclic;
}

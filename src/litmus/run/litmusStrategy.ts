// Which exploration strategy answers a litmus test, and whether its answer
// covers every execution. herd7 enumerates every candidate, so a litmus
// answer must too: under a model that allows load buffering (po ∪ rf
// cycles, LKMM), the optimal explorer and state enumeration, which never
// build such cycles, are complete only for programs that cannot have them.
// By default a test that may have them, or that has too many thread runs
// for the pre-check to tell, goes to candidate enumeration (herd's own
// method, complete whatever the cycles). A strategy the user asked for is
// kept, and its answer marked incomplete when the test may load-buffer.

import type { Model } from "../../program/model.ts";
import type { MemoryModel } from "../../models/memoryModel.ts";
import { DEFAULT_MAX_EVENTS, type Strategy } from "../../explore/explore.ts";
import { LOAD_BUFFERING_RUN_BUDGET, loadBufferingOf } from "../../explore/loadBuffering.ts";
import { ThreadReplayer } from "../../runtime/threadReplayer.ts";

export interface LitmusStrategy {
  readonly strategy: Strategy;
  /** Why the strategy's answer may miss executions. */
  readonly incomplete?: string;
}

export function litmusStrategy(
  model: Model,
  memoryModel: MemoryModel,
  requested?: Strategy,
  maxEventsPerThread?: number,
  /** Thread runs the load-buffering pre-check may enumerate. */
  runBudget = LOAD_BUFFERING_RUN_BUDGET,
): LitmusStrategy {
  if (memoryModel.porfAcyclic || requested === "candidates") return { strategy: requested ?? "optimal" };
  const loadBuffering = loadBufferingOf(model, new ThreadReplayer(model, maxEventsPerThread ?? DEFAULT_MAX_EVENTS, undefined, memoryModel.name), runBudget);
  if (requested === undefined) return { strategy: loadBuffering === "no" ? "optimal" : "candidates" };
  if (loadBuffering === "no") return { strategy: requested };
  const may = loadBuffering === "may" ? "may have" : "has too many thread runs to rule out";
  return {
    strategy: requested,
    incomplete: `strategy ${requested} does not build executions with load buffering (po ∪ rf cycles), which ${memoryModel.name} allows and this test ${may}`,
  };
}

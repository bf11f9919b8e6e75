// Reproducing one execution from its replay id.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Outcome } from "../checks/outcome.ts";
import { memoryModelNamed } from "../models/registry.ts";
import { explore, type ExplorationResult, type ExploreOptions } from "./explore.ts";
import { decodeReplayId, modelTag } from "./replayId.ts";
import { failureOutcome, ThreadFailure } from "../runtime/threadFailure.ts";

export interface Replayed {
  readonly graph: ExecutionGraph;
  readonly outcome: Outcome;
  readonly path: readonly number[];
  /** Set when the id leads to a thread that throws (a model error): the graph is the execution up to there. */
  readonly failure?: ThreadFailure;
}

export function replay(model: Model, id: string, options: Pick<ExploreOptions, "maxEventsPerThread" | "site"> = {}): Replayed {
  const { modelTag: tag, memoryModel, path } = decodeReplayId(id);
  if (tag !== modelTag(model)) throw new Error(`replay id ${id} was made for another model than ${model.name}, for an earlier version of it, or by another version of pagerace, whose explorer takes other paths`);
  let found: Replayed | undefined;
  let bounded: string | undefined;
  try {
    ({ bounded } = exploreAlong(model, memoryModel, path, options, (graph, outcome) => {
      found ??= { graph: graph.clone(), outcome, path };
    }));
  } catch (e) {
    // An id check printed for a thread that threw leads back to the throw: that is the execution it names.
    if (!(e instanceof ThreadFailure) || e.graph === undefined) throw e;
    const failed = e as ThreadFailure & { graph: ExecutionGraph };
    return { graph: failed.graph, outcome: failureOutcome(model, failed), path, failure: e };
  }
  // Out of stack, say (the command line's main thread has less than its worker): the path was not followed to its end.
  if (found === undefined && bounded !== undefined) throw new Error(`replay id ${id}: the replay stopped before its execution: ${bounded}`);
  if (found === undefined)
    throw new Error(
      `replay id ${id} leads to no execution of ${model.name}: the model has changed since it was made, the id is damaged, or the check that printed it ran with another --max-events (the replay command it printed carries it)`,
    );
  return found;
}

function exploreAlong(
  model: Model,
  memoryModel: string,
  path: readonly number[],
  options: Pick<ExploreOptions, "maxEventsPerThread" | "site">,
  onExecution: (g: ExecutionGraph, o: Outcome) => void,
): ExplorationResult {
  return explore(model, {
    ...options,
    memoryModel: memoryModelNamed(memoryModel),
    strategy: "optimal",
    guide: path,
    stopOnViolation: false,
    countDuplicates: false,
    onExecution,
  });
}

// Reproducing one execution from its replay id.

import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Outcome } from "../checks/outcome.ts";
import { memoryModelNamed } from "../models/registry.ts";
import { explore, type ExploreOptions } from "./explore.ts";
import { decodeReplayId, modelTag } from "./replayId.ts";

export interface Replayed {
  readonly graph: ExecutionGraph;
  readonly outcome: Outcome;
  readonly path: readonly number[];
}

export function replay(model: Model, id: string, options: Pick<ExploreOptions, "maxEventsPerThread" | "site"> = {}): Replayed {
  const { modelTag: tag, memoryModel, path } = decodeReplayId(id);
  if (tag !== modelTag(model)) throw new Error(`replay id ${id} was made for another model than ${model.name} (or an earlier version of it)`);
  let found: Replayed | undefined;
  explore(model, {
    ...options,
    memoryModel: memoryModelNamed(memoryModel),
    strategy: "optimal",
    guide: path,
    stopOnViolation: false,
    countDuplicates: false,
    onExecution: (graph, outcome) => {
      found ??= { graph: graph.clone(), outcome, path };
    },
  });
  if (found === undefined) throw new Error(`replay id ${id} leads to no execution of ${model.name}: the model has changed since it was made`);
  return found;
}

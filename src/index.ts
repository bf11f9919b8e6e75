// pagerace's public API: declare a model, explore it under a memory model,
// read the result, replay one execution and draw it. The kernel primitives
// and the page-cache model are "pagerace/kernel" and "pagerace/mm".

export {
  model,
  ModelBuilder,
  type Model,
  type FinalState,
  type FinalCheck,
  type Expectation,
  type ExpectationByModel,
  type MemoryModelName,
  type DataRacePolicy,
  type ValueNamer,
  type ThreadOptions,
} from "./program/model.ts";
export { ThreadContext, type Access, type ReadHandle, type RmwOptions } from "./program/threadContext.ts";
export { Loc, type Value, formatValue, sameLoc } from "./program/value.ts";
export type { AccessMode, FenceKind, Operation, Dependencies } from "./program/operation.ts";
export { trackingDependencies, branchOn } from "./program/controlDependency.ts";
export { ModelError } from "./runtime/modelError.ts";

export type { MemoryModel } from "./models/memoryModel.ts";
export { sc, scDeclarative } from "./models/sc.ts";
export { tso } from "./models/tso.ts";
export { lkmm } from "./models/lkmm/index.ts";
export { memoryModels, memoryModelNamed } from "./models/registry.ts";

export { explore, type ExploreOptions, type ExplorationResult, type Strategy } from "./explore/explore.ts";
export type { RecordedViolation } from "./explore/executionRecorder.ts";
export type { Outcome, ViolationKind } from "./checks/outcome.ts";
export { ExecutionGraph } from "./graph/executionGraph.ts";
export { replay, type Replayed } from "./explore/replay.ts";
export { renderColumns, type ColumnDetail } from "./report/columns.ts";

// pagerace's public API: declare a model, explore it, read the result.

export { model, ModelBuilder, type Model, type FinalState, type FinalCheck } from "./program/model.ts";
export { ThreadContext, type Access } from "./program/threadContext.ts";
export { Loc, type Value, formatValue } from "./program/value.ts";
export type { AccessMode, FenceKind, Operation } from "./program/operation.ts";
export { explore, type ExploreOptions, type ExplorationResult, type Strategy } from "./explore/explore.ts";
export { sc, scDeclarative } from "./models/sc.ts";
export type { MemoryModel } from "./models/memoryModel.ts";
export { ExecutionGraph } from "./graph/executionGraph.ts";
export { ModelError } from "./runtime/modelError.ts";
export { trackingDependencies, branchOn } from "./program/controlDependency.ts";

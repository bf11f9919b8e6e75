// Running litmus tests as herd7 does: which executions count, the states,
// the counts and herd's verdict, in-process or in a time-limited worker.
//
//   const load = loadLitmusFile("SB.litmus");
//   if (load.kind === "compiled") renderHerdBlock(runLitmus(load.compiled, { memoryModel: lkmm }));

export { runLitmus, LitmusTimeout, type LitmusRun, type LitmusRunOptions, type UncountedExecutions } from "./runLitmus.ts";
export { herdVerdict, type HerdVerdict, type Observation } from "./herdVerdict.ts";
export { compareHerdStates, compareHerdValues } from "./stateOrder.ts";
export { loadLitmusFile, type LitmusLoad } from "./loadLitmusFile.ts";
export { litmusMemoryModel, LITMUS_MODEL_NAMES } from "./litmusMemoryModels.ts";
export { TimedLitmusRunner, type TimedLitmusResult } from "./timedLitmusRunner.ts";
export { parseHerdInvocation, type HerdInvocation } from "./herdInvocation.ts";

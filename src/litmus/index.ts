// The litmus front end: herd7's C litmus dialect for the Linux-kernel memory
// model, parsed to a typed AST and compiled to a pagerace Model.
//
//   const compiled = compileLitmus(parseLitmus(text, "MP.litmus"));
//   explore(compiled.model) ... compiled.formatState(final)

export { parseLitmus } from "./parser.ts";
export { compileLitmus, type CompiledLitmus } from "./compile.ts";
export { formatCondition, formatHerdValue, formatProp, type ObservedLocation } from "./condition.ts";
export { LitmusError, LitmusRuntimeError, LitmusSyntaxError, LitmusUnsupportedError } from "./errors.ts";
export { LEGACY_PRIMITIVES, PRIMITIVES, findPrimitive, type Primitive } from "./primitives.ts";
export type * from "./ast.ts";

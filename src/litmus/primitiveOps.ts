// The operations a kernel primitive call yields, per linux-kernel.def.
// Arguments are evaluated left to right; then the primitive's operations
// are yielded with their dependencies: addr from the address argument,
// data from the value arguments (an RMW's operand, or cmpxchg's expected
// and new values), ctrl from the frame.

import type { Expr } from "./ast.ts";
import { applyAtomic, requireInt, requireLoc, type RuntimeSite } from "./cArithmetic.ts";
import type { ArgRole, Primitive, PrimitiveEffect } from "./primitives.ts";
import { NO_DEPS, unionDeps, ZERO, type Evaluator, type ThreadFrame, type ThreadGen, type Tracked } from "./threadFrame.ts";
import type { FenceOp, ReadOp, RmwOp, WriteOp } from "../program/operation.ts";
import type { Loc, Value } from "../program/value.ts";

/** What the primitive compiler needs from the expression compiler. */
export interface OperandCompiler {
  /** A value argument. */
  value(e: Expr): Evaluator;
  /** An `lvalue` argument (`*x` in `READ_ONCE(*x)`): evaluates to the address it designates. */
  memory(e: Expr, primitive: string): Evaluator;
}

/** A call's evaluated arguments, by role. */
interface Args {
  readonly loc: Loc;
  /** Reads the address depends on. */
  readonly addr: Tracked["deps"];
  readonly value?: Tracked;
  readonly expected?: Tracked;
  readonly desired?: Tracked;
  readonly unless?: Tracked;
}

export function compilePrimitiveCall(call: Extract<Expr, { kind: "call" }>, primitive: Primitive, fileName: string, operands: OperandCompiler): Evaluator {
  const site: RuntimeSite = { fileName, pos: call.pos };
  const evaluators = primitive.args.map((role, i): [ArgRole, Evaluator] => {
    const arg = call.args[i]!;
    return [role, role === "lvalue" ? operands.memory(arg, primitive.name) : operands.value(arg)];
  });
  const perform = effectOf(primitive.effect, primitive.name);
  return function* (f) {
    let loc: Loc | undefined;
    let addr = NO_DEPS;
    const values: Partial<Record<ArgRole, Tracked>> = {};
    for (const [role, evaluate] of evaluators) {
      const v = yield* evaluate(f);
      if (role === "lvalue" || role === "address") {
        loc = requireLoc(v.value, site, primitive.name);
        addr = v.deps;
      } else values[role] = v;
    }
    return yield* perform(f, { loc: loc!, addr, ...values }, site);
  };
}

type Perform = (f: ThreadFrame, a: Args, site: RuntimeSite) => ThreadGen<Tracked>;

/** The value a call returns: computed from what one operation read, so it depends on that operation. */
function fromOp(value: Value, index: number): Tracked {
  return { value, deps: [index] };
}

function valueDeps(...args: (Tracked | undefined)[]): Tracked["deps"] {
  return args.reduce<Tracked["deps"]>((acc, a) => (a ? unionDeps(acc, a.deps) : acc), NO_DEPS);
}

function effectOf(effect: PrimitiveEffect, name: string): Perform {
  switch (effect.kind) {
    case "load":
      return function* (f, a) {
        const op: ReadOp = { kind: "read", loc: a.loc, mode: effect.mode, name, tags: effect.tags, deps: f.dependencies(a.addr, NO_DEPS) };
        const { index, result } = yield* f.emit(op);
        return fromOp(result ?? 0, index);
      };
    case "store":
      return function* (f, a) {
        const v = a.value!;
        const op: WriteOp = { kind: "write", loc: a.loc, value: v.value, mode: effect.mode, name, tags: effect.tags, deps: f.dependencies(a.addr, v.deps) };
        yield* f.emit(op);
        if (effect.fenceAfter !== undefined) yield* f.emit(fenceOp(f, effect.fenceAfter, name));
        return ZERO;
      };
    case "fence":
      return function* (f) {
        yield* f.emit(fenceOp(f, effect.fence, name));
        return ZERO;
      };
    case "nothing":
      return function* () {
        return ZERO;
      };
    case "syncSrcu":
      return function* (f, a) {
        const op: FenceOp = { kind: "fence", fence: "sync-srcu", loc: a.loc, name, deps: f.dependencies(a.addr, NO_DEPS) };
        yield* f.emit(op);
        return ZERO;
      };
    case "xchg":
      return function* (f, a) {
        const stored = a.value!.value;
        const { index, result } = yield* f.emit(rmw(f, a, effect.mode, name, () => stored, valueDeps(a.value)));
        return fromOp(result ?? 0, index);
      };
    case "cmpxchg":
      return function* (f, a) {
        const expected = a.expected!.value;
        const desired = a.desired!.value;
        const op = rmw(f, a, effect.mode, name, (old) => (old === expected ? desired : undefined), valueDeps(a.expected, a.desired));
        // A failed cmpxchg keeps its annotation on the lone read; LKMM filters it out (FailedRMW).
        const { index, result } = yield* f.emit({ ...op, failMode: effect.mode });
        return fromOp(result ?? 0, index);
      };
    case "atomicUpdate":
      return function* (f, a, site) {
        const operand = requireInt(effect.constant ?? a.value!.value, site, "atomic operand");
        const tags = effect.returns === "nothing" ? ["noreturn"] : undefined;
        const op = rmw(f, a, effect.mode, name, (old) => updateOrKeep(old, (x) => applyAtomic(effect.operator, x, operand, site)), valueDeps(a.value), tags);
        const { index, result } = yield* f.emit(op);
        const old = requireInt(result ?? 0, site, "atomic operation on the old value");
        if (effect.returns === "nothing") return ZERO;
        if (effect.returns === "old") return fromOp(old, index);
        const updated = applyAtomic(effect.operator, old, operand, site);
        if (effect.test === "isZero") return fromOp(updated === 0 ? 1 : 0, index);
        if (effect.test === "isNegative") return fromOp(updated < 0 ? 1 : 0, index);
        return fromOp(updated, index);
      };
    case "addUnless":
      return function* (f, a, site) {
        const addend = requireInt(a.value!.value, site, "atomic operand");
        const unless = a.unless!.value;
        const op = rmw(f, a, effect.mode, name, (old) => (old === unless ? undefined : updateOrKeep(old, (x) => applyAtomic("+", x, addend, site))), valueDeps(a.value, a.unless));
        const { index, result } = yield* f.emit({ ...op, failMode: effect.mode });
        if (result !== unless) requireInt(result ?? 0, site, "atomic operation on the old value");
        return fromOp(result === unless ? 0 : 1, index);
      };
    case "spinLock":
      return function* (f, a) {
        // Waits for the lock to be free, then takes it atomically.
        const op: RmwOp = { ...rmw(f, a, "acquire", name, () => 1, NO_DEPS, ["lock"]), until: (v) => v === 0 };
        yield* f.emit(op);
        return ZERO;
      };
    case "spinUnlock":
      return function* (f, a) {
        const op: WriteOp = { kind: "write", loc: a.loc, value: 0, mode: "release", name, tags: ["unlock"], deps: f.dependencies(a.addr, NO_DEPS) };
        yield* f.emit(op);
        return ZERO;
      };
    case "spinTrylock":
      return function* (f, a) {
        const { index, result } = yield* f.emit(rmw(f, a, "acquire", name, (v) => (v === 0 ? 1 : undefined), NO_DEPS, ["lock"]));
        return fromOp(result === 0 ? 1 : 0, index);
      };
    case "spinIsLocked":
      return function* (f, a) {
        const op: ReadOp = { kind: "read", loc: a.loc, mode: "once", name, tags: ["islocked"], deps: f.dependencies(a.addr, NO_DEPS) };
        const { index, result } = yield* f.emit(op);
        return fromOp(result !== undefined && result !== 0 ? 1 : 0, index);
      };
  }
}

/**
 * An RMW's update runs inside the engine, where a throw is pagerace's
 * failure, not the test's. On a location holding a pointer the update
 * writes the pointer back unchanged, and the thread code then fails the
 * execution with a LitmusRuntimeError when it sees the old value.
 */
function updateOrKeep(old: Value, update: (old: number) => number): Value {
  return typeof old === "number" ? update(old) : old;
}

function rmw(
  f: ThreadFrame,
  a: Args,
  mode: RmwOp["mode"],
  name: string,
  update: RmwOp["update"],
  data: Tracked["deps"],
  tags?: readonly string[],
): RmwOp {
  return { kind: "rmw", loc: a.loc, mode, update, name, tags, deps: f.dependencies(a.addr, data) };
}

function fenceOp(f: ThreadFrame, fence: FenceOp["fence"], name: string): FenceOp {
  return { kind: "fence", fence, name, deps: f.dependencies(NO_DEPS, NO_DEPS) };
}


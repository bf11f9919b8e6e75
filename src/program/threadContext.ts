// The handle a thread receives: each method returns a small generator that
// yields one operation, so thread code reads `const v = yield* t.read(x)`
// and kernel-style helpers compose with `yield*`.

import { asInteger, type Loc, type Value } from "./value.ts";
import type { AccessMode, Dependencies, FenceKind, Operation, RmwOp, Tag } from "./operation.ts";

export type Access<T> = Generator<Operation, T, Value | undefined>;

/** Thrown inside a thread by `t.assert`; the runtime turns it into a violation. */
export class AssertionFailure extends Error {}

export interface RmwOptions {
  readonly name?: string;
  readonly failMode?: AccessMode;
  readonly deps?: Dependencies;
  readonly tags?: readonly Tag[];
}

export class ThreadContext {
  /** The label of the kernel-level step the thread is in; recorded on each event. */
  currentStep: string | undefined;

  private readonly locals = new Map<symbol, unknown>();

  constructor(
    readonly tid: number,
    readonly name: string,
  ) {}

  /** Names the kernel-level step that the following accesses belong to (`t.step("get_block")`). */
  step(label: string): void {
    this.currentStep = label;
  }

  /**
   * Thread-local bookkeeping that layers above keep per thread (the kernel
   * layer's held locks and atomic-context depth). It starts fresh every time
   * the runtime re-runs the thread, so it is a pure function of the values
   * the thread has read, like the thread's own local variables.
   */
  local<T>(key: symbol, init: () => T): T {
    if (!this.locals.has(key)) this.locals.set(key, init());
    return this.locals.get(key) as T;
  }

  /** Fails the execution with `message` when `ok` is false. */
  assert(ok: boolean, message: string): void {
    if (!ok) throw new AssertionFailure(message);
  }

  *readValue(loc: Loc, mode: AccessMode = "plain", deps?: Dependencies, name?: string): Access<Value> {
    return (yield { kind: "read", loc, mode, deps, name }) as Value;
  }

  *read(loc: Loc, mode: AccessMode = "plain"): Access<number> {
    return asInteger(yield* this.readValue(loc, mode), `read of ${loc.name}`);
  }

  *write(loc: Loc, value: Value, mode: AccessMode = "plain", deps?: Dependencies, name?: string): Access<void> {
    yield { kind: "write", loc, value, mode, deps, name };
  }

  /** Blocks until `loc` holds a value satisfying `until`, and returns it (the basis of sleeping and spinning). */
  *await(loc: Loc, until: (v: number) => boolean, mode: AccessMode = "once", name = "await"): Access<number> {
    return asInteger((yield { kind: "read", loc, mode, until: integerPredicate(until), name }) as Value, name);
  }

  /** Generic read-modify-write; `update` returning undefined means the RMW fails and writes nothing. */
  *rmwValue(loc: Loc, update: (old: Value) => Value | undefined, mode: AccessMode, opts: RmwOptions = {}): Access<Value> {
    const op: RmwOp = { kind: "rmw", loc, mode, update, ...opts };
    return (yield op) as Value;
  }

  *rmw(loc: Loc, update: (old: number) => number | undefined, mode: AccessMode, name: string): Access<number> {
    const old = yield* this.rmwValue(loc, integerUpdate(update, name), mode, { name });
    return asInteger(old, name);
  }

  /** Blocks until `until` holds, then applies `update` atomically (spin_lock, lock_page). */
  *awaitRmw(
    loc: Loc,
    until: (v: number) => boolean,
    update: (old: number) => number,
    mode: AccessMode = "acquire",
    name = "await_rmw",
  ): Access<number> {
    const op: RmwOp = { kind: "rmw", loc, mode, update: integerUpdate(update, name), until: integerPredicate(until), name };
    return asInteger((yield op) as Value, name);
  }

  xchg(loc: Loc, value: number, mode: AccessMode = "mb"): Access<number> {
    return this.rmw(loc, () => value, mode, "xchg");
  }

  /** Returns the old value; writes `desired` only when it equals `expected`. A failed cmpxchg is an unordered read. */
  *cmpxchg(loc: Loc, expected: number, desired: number, mode: AccessMode = "mb"): Access<number> {
    const old = yield* this.rmwValue(loc, (v) => (v === expected ? desired : undefined), mode, {
      name: "cmpxchg",
      failMode: "once",
    });
    return asInteger(old, "cmpxchg");
  }

  fetchAdd(loc: Loc, delta: number, mode: AccessMode = "mb"): Access<number> {
    return this.rmw(loc, (v) => v + delta, mode, "fetch_add");
  }

  fetchSub(loc: Loc, delta: number, mode: AccessMode = "mb"): Access<number> {
    return this.rmw(loc, (v) => v - delta, mode, "fetch_sub");
  }

  fetchAnd(loc: Loc, mask: number, mode: AccessMode = "mb"): Access<number> {
    return this.rmw(loc, (v) => v & mask, mode, "fetch_and");
  }

  fetchOr(loc: Loc, mask: number, mode: AccessMode = "mb"): Access<number> {
    return this.rmw(loc, (v) => v | mask, mode, "fetch_or");
  }

  /** A value-less atomic add (atomic_inc / atomic_add): relaxed and `noreturn` under LKMM. */
  *add(loc: Loc, delta: number): Access<void> {
    yield* this.rmwValue(loc, (v) => asInteger(v, "atomic_add") + delta, "relaxed", { name: "atomic_add", tags: ["noreturn"] });
  }

  /** test_and_set_bit: fully ordered, returns whether the bit was set. */
  *testAndSetBit(loc: Loc, bit: number, mode: AccessMode = "mb"): Access<boolean> {
    const old = yield* this.rmw(loc, (v) => v | (1 << bit), mode, "test_and_set_bit");
    return (old & (1 << bit)) !== 0;
  }

  *testAndClearBit(loc: Loc, bit: number, mode: AccessMode = "mb"): Access<boolean> {
    const old = yield* this.rmw(loc, (v) => v & ~(1 << bit), mode, "test_and_clear_bit");
    return (old & (1 << bit)) !== 0;
  }

  /** set_bit: a relaxed, value-less RMW. */
  *setBit(loc: Loc, bit: number): Access<void> {
    yield* this.rmwValue(loc, (v) => asInteger(v, "set_bit") | (1 << bit), "relaxed", { name: "set_bit", tags: ["noreturn"] });
  }

  *clearBit(loc: Loc, bit: number): Access<void> {
    yield* this.rmwValue(loc, (v) => asInteger(v, "clear_bit") & ~(1 << bit), "relaxed", { name: "clear_bit", tags: ["noreturn"] });
  }

  *fence(fence: FenceKind, name?: string): Access<void> {
    yield { kind: "fence", fence, name };
  }
}

// Adapters from integer callbacks to value callbacks. They return anonymous
// functions on purpose: thread code runs on every exploration step.

function integerPredicate(until: (v: number) => boolean): (v: Value) => boolean {
  return (v) => typeof v === "number" && until(v);
}

function integerUpdate(update: (old: number) => number | undefined, name: string): (v: Value) => Value | undefined {
  return (v) => update(asInteger(v, name));
}

// The handle a thread receives: each method returns a small generator that
// yields one operation, so thread code reads `const v = yield* t.read(x)`
// and kernel-style helpers compose with `yield*`.

import { asInteger, canonicalLoc, canonicalValue, derivedLoc, elementName, fieldName, provenance, type Loc, type Value } from "./value.ts";
import type { AccessMode, Dependencies, FenceKind, Operation, RmwOp, Tag } from "./operation.ts";
import { brand, brandedInstanceOf, hasBrand, stampBrand } from "./brand.ts";

export type Access<T> = Generator<Operation, T, Value | undefined>;

const ASSERTION_FAILURE = brand("AssertionFailure");

/** Thrown inside a thread by `t.assert` (and the kernel layer's misuse reports); the runtime turns it into a violation. */
export class AssertionFailure extends Error {
  /** Thrown by another copy of pagerace (a model's own node_modules), it is still an AssertionFailure. */
  static override [Symbol.hasInstance](v: unknown): boolean {
    return brandedInstanceOf(AssertionFailure, this, v, ASSERTION_FAILURE);
  }
}

stampBrand(AssertionFailure, ASSERTION_FAILURE);

export function isAssertionFailure(e: unknown): e is AssertionFailure {
  return hasBrand(e, ASSERTION_FAILURE);
}

export interface RmwOptions {
  readonly name?: string;
  readonly failMode?: AccessMode;
  readonly deps?: Dependencies;
  readonly tags?: readonly Tag[];
}

/**
 * A read's value together with the read, for declaring what depends on it:
 * `t.write(y, r.value, "once", { data: [r.dep] })`, `t.controlDependsOn(r)`.
 */
export interface ReadHandle<T extends Value = Value> {
  readonly value: T;
  /** The read's operation number in its thread, the number `Dependencies` lists. */
  readonly dep: number;
}

/** What the runtime tells a thread about where it runs. */
export interface ThreadEnvironment {
  /** The memory model the execution is explored under (`sc`, `tso`, `lkmm`), when the explorer says. */
  readonly memoryModel?: string;
  /** The model's locations by name. */
  readonly locations?: ReadonlyMap<string, Loc>;
}

/** An operation created but not yet run, as `t.read(x)` without `yield*` leaves it. */
export interface UnstartedOperation {
  readonly method: string;
  readonly loc: Loc | undefined;
  readonly step: string | undefined;
}

export class ThreadContext {
  /** The label of the kernel-level step the thread is in; recorded on each event. */
  currentStep: string | undefined;

  private readonly locals = new Map<symbol, unknown>();
  private exitChecks: (() => void)[] | undefined;
  /**
   * Operations created and not yet started. Correct code starts each one at
   * once with yield*, so the count goes up and down per operation and is 0
   * whenever the thread yields; the runtime reports what is left. Only the
   * oldest is described (the one a leak leaves at the bottom), in fields
   * rather than a stack: this runs on every operation, and a thread
   * context is made on every re-run.
   */
  private unstartedCount = 0;
  private oldestMethod = "";
  private oldestLoc: Loc | undefined;
  private oldestStep: string | undefined;
  /**
   * Operations yielded so far: the runtime numbers a thread's operations in
   * the order it yields them, from 0, and dependencies name them by that
   * number. Kernel helpers may yield operations they build themselves, past
   * the op generators below, so the runtime hands its own count back after
   * every operation (operationsYielded).
   */
  private issued = 0;
  /** Reads every later operation is control-dependent on (controlDependsOn). */
  private ctrl: readonly number[] = [];

  constructor(
    readonly tid: number,
    readonly name: string,
    private readonly env: ThreadEnvironment = {},
  ) {}

  /** The runtime's count of the operations this thread has yielded, however they were built. */
  operationsYielded(count: number): void {
    this.issued = count;
  }

  /** The memory model under exploration, or undefined when the runtime was not told. */
  get memoryModel(): string | undefined {
    return this.env.memoryModel;
  }

  /** The model's location of that name, for layers that keep model-wide state under a known name (the kernel's RCU readers). */
  location(name: string): Loc | undefined {
    return this.env.locations?.get(name);
  }

  /**
   * Registers a check to run when the thread's function returns (lockdep's
   * "lock held when returning to user space"); it reports by throwing, as
   * t.assert does. Registered on this run of the thread only.
   */
  atExit(check: () => void): void {
    (this.exitChecks ??= []).push(check);
  }

  /** Runs the exit checks; called by the runtime when the thread returns. */
  exited(): void {
    if (this.exitChecks !== undefined) for (const check of this.exitChecks) check();
  }

  /** The oldest operation created and never run, if any (the runtime asks each time the thread yields or returns). */
  firstUnstarted(): UnstartedOperation | undefined {
    if (this.unstartedCount === 0) return undefined;
    return { method: this.oldestMethod, loc: this.oldestLoc, step: this.oldestStep };
  }

  private created<G>(method: string, loc: Loc | undefined, gen: G): G {
    if (this.unstartedCount++ === 0) {
      this.oldestMethod = method;
      this.oldestLoc = loc;
      this.oldestStep = this.currentStep;
    }
    return gen;
  }

  /** Operations start in the reverse order of creation, except around a leak, and a leak only needs counting right. */
  private started(): void {
    this.unstartedCount--;
  }

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

  /**
   * Numbers an operation about to be yielded and adds the dependencies the
   * thread did not have to spell out: an address dependency on the reads
   * the accessed reference came from, a data dependency on the reads a
   * stored reference came from, and the control dependencies in force.
   * The operation the engine sees names the model's own location and value.
   */
  private issue<O extends Operation>(op: O, addr: readonly number[], data: readonly number[]): O {
    this.issued++;
    if (addr.length === 0 && data.length === 0 && this.ctrl.length === 0) return op;
    const d = op.deps;
    const deps: Dependencies = {
      ...d,
      ...merged("addr", d?.addr, addr),
      ...merged("data", d?.data, data),
      ...merged("ctrl", d?.ctrl, this.ctrl),
    };
    return { ...op, deps };
  }

  /**
   * A read that may return a location reference, as the model declared it:
   * `===` compares it with the model's locations. Accesses through it carry
   * no dependency on this read; to follow a pointer as the kernel does, read
   * it with readPointer.
   */
  readValue(loc: Loc, mode: AccessMode = "plain", deps?: Dependencies, name?: string): Access<Value> {
    return this.created("readValue", loc, this.readValueOp(loc, mode, deps, name, false));
  }

  /**
   * A pointer load (`p = READ_ONCE(gp)`, `rcu_dereference`): the reference it
   * returns remembers this read, so an access through it is address-dependent
   * on the read and storing it is data-dependent. It is the same location but
   * not the same object: compare it with sameLoc, not `===`.
   */
  readPointer(loc: Loc, mode: AccessMode = "once", deps?: Dependencies, name?: string): Access<Value> {
    return this.created("readPointer", loc, this.readValueOp(loc, mode, deps, name, true));
  }

  private *readValueOp(loc: Loc, mode: AccessMode, deps: Dependencies | undefined, name: string | undefined, follow: boolean): Access<Value> {
    this.started();
    const dep = this.issued;
    const v = (yield this.issue({ kind: "read", loc: canonicalLoc(loc), mode, deps, name }, provenance(loc), [])) as Value;
    return follow ? loaded(v, dep) : canonicalValue(v);
  }

  /**
   * An integer read that also returns itself, for declaring what depends on
   * it by handle rather than by counting operations. (A location reference
   * carries its read by itself: read pointers with readValue.)
   */
  readHandle(loc: Loc, mode: AccessMode = "plain", deps?: Dependencies, name?: string): Access<ReadHandle<number>> {
    return this.created("readHandle", loc, this.readHandleOp(loc, mode, deps, name));
  }

  private *readHandleOp(loc: Loc, mode: AccessMode, deps?: Dependencies, name?: string): Access<ReadHandle<number>> {
    this.started();
    const dep = this.issued;
    const v = (yield this.issue({ kind: "read", loc: canonicalLoc(loc), mode, deps, name }, provenance(loc), [])) as Value;
    return { value: asInteger(v, name ?? `read of ${loc.name}`), dep };
  }

  read(loc: Loc, mode: AccessMode = "plain", deps?: Dependencies, name?: string): Access<number> {
    return this.created("read", loc, this.readOp(loc, mode, deps, name));
  }

  private *readOp(loc: Loc, mode: AccessMode, deps?: Dependencies, name?: string): Access<number> {
    this.started();
    return asInteger(yield* this.readValue(loc, mode, deps, name), `read of ${loc.name}`);
  }

  write(loc: Loc, value: Value, mode: AccessMode = "plain", deps?: Dependencies, name?: string): Access<void> {
    return this.created("write", loc, this.writeOp(loc, value, mode, deps, name));
  }

  private *writeOp(loc: Loc, value: Value, mode: AccessMode, deps?: Dependencies, name?: string): Access<void> {
    this.started();
    yield this.issue({ kind: "write", loc: canonicalLoc(loc), value: canonicalValue(value), mode, deps, name }, provenance(loc), provenance(value));
  }

  /**
   * Every operation after this one is control-dependent on these reads: the
   * thread branched on their values (LKMM's ctrl reaches every event after
   * the branch, so there is no end to it but the thread's).
   */
  controlDependsOn(...reads: (ReadHandle | number | Loc)[]): void {
    // A location reference names the reads it came from: `if (p != NULL)` on a loaded pointer.
    const from = reads.flatMap((r) => (typeof r === "number" ? [r] : isReadHandle(r) ? [r.dep] : provenance(r)));
    const more = from.filter((i, k) => !this.ctrl.includes(i) && from.indexOf(i) === k);
    if (more.length > 0) this.ctrl = [...this.ctrl, ...more];
  }

  /**
   * The field `field` of the struct `p` points into (`&p->field`), for a
   * struct declared with m.struct: a reference read from memory keeps its
   * dependency, as the address of `p->field` is computed from `p`.
   */
  fieldOf(p: Loc, field: string): Loc {
    return this.derive(p, fieldName(p.name, field), `${p.name}->${field}`);
  }

  /** The element `offset` places after `p` in its m.array (`p + offset`), keeping p's dependency. */
  elementOf(p: Loc, offset: number): Loc {
    return this.derive(p, elementName(p.name, offset), `${p.name} + ${offset}`);
  }

  private derive(p: Loc, name: string | undefined, what: string): Loc {
    const target = name === undefined ? undefined : this.location(name);
    // Thrown as a fault of the model: the runtime reports it with the thread and step.
    if (target === undefined) throw new Error(`${what}: no such location in the model`);
    return derivedLoc(target, provenance(p));
  }

  /** Blocks until `loc` holds a value satisfying `until`, and returns it (the basis of sleeping and spinning). */
  await(loc: Loc, until: (v: number) => boolean, mode: AccessMode = "once", name = "await"): Access<number> {
    return this.created("await", loc, this.awaitOp(loc, until, mode, name));
  }

  private *awaitOp(loc: Loc, until: (v: number) => boolean, mode: AccessMode, name: string): Access<number> {
    this.started();
    return asInteger((yield this.issue({ kind: "read", loc: canonicalLoc(loc), mode, until: integerPredicate(until), name }, provenance(loc), [])) as Value, name);
  }

  /** Generic read-modify-write; `update` returning undefined means the RMW fails and writes nothing. */
  rmwValue(loc: Loc, update: (old: Value) => Value | undefined, mode: AccessMode, opts: RmwOptions = {}): Access<Value> {
    return this.created("rmwValue", loc, this.rmwValueOp(loc, update, mode, opts));
  }

  private *rmwValueOp(loc: Loc, update: (old: Value) => Value | undefined, mode: AccessMode, opts: RmwOptions): Access<Value> {
    this.started();
    const op: RmwOp = { kind: "rmw", loc: canonicalLoc(loc), mode, update: canonicalUpdate(update), ...opts };
    return canonicalValue((yield this.issue(op, provenance(loc), [])) as Value);
  }

  rmw(loc: Loc, update: (old: number) => number | undefined, mode: AccessMode, name: string): Access<number> {
    return this.created("rmw", loc, this.rmwOp(loc, update, mode, name));
  }

  private *rmwOp(loc: Loc, update: (old: number) => number | undefined, mode: AccessMode, name: string): Access<number> {
    this.started();
    const old = yield* this.rmwValue(loc, integerUpdate(update, name), mode, { name });
    return asInteger(old, name);
  }

  /** Blocks until `until` holds, then applies `update` atomically (spin_lock, lock_page). */
  awaitRmw(
    loc: Loc,
    until: (v: number) => boolean,
    update: (old: number) => number,
    mode: AccessMode = "acquire",
    name = "await_rmw",
  ): Access<number> {
    return this.created("awaitRmw", loc, this.awaitRmwOp(loc, until, update, mode, name));
  }

  private *awaitRmwOp(loc: Loc, until: (v: number) => boolean, update: (old: number) => number, mode: AccessMode, name: string): Access<number> {
    this.started();
    const op: RmwOp = { kind: "rmw", loc: canonicalLoc(loc), mode, update: integerUpdate(update, name), until: integerPredicate(until), name };
    return asInteger((yield this.issue(op, provenance(loc), [])) as Value, name);
  }

  xchg(loc: Loc, value: number, mode: AccessMode = "mb"): Access<number> {
    return this.rmw(loc, () => value, mode, "xchg");
  }

  /** Returns the old value; writes `desired` only when it equals `expected`. A failed cmpxchg is an unordered read. */
  cmpxchg(loc: Loc, expected: number, desired: number, mode: AccessMode = "mb"): Access<number> {
    return this.created("cmpxchg", loc, this.cmpxchgOp(loc, expected, desired, mode));
  }

  private *cmpxchgOp(loc: Loc, expected: number, desired: number, mode: AccessMode): Access<number> {
    this.started();
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
  add(loc: Loc, delta: number): Access<void> {
    return this.created("add", loc, this.addOp(loc, delta));
  }

  private *addOp(loc: Loc, delta: number): Access<void> {
    this.started();
    yield* this.rmwValue(loc, (v) => asInteger(v, "atomic_add") + delta, "relaxed", { name: "atomic_add", tags: ["noreturn"] });
  }

  /** test_and_set_bit: fully ordered, returns whether the bit was set. */
  testAndSetBit(loc: Loc, bit: number, mode: AccessMode = "mb"): Access<boolean> {
    return this.created("testAndSetBit", loc, this.testAndSetBitOp(loc, bit, mode));
  }

  private *testAndSetBitOp(loc: Loc, bit: number, mode: AccessMode): Access<boolean> {
    this.started();
    const old = yield* this.rmw(loc, (v) => v | (1 << bit), mode, "test_and_set_bit");
    return (old & (1 << bit)) !== 0;
  }

  testAndClearBit(loc: Loc, bit: number, mode: AccessMode = "mb"): Access<boolean> {
    return this.created("testAndClearBit", loc, this.testAndClearBitOp(loc, bit, mode));
  }

  private *testAndClearBitOp(loc: Loc, bit: number, mode: AccessMode): Access<boolean> {
    this.started();
    const old = yield* this.rmw(loc, (v) => v & ~(1 << bit), mode, "test_and_clear_bit");
    return (old & (1 << bit)) !== 0;
  }

  /** set_bit: a relaxed, value-less RMW. */
  setBit(loc: Loc, bit: number): Access<void> {
    return this.created("setBit", loc, this.setBitOp(loc, bit));
  }

  private *setBitOp(loc: Loc, bit: number): Access<void> {
    this.started();
    yield* this.rmwValue(loc, (v) => asInteger(v, "set_bit") | (1 << bit), "relaxed", { name: "set_bit", tags: ["noreturn"] });
  }

  clearBit(loc: Loc, bit: number): Access<void> {
    return this.created("clearBit", loc, this.clearBitOp(loc, bit));
  }

  private *clearBitOp(loc: Loc, bit: number): Access<void> {
    this.started();
    yield* this.rmwValue(loc, (v) => asInteger(v, "clear_bit") & ~(1 << bit), "relaxed", { name: "clear_bit", tags: ["noreturn"] });
  }

  fence(fence: FenceKind, name?: string): Access<void> {
    return this.created("fence", undefined, this.fenceOp(fence, name));
  }

  private *fenceOp(fence: FenceKind, name?: string): Access<void> {
    this.started();
    yield this.issue({ kind: "fence", fence, name }, [], []);
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

/**
 * A value as thread code gets it from the read numbered `dep`: a location
 * reference carries that read, and that read only (a loaded pointer's value
 * does not depend on the address it was loaded from).
 */
function loaded(v: Value, dep: number): Value {
  return typeof v === "number" ? v : derivedLoc(canonicalLoc(v), [dep]);
}

function isReadHandle(r: ReadHandle | Loc): r is ReadHandle {
  return typeof (r as ReadHandle).dep === "number";
}

/** The stored value of an update that may return a reference the thread read. */
function canonicalUpdate(update: (old: Value) => Value | undefined): (old: Value) => Value | undefined {
  return (old) => {
    const v = update(old);
    return v === undefined ? v : canonicalValue(v);
  };
}

/** One kind of dependency, declared and implied together; nothing when both are empty. */
function merged(kind: keyof Dependencies, declared: readonly number[] | undefined, implied: readonly number[]): Dependencies {
  if (implied.length === 0) return declared === undefined ? {} : { [kind]: declared };
  if (declared === undefined || declared.length === 0) return { [kind]: implied };
  return { [kind]: [...declared, ...implied.filter((i) => !declared.includes(i))] };
}

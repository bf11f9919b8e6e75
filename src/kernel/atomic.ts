// atomic_t with the kernel's ordering classes (Documentation/atomic_t.txt):
// atomic_read/atomic_set are READ_ONCE/WRITE_ONCE, void RMWs (atomic_inc,
// atomic_add) are unordered, value-returning RMWs are fully ordered, and the
// _relaxed/_acquire/_release variants take the ordering given.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import type { AccessMode, RmwOp } from "../program/operation.ts";
import { asInteger } from "../program/value.ts";

export type Ordering = "relaxed" | "acquire" | "release" | "mb";

export function atomicRead(t: ThreadContext, v: Loc): Access<number> {
  return t.read(v, "once");
}

export function* atomicSet(t: ThreadContext, v: Loc, i: number, mode: AccessMode = "once"): Access<void> {
  yield* t.write(v, i, mode, undefined, "atomic_set");
}

/** A void RMW: atomic_add, atomic_inc, atomic_sub, atomic_dec. */
export function* atomicAdd(_t: ThreadContext, v: Loc, delta: number, name = delta >= 0 ? "atomic_add" : "atomic_sub"): Access<void> {
  const op: RmwOp = { kind: "rmw", loc: v, mode: "relaxed", update: (old) => asInteger(old, name) + delta, name, tags: ["noreturn"] };
  yield op;
}

export function atomicInc(t: ThreadContext, v: Loc): Access<void> {
  return atomicAdd(t, v, 1, "atomic_inc");
}

export function atomicDec(t: ThreadContext, v: Loc): Access<void> {
  return atomicAdd(t, v, -1, "atomic_dec");
}

/** atomic_fetch_add{,_relaxed,_acquire,_release}: returns the old value. */
export function atomicFetchAdd(t: ThreadContext, v: Loc, delta: number, order: Ordering = "mb", name = "atomic_fetch_add"): Access<number> {
  return t.rmw(v, (old) => old + delta, order, name);
}

/** atomic_add_return and friends: returns the new value. */
export function* atomicAddReturn(t: ThreadContext, v: Loc, delta: number, order: Ordering = "mb", name = "atomic_add_return"): Access<number> {
  return (yield* atomicFetchAdd(t, v, delta, order, name)) + delta;
}

export function atomicIncReturn(t: ThreadContext, v: Loc, order: Ordering = "mb"): Access<number> {
  return atomicAddReturn(t, v, 1, order, "atomic_inc_return");
}

export function atomicDecReturn(t: ThreadContext, v: Loc, order: Ordering = "mb"): Access<number> {
  return atomicAddReturn(t, v, -1, order, "atomic_dec_return");
}

/** atomic_dec_and_test: fully ordered; true when the count reached zero. */
export function* atomicDecAndTest(t: ThreadContext, v: Loc, name = "atomic_dec_and_test"): Access<boolean> {
  return (yield* atomicAddReturn(t, v, -1, "mb", name)) === 0;
}

/** atomic_add_unless(v, a, u): adds unless the value is u; fully ordered when it adds, a plain atomic read when not. */
export function* atomicAddUnless(t: ThreadContext, v: Loc, delta: number, unless: number, name = "atomic_add_unless"): Access<boolean> {
  const old = yield* t.rmwValue(v, (x) => (x === unless ? undefined : asInteger(x, name) + delta), "mb", { name, failMode: "once" });
  return old !== unless;
}

export function atomicIncNotZero(t: ThreadContext, v: Loc): Access<boolean> {
  return atomicAddUnless(t, v, 1, 0, "atomic_inc_not_zero");
}

/** atomic_cmpxchg: returns the old value; a failed cmpxchg is an unordered read. */
export function* atomicCmpxchg(t: ThreadContext, v: Loc, expected: number, desired: number, order: Ordering = "mb", name = "atomic_cmpxchg"): Access<number> {
  const old = yield* t.rmwValue(v, (x) => (x === expected ? desired : undefined), order, { name, failMode: "once" });
  return asInteger(old, name);
}

export function atomicXchg(t: ThreadContext, v: Loc, i: number, order: Ordering = "mb"): Access<number> {
  return t.rmw(v, () => i, order, "atomic_xchg");
}

/**
 * atomic_inc_unless_negative(v), v3.17+: increments unless the value is
 * negative (a count that someone has turned into a "denied" count, as
 * mapping_deny_writable does to i_mmap_writable). Fully ordered when it
 * increments; a failed one is a plain atomic read. True when it incremented.
 */
export function* atomicIncUnlessNegative(t: ThreadContext, v: Loc, name = "atomic_inc_unless_negative"): Access<boolean> {
  const old = yield* t.rmwValue(v, (x) => (asInteger(x, name) < 0 ? undefined : asInteger(x, name) + 1), "mb", { name, failMode: "once" });
  return asInteger(old, name) >= 0;
}

/**
 * atomic_dec_unless_positive(v), v3.17+: decrements unless the value is
 * positive (refused while holders counted up, as mapping_deny_writable is
 * while a writable mapping exists). Fully ordered when it decrements; a
 * failed one is a plain atomic read. True when it decremented.
 */
export function* atomicDecUnlessPositive(t: ThreadContext, v: Loc, name = "atomic_dec_unless_positive"): Access<boolean> {
  const old = yield* t.rmwValue(v, (x) => (asInteger(x, name) > 0 ? undefined : asInteger(x, name) - 1), "mb", { name, failMode: "once" });
  return asInteger(old, name) <= 0;
}

// Memory barriers (Documentation/memory-barriers.txt) and the marked
// accesses that go with them. Under SC they change nothing; TSO and LKMM read them.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc, Value } from "../program/value.ts";

export const smpMb = (t: ThreadContext): Access<void> => t.fence("mb", "smp_mb");
export const smpRmb = (t: ThreadContext): Access<void> => t.fence("rmb", "smp_rmb");
export const smpWmb = (t: ThreadContext): Access<void> => t.fence("wmb", "smp_wmb");
export const smpMbBeforeAtomic = (t: ThreadContext): Access<void> => t.fence("before-atomic", "smp_mb__before_atomic");
export const smpMbAfterAtomic = (t: ThreadContext): Access<void> => t.fence("after-atomic", "smp_mb__after_atomic");
export const smpMbAfterSpinlock = (t: ThreadContext): Access<void> => t.fence("after-spinlock", "smp_mb__after_spinlock");
/**
 * smp_acquire__after_ctrl_dep() (v4.8): after a load whose value a branch
 * tests, an smp_rmb(), which is what the kernel defines it as unless an
 * architecture says otherwise. The control dependency orders the load
 * before later stores, the rmb before later loads: an acquire, together.
 */
export const smpAcquireAfterCtrlDep = (t: ThreadContext): Access<void> => t.fence("rmb", "smp_acquire__after_ctrl_dep");

export function* readOnce(t: ThreadContext, x: Loc): Access<number> {
  return yield* t.read(x, "once", undefined, "READ_ONCE");
}

export function* writeOnce(t: ThreadContext, x: Loc, v: Value): Access<void> {
  yield* t.write(x, v, "once", undefined, "WRITE_ONCE");
}

export function* smpLoadAcquire(t: ThreadContext, x: Loc): Access<number> {
  return yield* t.read(x, "acquire", undefined, "smp_load_acquire");
}

export function* smpStoreRelease(t: ThreadContext, x: Loc, v: Value): Access<void> {
  yield* t.write(x, v, "release", undefined, "smp_store_release");
}

/**
 * READ_ONCE of a pointer: the value as read, a location reference keeping
 * the read, so what the caller accesses through it is address-dependent
 * on this load (and a store of it data-dependent), as in the kernel.
 */
export function* readOncePtr(t: ThreadContext, x: Loc): Access<Value> {
  return yield* t.readPointer(x, "once", undefined, "READ_ONCE");
}

/** smp_load_acquire of a pointer, keeping the read as readOncePtr does (the acquire orders everything after it anyway). */
export function* smpLoadAcquirePtr(t: ThreadContext, x: Loc): Access<Value> {
  return yield* t.readPointer(x, "acquire", undefined, "smp_load_acquire");
}

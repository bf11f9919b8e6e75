// Reference counts on an atomic_t (include/linux/page_ref.h): taking a
// reference you already own is a void increment; a speculative one
// (get_page_unless_zero) must not resurrect a count that reached zero;
// dropping one is fully ordered and tells the caller it was the last;
// freezing swaps the expected count for zero in one RMW, so whoever freezes
// excludes every speculative getter.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { atomicAddUnless, atomicCmpxchg, atomicInc } from "./atomic.ts";
import { misuse } from "./kernelThread.ts";

export function refGet(t: ThreadContext, count: Loc): Access<void> {
  return atomicInc(t, count);
}

/** get_page_unless_zero / page_ref_add_unless(1, 0): false when the object is already being freed. */
export function refGetUnlessZero(t: ThreadContext, count: Loc): Access<boolean> {
  return atomicAddUnless(t, count, 1, 0, `get_unless_zero(${count.name})`);
}

/** put_page_testzero: true when this was the last reference. Dropping a reference that is not there is a double free. */
export function* refPutTestZero(t: ThreadContext, count: Loc): Access<boolean> {
  const old = yield* t.rmw(count, (v) => v - 1, "mb", `put_testzero(${count.name})`);
  // The kernel's VM_BUG_ON in put_page_testzero: the reference was dropped twice, never taken, or lost
  // when someone overwrote the count while it was held (the page was freed under its holder).
  if (old <= 0) misuse(t, `dropping a reference to ${count.name} at count ${old}: dropped twice, never taken, or lost to a count overwritten under its holder`);
  return old === 1;
}

/** page_ref_freeze: true when the count was exactly `expected` and is now 0. */
export function* refFreeze(t: ThreadContext, count: Loc, expected: number): Access<boolean> {
  return (yield* atomicCmpxchg(t, count, expected, 0, "mb", `ref_freeze(${count.name}, ${expected})`)) === expected;
}

/** page_ref_unfreeze: publishes the count again (a release store). */
export function* refUnfreeze(t: ThreadContext, count: Loc, to: number): Access<void> {
  yield* t.write(count, to, "release", undefined, `ref_unfreeze(${count.name}, ${to})`);
}

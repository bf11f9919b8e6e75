// struct kref (include/linux/kref.h, v4.11+ on refcount_t): an object's
// reference count whose last put runs a release function. refcount_t
// saturates and warns instead of wrapping: taking a reference on an object
// whose count already reached zero ("refcount_t: addition on 0;
// use-after-free") and putting one that is not there are reported.

import type { ModelBuilder } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { atomicAddUnless } from "./atomic.ts";
import { misuse } from "./kernelThread.ts";

export class Kref {
  readonly refcount: Loc;
  /** kref_init(): the creator's reference (or `initial` references, for an object already shared when the model starts). */
  constructor(m: ModelBuilder, readonly name: string, initial = 1) {
    this.refcount = m.location(`${name}.refcount`, initial);
  }
}

/** kref_get(), v4.11+: the caller already holds a reference; an increment from 0 is refcount_t's use-after-free warning. */
export function* krefGet(t: ThreadContext, k: Kref): Access<void> {
  const old = yield* t.rmw(k.refcount, (v) => v + 1, "relaxed", `kref_get(${k.name})`);
  if (old === 0) misuse(t, `kref_get(${k.name}): refcount_t: addition on 0; use-after-free`);
}

/** kref_get_unless_zero(), v4.11+: a lookup's reference, refused once the object is being released. */
export function krefGetUnlessZero(t: ThreadContext, k: Kref): Access<boolean> {
  return atomicAddUnless(t, k.refcount, 1, 0, `kref_get_unless_zero(${k.name})`);
}

/**
 * kref_put(): drop a reference with refcount_dec_and_test (release
 * ordering before the decrement, acquire after the last one: fully ordered
 * here); the last one runs `release`. Returns whether it did.
 */
export function* krefPut(t: ThreadContext, k: Kref, release: (t: ThreadContext) => Access<void>): Access<boolean> {
  const old = yield* t.rmw(k.refcount, (v) => v - 1, "mb", `kref_put(${k.name})`);
  if (old <= 0) misuse(t, `kref_put(${k.name}) at refcount ${old}: refcount_t: underflow; use-after-free`);
  if (old !== 1) return false;
  yield* release(t);
  return true;
}

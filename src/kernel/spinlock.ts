// spinlock_t: 0 free, 1 held. spin_lock is an acquiring RMW that waits for
// 0, spin_unlock a releasing store; both carry LKMM's lock tags so the
// kernel memory model orders critical sections as lock.cat does.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { RmwOp, WriteOp } from "../program/operation.ts";
import type { Loc, Value } from "../program/value.ts";
import type { ModelBuilder } from "../program/model.ts";
import { noteAcquired, noteReleased } from "./kernelThread.ts";

/** A lock word that is 0 when free and 1 when held (spinlock_t, struct mutex), as traces print it. */
export function lockWordState(v: Value): string | undefined {
  return v === 0 ? "free" : v === 1 ? "held" : undefined;
}

/** Declares `locks` as spinlocks (or mutexes: the same word), so traces print `held` / `free`. */
export function describeLockWord(m: ModelBuilder, locks: Loc | readonly Loc[]): void {
  m.describe(locks, lockWordState);
}

export function* spinLock(t: ThreadContext, lock: Loc): Access<void> {
  const op: RmwOp = { kind: "rmw", loc: lock, mode: "acquire", update: () => 1, until: (v) => v === 0, name: `spin_lock(${lock.name})`, tags: ["lock"] };
  yield op;
  noteAcquired(t, lock.name, "spinlock");
}

/** spin_trylock: true when it took the lock. */
export function* spinTrylock(t: ThreadContext, lock: Loc): Access<boolean> {
  const op: RmwOp = { kind: "rmw", loc: lock, mode: "acquire", update: (v) => (v === 0 ? 1 : undefined), failMode: "once", name: `spin_trylock(${lock.name})`, tags: ["lock"] };
  const old = yield op;
  if (old !== 0) return false;
  noteAcquired(t, lock.name, "spinlock");
  return true;
}

export function* spinUnlock(t: ThreadContext, lock: Loc): Access<void> {
  noteReleased(t, lock.name, "spinlock", true);
  const op: WriteOp = { kind: "write", loc: lock, value: 0, mode: "release", name: `spin_unlock(${lock.name})`, tags: ["unlock"] };
  yield op;
}

// struct mutex: a sleeping lock with an owner. 0 free, 1 held.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { mightSleep, noteAcquired, noteReleased } from "./kernelThread.ts";

export function* mutexLock(t: ThreadContext, lock: Loc): Access<void> {
  mightSleep(t, `mutex_lock(${lock.name})`);
  yield* t.awaitRmw(lock, (v) => v === 0, () => 1, "acquire", `mutex_lock(${lock.name})`);
  noteAcquired(t, lock.name, "mutex");
}

export function* mutexTrylock(t: ThreadContext, lock: Loc): Access<boolean> {
  const old = yield* t.rmwValue(lock, (v) => (v === 0 ? 1 : undefined), "acquire", { name: `mutex_trylock(${lock.name})`, failMode: "once" });
  if (old !== 0) return false;
  noteAcquired(t, lock.name, "mutex");
  return true;
}

export function* mutexUnlock(t: ThreadContext, lock: Loc): Access<void> {
  noteReleased(t, lock.name, "mutex", true);
  yield* t.write(lock, 0, "release", undefined, `mutex_unlock(${lock.name})`);
}

// A sleeping bit lock: the page lock (PG_locked) and the DAX entry lock.
// lock_page sleeps until the bit is clear and sets it (acquire);
// trylock_page never sleeps; unlock_page clears it (release) and wakes the
// sleepers. Unlike a mutex, another thread may unlock it (I/O completion does).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { asInteger } from "../program/value.ts";
import { type Bit, clearBitUnlock } from "./bitops.ts";
import { kernelThread, mightSleep, misuse, noteAcquired, noteReleased } from "./kernelThread.ts";

const mask = (b: Bit) => 1 << b.bit;

export function* lockBit(t: ThreadContext, b: Bit, name = "lock_page"): Access<void> {
  mightSleep(t, `${name}(${b.name})`);
  yield* t.awaitRmw(b.loc, (w) => (w & mask(b)) === 0, (w) => w | mask(b), "acquire", `${name}(${b.name})`);
  noteAcquired(t, b.name, "bit-lock");
}

/** true when it took the lock; a failed trylock is an unordered read. */
export function* trylockBit(t: ThreadContext, b: Bit, name = "trylock_page"): Access<boolean> {
  const old = yield* t.rmwValue(b.loc, (w) => ((asInteger(w, name) & mask(b)) !== 0 ? undefined : asInteger(w, name) | mask(b)), "acquire", {
    name: `${name}(${b.name})`,
    failMode: "once",
  });
  if ((asInteger(old, name) & mask(b)) !== 0) return false;
  noteAcquired(t, b.name, "bit-lock");
  return true;
}

export function* unlockBit(t: ThreadContext, b: Bit, name = "unlock_page"): Access<void> {
  noteReleased(t, b.name, "bit-lock", false);
  const wasSet = yield* clearBitUnlock(t, b);
  if (!wasSet) misuse(t, `${name}(${b.name}) on an unlocked ${b.name}`);
}

/** wait_on_page_locked: sleeps until the bit is clear, without taking it. */
export function* waitOnBit(t: ThreadContext, b: Bit, name = "wait_on_page_locked"): Access<void> {
  mightSleep(t, `${name}(${b.name})`);
  yield* t.await(b.loc, (w) => (w & mask(b)) === 0, "acquire", `${name}(${b.name})`);
}

/** Whether this thread holds the bit lock (lockdep's view, for might_fault-style rules). */
export function holdsBitLock(t: ThreadContext, b: Bit): boolean {
  return kernelThread(t).holds(b.name, "bit-lock");
}

// RCU read-side critical sections and grace periods, as LKMM's fences.
// A read section is atomic context: sleeping in it is reported. Under SC
// and TSO the fences order nothing and synchronize_rcu() does not wait for
// readers; questions about RCU lifetimes need --model lkmm.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { kernelThread, mightSleep, misuse } from "./kernelThread.ts";

export function* rcuReadLock(t: ThreadContext): Access<void> {
  kernelThread(t).rcuDepth++;
  yield* t.fence("rcu-lock", "rcu_read_lock");
}

export function* rcuReadUnlock(t: ThreadContext): Access<void> {
  const k = kernelThread(t);
  if (k.rcuDepth === 0) misuse(t, "rcu_read_unlock() without rcu_read_lock()");
  k.rcuDepth--;
  yield* t.fence("rcu-unlock", "rcu_read_unlock");
}

export function* synchronizeRcu(t: ThreadContext): Access<void> {
  mightSleep(t, "synchronize_rcu()");
  yield* t.fence("sync-rcu", "synchronize_rcu");
}

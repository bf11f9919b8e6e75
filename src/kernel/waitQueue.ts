// Wait queues (kernel/sched/wait.c): a sleeper queues an entry on a
// wait_queue_head under its lock, then sleeps until a waker marks the
// entry woken. The sleeper's entry lives on its stack; here each thread
// that may sleep on a queue has one entry location, declared with the queue
// (`waiters`), holding WAIT_IDLE, WAIT_QUEUED or WAIT_WOKEN.
//
// wake_up walks the queue under its lock and wakes every queued entry
// (autoremove_wake_function: a woken entry is off the queue). Whether the
// sleeper re-checks its condition after waking is the caller's business,
// and the difference is exactly what some races are about.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { ModelBuilder } from "../program/model.ts";
import type { Loc } from "../program/value.ts";
import { lockWordState, spinLock, spinUnlock } from "./spinlock.ts";
import { mightSleep } from "./kernelThread.ts";

export const WAIT_IDLE = 0;
export const WAIT_QUEUED = 1;
export const WAIT_WOKEN = 2;

export class WaitQueueHead {
  readonly lock: Loc;
  private readonly entries = new Map<string, Loc>();

  /** A wait_queue_head_t on which the threads named in `waiters` may sleep. */
  constructor(
    m: ModelBuilder,
    readonly name: string,
    waiters: readonly string[],
  ) {
    this.lock = m.location(`${name}.lock`, 0);
    for (const w of waiters) this.entries.set(w, m.location(`${name}.wait(${w})`, WAIT_IDLE));
    // Traces print the lock as held/free and each entry by its state.
    m.describe(this.lock, lockWordState);
    m.describe([...this.entries.values()], (v) => (v === WAIT_IDLE ? "idle" : v === WAIT_QUEUED ? "queued" : v === WAIT_WOKEN ? "woken" : undefined));
  }

  /** The calling thread's entry; a thread not declared as a waiter is a model error. */
  entry(t: ThreadContext): Loc {
    const e = this.entries.get(t.name);
    if (e === undefined) throw new Error(`wait queue ${this.name}: thread ${t.name} is not declared as one of its waiters`);
    return e;
  }

  allEntries(): readonly Loc[] {
    return [...this.entries.values()];
  }

  toString(): string {
    return this.name;
  }
}

/** __add_wait_queue(): queue the calling thread's entry; the caller holds wq.lock. */
export function* addWaitQueueLocked(t: ThreadContext, wq: WaitQueueHead): Access<void> {
  yield* t.write(wq.entry(t), WAIT_QUEUED, "once", undefined, `add_wait_queue(${wq.name})`);
}

/** prepare_to_wait(), v2.6–6.x: queue the entry under the lock, then set_current_state (a full barrier). */
export function* prepareToWait(t: ThreadContext, wq: WaitQueueHead): Access<void> {
  yield* spinLock(t, wq.lock);
  yield* t.write(wq.entry(t), WAIT_QUEUED, "once", undefined, `prepare_to_wait(${wq.name})`);
  yield* spinUnlock(t, wq.lock);
  yield* t.fence("mb", "set_current_state");
}

/** schedule() after prepare_to_wait: sleep until a wake_up marked the entry woken. */
export function* scheduleWoken(t: ThreadContext, wq: WaitQueueHead): Access<void> {
  mightSleep(t, `schedule() on ${wq.name}`);
  yield* t.await(wq.entry(t), (v) => v === WAIT_WOKEN, "acquire", `schedule() on ${wq.name}`);
}

/** finish_wait(), v2.6–6.x: take the entry off the queue if no wake-up did. */
export function* finishWait(t: ThreadContext, wq: WaitQueueHead): Access<void> {
  yield* spinLock(t, wq.lock);
  yield* t.write(wq.entry(t), WAIT_IDLE, "once", undefined, `finish_wait(${wq.name})`);
  yield* spinUnlock(t, wq.lock);
}

/**
 * wake_up(), v2.6–6.x (__wake_up_common with autoremove entries): under the
 * lock, every queued entry is woken and leaves the queue. `shouldWake` lets a
 * keyed wake function (wake_page_function) decline. Returns how many it woke.
 */
export function* wakeUp(t: ThreadContext, wq: WaitQueueHead, shouldWake?: (t: ThreadContext) => Access<boolean>): Access<number> {
  let woken = 0;
  yield* spinLock(t, wq.lock);
  for (const e of wq.allEntries()) {
    if ((yield* t.read(e, "once")) !== WAIT_QUEUED) continue;
    if (shouldWake !== undefined && !(yield* shouldWake(t))) break; // wake_page_function's -1 stops the walk
    yield* t.write(e, WAIT_WOKEN, "release", undefined, `wake_up(${wq.name})`);
    woken++;
  }
  yield* spinUnlock(t, wq.lock);
  return woken;
}

/**
 * wq_has_sleeper() (on any wait queue since 1ce0bf50ae22, v4.5; before,
 * a networking helper on a socket's queue only): a full
 * barrier, then waitqueue_active(). The barrier pairs with the sleeper's
 * set_current_state() after queueing: the waker's store of the condition
 * is then seen by the sleeper's re-check, or its queueing by this look.
 */
export function* wqHasSleeper(t: ThreadContext, wq: WaitQueueHead): Access<boolean> {
  yield* t.fence("mb", "wq_has_sleeper: smp_mb");
  return yield* waitqueueActive(t, wq);
}

/** waitqueue_active(), v2.6–6.x: a lockless look at whether anyone is queued; the caller supplies the barrier that makes it safe. */
export function* waitqueueActive(t: ThreadContext, wq: WaitQueueHead): Access<boolean> {
  for (const e of wq.allEntries()) if ((yield* t.read(e, "once")) === WAIT_QUEUED) return true;
  return false;
}

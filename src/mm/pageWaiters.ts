// The sleeping page lock with PG_waiters (mm/filemap.c since 62906027091f
// "mm: add PageWaiters indicating tasks are waiting for a page bit", Nick
// Piggin, v4.10). pageCache.ts's lockPage waits on PG_locked directly; this
// is the protocol underneath: a sleeper queues itself on the page's wait
// queue (page_wait_table, hashed) and sets PG_waiters under the queue's
// lock, makes itself TASK_UNINTERRUPTIBLE (set_current_state: a full
// barrier), and sleeps only if PG_locked is still set. unlock_page clears
// PG_locked and wakes the queue only if PG_waiters is set, so the unlock
// fast path touches no queue. The two sides are store buffering on
// (PG_waiters, PG_locked): the sleeper's barrier is set_current_state; the
// unlocker's was smp_mb__after_atomic in v4.10, and since b91e1302ad9b
// "mm: optimize PageWaiters bit use for unlock_page()" (Linus Torvalds,
// Dec 2016) it is no barrier at all but PG_waiters living in PG_locked's byte:
// clear_bit_unlock_is_negative_byte clears PG_locked and reads PG_waiters
// in one RMW of the word SetPageWaiters also changes, so coherence orders
// them. wake_up_page_bit clears PG_waiters, under the queue's lock, once
// nobody is left queued.
//
// PG_waiters is not one of page.ts's PAGE_FLAGS (whose bit positions other
// models rely on): with the `word` layout it is a further bit of the page's
// flags word (traces then print it with the other flags), with `split` a
// word of its own, where only the v4.10 barrier can order it. Every sleeper
// here waits non-exclusively and every queued sleeper is woken; a sleeper
// that wanted the lock tries again, as __lock_page's loop does.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { clearBit, clearBitUnlock, setBit, testAndSetBitLock, testBit, type Bit } from "../kernel/bitops.ts";
import { smpMb, smpMbAfterAtomic } from "../kernel/barriers.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { WaitQueueHead, WAIT_QUEUED, WAIT_WOKEN, addWaitQueueLocked, finishWait, scheduleWoken } from "../kernel/waitQueue.ts";
import { mightSleep, misuse, noteAcquired, noteReleased } from "../kernel/kernelThread.ts";
import { PAGE_FLAGS, type Page } from "./page.ts";
import type { Machine } from "./machine.ts";

/** How unlock_page orders clearing PG_locked before its look at PG_waiters. */
export type UnlockPageRule =
  /** Counterfactual: clear_bit_unlock (release only), then test PG_waiters: store buffering loses the wake-up when the bits are in different words. */
  | "no-barrier"
  /** 62906027091f (v4.10): clear_bit_unlock; smp_mb__after_atomic; test PG_waiters. */
  | "mb-after-atomic"
  /** b91e1302ad9b (Dec 2016): clear_bit_unlock_is_negative_byte, one RMW of the flags word (needs the `word` layout). */
  | "negative-byte";

/** A page's PG_waiters bit and its queue in page_wait_table, on which the threads named in `sleepers` may sleep. */
export class PageWaiters {
  readonly waiters: Bit;
  readonly wq: WaitQueueHead;

  constructor(
    mc: Machine,
    readonly page: Page,
    sleepers: readonly string[],
  ) {
    const m = mc.m;
    const locked = page.flag("locked");
    if (page.layout === "word") {
      const bit = PAGE_FLAGS.length;
      this.waiters = { loc: locked.loc, bit, name: `PG_waiters(${page.name})` };
      m.describe(locked.loc, (v) => {
        if (typeof v !== "number") return undefined;
        const set = PAGE_FLAGS.filter((_, b) => v & (1 << b)) as string[];
        if (v & (1 << bit)) set.push("waiters");
        return set.join("|") || "no flags";
      });
    } else {
      this.waiters = { loc: m.location(`${page.name}.PG_waiters`, 0), bit: 0, name: `PG_waiters(${page.name})` };
    }
    this.wq = new WaitQueueHead(m, `page_wait_table(${page.name})`, sleepers);
  }
}

/**
 * wait_on_page_bit_common(), v4.10–v5.x, for PG_locked: queue, set
 * PG_waiters, set_current_state, and sleep while the page is locked. With
 * `lock` it then tries to take the lock (test_and_set_bit_lock) and goes
 * round again if someone else got it first (__lock_page); without, it
 * returns once the bit is clear (wait_on_page_locked).
 */
export function* waitOnPageBitCommon(t: ThreadContext, pw: PageWaiters, lock: boolean): Access<void> {
  const locked = pw.page.flag("locked");
  const entry = pw.wq.entry(t);
  mightSleep(t, `${lock ? "lock_page" : "wait_on_page_locked"}(${pw.page.name})`);
  for (;;) {
    t.step(`${lock ? "__lock_page" : "wait_on_page_locked"}(${pw.page.name})`);
    yield* spinLock(t, pw.wq.lock);
    if ((yield* t.read(entry, "once")) !== WAIT_QUEUED) {
      yield* addWaitQueueLocked(t, pw.wq);
      yield* setBit(t, pw.waiters);
    }
    yield* smpMb(t); // set_current_state
    yield* spinUnlock(t, pw.wq.lock);
    if (yield* testBit(t, locked)) {
      t.step(`io_schedule(${pw.page.name})`);
      yield* scheduleWoken(t, pw.wq);
    }
    if (lock) {
      if (!(yield* testAndSetBitLock(t, locked))) {
        noteAcquired(t, locked.name, "bit-lock");
        break;
      }
    } else if (!(yield* testBit(t, locked))) break;
  }
  yield* finishWait(t, pw.wq);
}

/** __lock_page() after a failed trylock_page(): sleep until the page lock is taken. */
export function* lockPageSleeping(t: ThreadContext, pw: PageWaiters): Access<void> {
  if (yield* testAndSetBitLock(t, pw.page.flag("locked"))) yield* waitOnPageBitCommon(t, pw, true);
  else noteAcquired(t, pw.page.flag("locked").name, "bit-lock");
}

/**
 * unlock_page(), v4.10+, as `rule` orders it: clear PG_locked; if
 * PG_waiters is set, wake_up_page_bit: under the queue's lock wake every
 * queued sleeper, then clear PG_waiters since nobody is left queued.
 * The caller holds the page lock (or declared with mayExitHolding that
 * another thread took it, as I/O completion unlocks a page it did not lock).
 */
export function* unlockPageWaking(t: ThreadContext, pw: PageWaiters, rule: UnlockPageRule): Access<void> {
  const locked = pw.page.flag("locked");
  t.step(`unlock_page(${pw.page.name})`);
  noteReleased(t, locked.name, "bit-lock", false);
  let waiters: boolean;
  if (rule === "negative-byte") {
    if (pw.waiters.loc !== locked.loc) throw new Error(`unlock_page(${pw.page.name}): clear_bit_unlock_is_negative_byte needs PG_waiters in PG_locked's word (the page's "word" flag layout)`);
    const lockedMask = 1 << locked.bit;
    const old = yield* t.rmw(locked.loc, (v) => v & ~lockedMask, "release", `clear_bit_unlock_is_negative_byte(${locked.name})`);
    if ((old & lockedMask) === 0) misuse(t, `unlock_page(${pw.page.name}) on an unlocked page`);
    waiters = (old & (1 << pw.waiters.bit)) !== 0;
  } else {
    if (!(yield* clearBitUnlock(t, locked))) misuse(t, `unlock_page(${pw.page.name}) on an unlocked page`);
    if (rule === "mb-after-atomic") yield* smpMbAfterAtomic(t);
    waiters = yield* testBit(t, pw.waiters);
  }
  if (!waiters) return;
  t.step(`wake_up_page_bit(${pw.page.name})`);
  yield* spinLock(t, pw.wq.lock);
  for (const e of pw.wq.allEntries())
    if ((yield* t.read(e, "once")) === WAIT_QUEUED) yield* t.write(e, WAIT_WOKEN, "release", undefined, `wake_up(${pw.wq.name})`);
  yield* clearBit(t, pw.waiters); // ClearPageWaiters
  yield* spinUnlock(t, pw.wq.lock);
}

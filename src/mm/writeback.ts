// Page writeback (mm/page-writeback.c, mm/filemap.c): PG_writeback is set
// while a page's data is on its way to disk. Writeback holds no page
// reference of its own: truncation waits for PG_writeback to clear before
// it deletes the page, and that wait is all that keeps the page alive.
//
// Sleepers wait on the page's wait queue (page_waitqueue(page), a hash of
// the struct page's address, keyed by page and bit): the queue belongs to
// the struct page, not to its current use, so a wake-up meant for one use
// of the page can reach a waiter of the next. Here one WaitQueueHead per
// page stands for the hashed queue with the key already matched on PG_writeback.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { testAndClearBit, testAndSetBit, testBit } from "../kernel/bitops.ts";
import { smpMbAfterAtomic } from "../kernel/barriers.ts";
import { misuse } from "../kernel/kernelThread.ts";
import { addWaitQueueLocked, finishWait, scheduleWoken, wakeUp, WaitQueueHead } from "../kernel/waitQueue.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { Machine } from "./machine.ts";
import { NO_MAPPING, type Page } from "./page.ts";

export const I_WB_REUSE = "I-WB-REUSE: end_page_writeback wakes the use of the page whose writeback it ended";
export const I_WB_WAIT = "I-WB-WAIT: wait_on_page_writeback returns with PG_writeback clear";
import { getPage, putPage } from "./pageRef.ts";

interface WritebackState {
  readonly queue: WaitQueueHead;
  /** How wait_on_page_writeback checks the bit in this model's kernel version. */
  readonly waitRule: WritebackWaitRule;
}

/** Pages whose writeback a model follows, with their wait queues. */
const writebackOf = new WeakMap<Page, WritebackState>();

/**
 * Declares that `p` may be under writeback: its wait queue, the threads that
 * may sleep on it, and the version of wait_on_page_writeback the model's
 * kernel has. Truncation waits for writeback only on such pages (a page
 * nobody ever writes back never has PG_writeback set, and skipping the read
 * keeps models without writeback as they were).
 */
export function declareWriteback(mc: Machine, p: Page, waiters: readonly string[], waitRule: WritebackWaitRule = "loop"): WaitQueueHead {
  const queue = new WaitQueueHead(mc.m, `page_waitqueue(${p.name})`, waiters);
  writebackOf.set(p, { queue, waitRule });
  return queue;
}

export function followsWriteback(p: Page): boolean {
  return writebackOf.has(p);
}

function stateOf(p: Page): WritebackState {
  const s = writebackOf.get(p);
  if (s === undefined) throw new Error(`${p.name} has no writeback wait queue: declare it with declareWriteback`);
  return s;
}

function queueOf(p: Page): WaitQueueHead {
  return stateOf(p).queue;
}

/** set_page_writeback(), v5.x, page locked: a page already under writeback is the caller's bug (write_cache_pages waits first). */
export function* setPageWriteback(t: ThreadContext, p: Page): Access<void> {
  t.step(`set_page_writeback(${p.name})`);
  if (yield* testAndSetBit(t, p.flag("writeback"))) misuse(t, `set_page_writeback(${p.name}) on a page already under writeback`);
}

/** How a waker treats a waiter that finds the bit set again (wake_page_function's non-exclusive case). */
export type WritebackWakeRule =
  /** before v5.8: stop walking and do not wake while PG_writeback is set again */
  | "skip-if-set"
  /** v5.8, 2a9127fcf229 "mm: rewrite wait_on_page_bit_common() logic": wake regardless; the woken waiter does not look again */
  | "wake";

export interface EndWritebackOptions {
  readonly wake: WritebackWakeRule;
  /** 073861ed77b6 (v5.10): hold a reference from before the clear until after the wake-up. */
  readonly holdReference: boolean;
  /** The VM_BUG_ON(PageTail) stand-in (default on); off models Matthew Wilcox's suggestion of weakening that check. */
  readonly reuseCheck?: boolean;
}

/**
 * end_page_writeback(), v5.8–v5.10: test_clear_page_writeback (a clear of
 * a bit not set is a BUG), smp_mb__after_atomic, wake_up_page(page,
 * PG_writeback). Without the reference, the page may be truncated, freed
 * and reused between the clear and the wake-up, and the wake-up then acts on
 * the reuse. The model's stand-in for the kernel's VM_BUG_ON(PageTail) in
 * wake_up_page (Hugh Dickins saw the page reused as a THP tail) is an
 * assertion that the page has not moved to another file meanwhile.
 */
export function* endPageWriteback(t: ThreadContext, p: Page, opts: EndWritebackOptions): Access<void> {
  const wq = queueOf(p);
  const mapping = opts.reuseCheck ?? true ? yield* t.read(p.mapping, "once") : NO_MAPPING;
  if (opts.holdReference) {
    t.step(`end_page_writeback(${p.name}): get_page`);
    yield* getPage(t, p);
  }
  t.step(`end_page_writeback(${p.name}): test_clear_page_writeback`);
  if (!(yield* testAndClearBit(t, p.flag("writeback")))) misuse(t, `end_page_writeback(${p.name}) on a page not under writeback`);
  yield* smpMbAfterAtomic(t);
  t.step(`wake_up_page(${p.name}, PG_writeback)`);
  if (opts.reuseCheck ?? true) {
    const now = yield* t.read(p.mapping, "once");
    t.assert(now === mapping || now === NO_MAPPING, `${I_WB_REUSE}: ${p.name} was freed and reused by another file before wake_up_page`);
  }
  yield* wakeUp(t, wq, opts.wake === "wake" ? undefined : function* (t2) {
    return !(yield* testBit(t2, p.flag("writeback")));
  });
  if (opts.holdReference) {
    t.step(`end_page_writeback(${p.name}): put_page`);
    yield* putPage(t, p);
  }
}

/**
 * wait_on_page_bit(page, PG_writeback), v5.8+ (wait_on_page_bit_common,
 * non-exclusive): under the queue lock, return at once if the bit is
 * clear, else queue; then sleep until woken and return without looking at
 * the bit again. The caller holds a page reference.
 */
export function* waitOnPageBitWriteback(t: ThreadContext, p: Page): Access<void> {
  const wq = queueOf(p);
  t.step(`wait_on_page_bit(${p.name}, PG_writeback)`);
  // Testing the bit and queueing are one critical section of the queue's
  // lock, which the waker takes too: no wake-up falls between them.
  yield* spinLock(t, wq.lock);
  const set = yield* testBit(t, p.flag("writeback"));
  if (set) yield* addWaitQueueLocked(t, wq);
  yield* spinUnlock(t, wq.lock);
  if (!set) return;
  yield* scheduleWoken(t, wq);
  yield* finishWait(t, wq);
}

/** How wait_on_page_writeback checks the bit. */
export type WritebackWaitRule =
  /** v2.6–v5.11: one check, one wait */
  | "once"
  /** c2407cf7d22d (v5.12) "mm: make wait_on_page_writeback() wait for multiple pending writebacks": wait until it stays clear */
  | "loop";

/** wait_on_page_writeback(): sleep while PG_writeback is set, once or in a loop (default: the rule declared for the page). */
export function* waitOnPageWriteback(t: ThreadContext, p: Page, rule: WritebackWaitRule = stateOf(p).waitRule): Access<void> {
  t.step(`wait_on_page_writeback(${p.name})`);
  if (rule === "once") {
    if (yield* testBit(t, p.flag("writeback"))) yield* waitOnPageBitWriteback(t, p);
    return;
  }
  while (yield* testBit(t, p.flag("writeback"))) yield* waitOnPageBitWriteback(t, p);
}

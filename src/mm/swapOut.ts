// Swap-out of an anonymous page: the anonymous branch of shrink_page_list
// (mm/vmscan.c, v4.x–v5.x; renamed shrink_folio_list by 49fd9b6df54e,
// v6.1, with the same steps on folios). Four steps, each under the page
// lock reclaim took with trylock_page:
//
//   add_to_swap      allocate a slot (its swap_map holds SWAP_HAS_CACHE),
//                    put the page in the swap cache, mark it dirty: its
//                    data exists nowhere else yet;
//   try_to_unmap     under each PTL, replace the pte by the swap entry,
//                    one swap_duplicate reference per pte; since v4.3
//                    (72b252aed506, TTU_BATCH_FLUSH) without a TLB flush:
//                    the flush is owed (unmapFlushBatch.ts);
//   pageout          try_to_unmap_flush_dirty, then write the page to its
//                    slot (swap_writepage: PG_writeback set, the page
//                    unlocked, the I/O, end_page_writeback);
//   __remove_mapping freeze the refcount at the references reclaim expects
//                    (the swap cache's and its own isolation) and take the
//                    page out of the swap cache.
//
// Then try_to_unmap_flush, and the page is freed (or, kept, put back).
//
// A fault on the swap entry between unmap and the freeze finds the page in
// the swap cache (lookup_swap_cache takes a speculative reference), so the
// freeze fails and the page stays; a fault after the freeze misses the
// cache and reads the slot, which pageout has written. The page starts
// isolated from the LRU (isolatedForReclaim): the caller holds the
// isolation reference.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { flushTlbRange } from "./tlb.ts";
import type { Machine } from "./machine.ts";
import { UnmapFlushBatch } from "./unmapFlushBatch.ts";
import { clearBit, setBit, testAndClearBit, testBit } from "../kernel/bitops.ts";
import { refFreeze, refUnfreeze } from "../kernel/refcount.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { NO_PAGE } from "./addressSpace.ts";
import type { Page } from "./page.ts";
import { trylockPage, unlockPage } from "./pageCache.ts";
import { writePageToSlot } from "./pageData.ts";
import { freePage, putPage } from "./pageRef.ts";
import { pageRemoveRmap, ptepGetAndClear } from "./pageTable.ts";
import { ptePageId, pteDirty, swpEntryToPte } from "./pte.ts";
import { RECLAIM_EXPECTED_REFS } from "./reclaim.ts";
import { addToSwapCache, inSwapCache, tryToFreeSwap } from "./swapCache.ts";
import { getSwapPage, putSwapPage, swapDeviceOf, swapDuplicate, type SwapDevice } from "./swapDevice.ts";
import type { Vma } from "./vma.ts";
import { endPageWriteback, followsWriteback, setPageWriteback } from "./writeback.ts";

/** Where an anonymous page is mapped: what reclaim's rmap walk of its anon_vma finds. */
export interface AnonMapping {
  readonly vma: Vma;
  readonly index: number;
}

/**
 * add_to_swap(), v4.x–v5.x, page locked and not yet in the swap cache:
 * get_swap_page allocates a slot to the swap cache, add_to_swap_cache puts
 * the page there (its reference, the slot), and set_page_dirty marks it
 * dirty, since the slot holds nothing yet. Returns the slot's offset, or
 * undefined when the device has no free slot (reclaim then keeps the page).
 */
export function* addToSwap(t: ThreadContext, si: SwapDevice, p: Page): Access<number | undefined> {
  t.step(`add_to_swap(${p.name})`);
  const offset = yield* getSwapPage(t, si);
  if (offset === undefined) return undefined;
  yield* addToSwapCache(t, si, p, offset);
  yield* setBit(t, p.flag("dirty"));
  return offset;
}

/**
 * try_to_unmap() → try_to_unmap_one(), v4.x–v5.x, for an anonymous page in
 * the swap cache at `offset`, page locked: for each pte in `where` that
 * still maps the page, under its PTL, clear it (a dirty pte makes the page
 * dirty), take a swap_duplicate reference and write the swap entry in its
 * place, then drop the pte's mapping and reference. If swap_duplicate
 * fails the pte is put back and the walk stops. True when no pte maps the
 * page any more.
 *
 * The TLB: with a `batch` (TTU_BATCH_FLUSH, as shrink_page_list unmaps
 * since 72b252aed506, v4.3) the pte is cleared with ptep_get_and_clear and
 * the flush is owed to the batch, which the caller must flush before it
 * writes the page out and before it frees it. Without one, the clear is
 * ptep_clear_flush: the mm's TLB (if the model has one) is flushed under
 * the PTL. Either way the model's own accesses (anonAccess.ts) walk the
 * pte under the PTL and never see a stale translation; a `Tlb` covering
 * the VMA is what holds one.
 *
 * Every VMA of `where` must be registered with `si` (SwapDevice.registerVma).
 */
export function* tryToUnmapToSwap(t: ThreadContext, si: SwapDevice, p: Page, offset: number, where: readonly AnonMapping[], batch?: UnmapFlushBatch): Access<boolean> {
  for (const { vma: v } of where)
    if (swapDeviceOf(v) !== si) throw new Error(`try_to_unmap(${p.name}): ${v.name} is not registered with ${si.name} (si.registerVma): swapoff would not find the entries written into it`);
  t.step(`try_to_unmap(${p.name}): anon rmap walk`);
  for (const { vma: v, index } of where) {
    yield* spinLock(t, v.ptl);
    if (ptePageId(yield* t.read(v.pte[index]!, "once")) !== p.id) {
      yield* spinUnlock(t, v.ptl);
      continue;
    }
    const pteval = yield* ptepGetAndClear(t, v, index);
    if (batch !== undefined) batch.owe(v, index, pteDirty(pteval));
    else yield* flushTlbRange(t, v, index, index + 1);
    if (pteDirty(pteval)) yield* setBit(t, p.flag("dirty"));
    if ((yield* swapDuplicate(t, si, offset)) !== "ok") {
      yield* t.write(v.pte[index]!, pteval, "once", undefined, `try_to_unmap_one: swap_duplicate failed, set_pte_at(${v.name}, ${index}) back`);
      yield* spinUnlock(t, v.ptl);
      return false;
    }
    yield* t.write(v.pte[index]!, swpEntryToPte(offset), "once", undefined, `try_to_unmap_one: set_pte_at(${v.name}, ${index}) := swap[${offset}]`);
    yield* pageRemoveRmap(t, p);
    yield* spinUnlock(t, v.ptl);
    yield* putPage(t, p);
  }
  return (yield* t.read(p.mapcount, "once")) === 0;
}

/**
 * swap_writepage(), v4.x–v5.x, page locked and under its clean-for-I/O
 * state: a page whose slot no entry references any more just leaves the
 * swap cache (try_to_free_swap) and is unlocked; otherwise
 * __swap_writepage sets PG_writeback, unlocks the page and writes it to
 * the slot, and the bio's completion (end_swap_bio_write) ends writeback.
 * The I/O completes in the writing thread's turn. Waiters are woken
 * through writeback.ts on pages declared with declareWriteback; on others
 * nobody sleeps on the bit, and it is just cleared.
 */
export function* swapWritepage(t: ThreadContext, si: SwapDevice, p: Page, offset: number): Access<void> {
  t.step(`swap_writepage(${p.name})`);
  if (yield* tryToFreeSwap(t, si, p, offset)) {
    yield* unlockPage(t, p);
    return;
  }
  yield* setPageWriteback(t, p);
  yield* unlockPage(t, p);
  t.step(`swap_writepage(${p.name}): bio to ${si.name}[${offset}]`);
  yield* writePageToSlot(t, si, offset, p);
  t.step(`end_swap_bio_write(${p.name})`);
  if (followsWriteback(p)) yield* endPageWriteback(t, p, { wake: "wake", holdReference: false, reuseCheck: false });
  else yield* clearBit(t, p.flag("writeback"));
}

/** What pageout() tells shrink_page_list. */
export type PageoutResult =
  /** someone else holds the page: keep it, still locked */
  | "keep"
  /** the page was not dirty any more: nothing to write */
  | "clean"
  /** the write was started; the page is unlocked */
  | "success";

/**
 * pageout(), v4.x–v5.x, for a swap-cache page, page locked:
 * is_page_cache_freeable (only the swap cache and the isolating caller
 * hold it, else keep it), clear_page_dirty_for_io (clean: nothing to do),
 * then the swap cache's writepage, swap_writepage, which unlocks the page.
 * A caller that unmapped with a batch flushes it (flushDirty) first.
 */
export function* pageout(t: ThreadContext, si: SwapDevice, p: Page, offset: number): Access<PageoutResult> {
  t.step(`pageout(${p.name}): is_page_cache_freeable?`);
  if ((yield* t.read(p.refcount, "once")) !== RECLAIM_EXPECTED_REFS) return "keep";
  if (!(yield* testAndClearBit(t, p.flag("dirty")))) return "clean";
  yield* swapWritepage(t, si, p, offset);
  return "success";
}

/**
 * __remove_mapping(), v4.x–v5.x, for a swap-cache page, page locked:
 * page_ref_freeze(2) (the swap cache's and the isolation's reference:
 * anyone else, such as a fault's lookup_swap_cache, makes it fail); a page
 * dirtied meanwhile is unfrozen and kept; otherwise
 * __delete_from_swap_cache empties the slot's cache entry and
 * put_swap_page gives up SWAP_HAS_CACHE. True when the page left the swap
 * cache, its count frozen at 0 for the caller to free.
 */
export function* removeMappingSwapCache(t: ThreadContext, si: SwapDevice, p: Page, offset: number): Access<boolean> {
  t.step(`__remove_mapping(${p.name}): page_ref_freeze(${RECLAIM_EXPECTED_REFS})`);
  if (!(yield* refFreeze(t, p.refcount, RECLAIM_EXPECTED_REFS))) return false;
  if (yield* testBit(t, p.flag("dirty"))) {
    yield* refUnfreeze(t, p.refcount, RECLAIM_EXPECTED_REFS);
    return false;
  }
  t.step(`__remove_mapping: __delete_from_swap_cache(${p.name})`);
  yield* t.write(si.swapCache[offset]!, NO_PAGE, "once", undefined, `${si.name}.swap_cache[${offset}] := empty`);
  yield* putSwapPage(t, si, offset);
  return true;
}

/** The slot whose swap cache holds `p` (PageSwapCache and page_private), read slot by slot; undefined if none. */
function* swapCacheOffsetOf(t: ThreadContext, si: SwapDevice, p: Page): Access<number | undefined> {
  for (let offset = 0; offset < si.swapCache.length; offset++) if ((yield* t.read(si.swapCache[offset]!, "once")) === p.id) return offset;
  return undefined;
}

/**
 * The page starts isolated for reclaim, as shrink_inactive_list leaves it
 * (isolate_lru_page / __isolate_lru_page, v4.x–v5.x): one more reference,
 * the one shrinkAnonPage gives back when it keeps the page, and PG_lru
 * cleared, since it is on no LRU list while reclaim holds it. Call while
 * building the model.
 */
export function isolatedForReclaim(mc: Machine, p: Page): void {
  const m = mc.m;
  m.initialize(p.refcount, (m.initialValue(p.refcount) as number) + 1);
  const lru = p.flag("lru");
  m.initialize(lru.loc, (m.initialValue(lru.loc) as number) & ~(1 << lru.bit));
}

/** What the per-page part of shrink_page_list decided; the page is unlocked either way. */
type Verdict = "free" | "keep";

/**
 * shrink_page_list(), v4.x–v5.x, for one page isolated for reclaim
 * (isolatedForReclaim) and mapped at `where` (VMAs registered with `si`):
 * trylock_page; add_to_swap unless the page is already in the swap cache;
 * try_to_unmap (TTU_BATCH_FLUSH) if mapped; if dirty,
 * try_to_unmap_flush_dirty and pageout (then, the write done, trylock_page
 * again and give up if the page was redirtied or is still under
 * writeback); __remove_mapping. Then try_to_unmap_flush, and the page is
 * freed, or kept (unlocked, the isolation reference given back to the
 * LRU). True when it freed the page.
 */
export function* shrinkAnonPage(t: ThreadContext, si: SwapDevice, p: Page, where: readonly AnonMapping[]): Access<boolean> {
  const batch = new UnmapFlushBatch();
  const verdict = yield* shrinkOne(t, si, p, where, batch);
  yield* batch.flush(t);
  if (verdict === "keep") {
    // putback_lru_page gives back the isolation reference.
    yield* putPage(t, p);
    return false;
  }
  t.step(`shrink_page_list: free ${p.name}`);
  yield* freePage(t, p);
  return true;
}

function* shrinkOne(t: ThreadContext, si: SwapDevice, p: Page, where: readonly AnonMapping[], batch: UnmapFlushBatch): Access<Verdict> {
  t.step(`shrink_page_list: trylock_page(${p.name})`);
  if (!(yield* trylockPage(t, p))) return yield* keepPage(t, p, false);
  let offset = yield* swapCacheOffsetOf(t, si, p);
  if (offset === undefined) {
    offset = yield* addToSwap(t, si, p);
    if (offset === undefined) return yield* keepPage(t, p, true);
  }
  t.step(`shrink_page_list: page_mapped(${p.name})?`);
  if ((yield* t.read(p.mapcount, "once")) > 0 && !(yield* tryToUnmapToSwap(t, si, p, offset, where, batch))) return yield* keepPage(t, p, true);
  if (yield* testBit(t, p.flag("dirty"))) {
    yield* batch.flushDirty(t);
    const result = yield* pageout(t, si, p, offset);
    if (result === "keep") return yield* keepPage(t, p, true);
    if (result === "success") {
      t.step(`shrink_page_list: ${p.name} written, still clean and idle?`);
      if ((yield* testBit(t, p.flag("writeback"))) || (yield* testBit(t, p.flag("dirty")))) return yield* keepPage(t, p, false);
      if (!(yield* trylockPage(t, p))) return yield* keepPage(t, p, false);
      if ((yield* testBit(t, p.flag("dirty"))) || (yield* testBit(t, p.flag("writeback")))) return yield* keepPage(t, p, true);
      // mapping = page_mapping(page): the page may have left the swap cache meanwhile.
      if (!(yield* inSwapCache(t, si, p, offset))) return yield* keepPage(t, p, true);
    }
  }
  if (!(yield* removeMappingSwapCache(t, si, p, offset))) return yield* keepPage(t, p, true);
  yield* unlockPage(t, p);
  return "free";
}

/** keep_locked / keep: unlock if still locked; the page goes back to the LRU after the batch's flush. */
function* keepPage(t: ThreadContext, p: Page, locked: boolean): Access<Verdict> {
  t.step(`shrink_page_list: keep ${p.name}`);
  if (locked) yield* unlockPage(t, p);
  return "keep";
}

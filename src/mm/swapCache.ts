// The swap cache (mm/swap_state.c): pages of swap slots, looked up by swap
// entry, so that everyone swapping a slot in shares one page. A page is
// added only by whoever claimed the slot's SWAP_HAS_CACHE (swapcache_prepare)
// and leaves once no entry reference is left (try_to_free_swap) or at
// swapoff.
//
// In this model the claim and the insertion are one critical section of
// si->lock. The kernel has a window between them in which a second reader
// gets EEXIST and loops until the page is there; with the window closed,
// EEXIST means the page is in the cache (or has just left it with its
// claim), a second look settles it, and swapoff's retry loop never waits
// on a slot claimed without a page. No modelled race goes through that
// window.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { setBit, testBit } from "../kernel/bitops.ts";
import { NO_PAGE } from "./addressSpace.ts";
import { ANON_MAPPING, type Page } from "./page.ts";
import { allocPage, type PageAllocator } from "./pageAlloc.ts";
import { getPage, getPageUnlessZero, putPage } from "./pageRef.ts";
import { lockPage, trylockPage, unlockPage } from "./pageCache.ts";
import { readSlotIntoPage } from "./pageData.ts";
import { putSwapPage, SWAP_HAS_CACHE, swapcachePrepare, swapCount, swapFree, type SwapDevice, type SwapGuard } from "./swapDevice.ts";

/** lookup_swap_cache(), v4.x–v5.x: find_get_page on the swap cache: a speculative reference, then the slot re-checked. */
export function* lookupSwapCache(t: ThreadContext, si: SwapDevice, offset: number): Access<Page | undefined> {
  t.step(`lookup_swap_cache(${si.name}[${offset}])`);
  const id = yield* t.read(si.swapCache[offset]!, "once");
  if (id === NO_PAGE) return undefined;
  const p = si.mc.pageById(id)!;
  if (!(yield* getPageUnlessZero(t, p))) return undefined;
  if ((yield* t.read(si.swapCache[offset]!, "once")) !== id) {
    yield* putPage(t, p);
    return undefined;
  }
  return p;
}

/** Whether `p` is in the swap cache at `offset`: PageSwapCache && page_private == entry, as do_swap_page checks it (v4.x–v5.x). */
export function* inSwapCache(t: ThreadContext, si: SwapDevice, p: Page, offset: number): Access<boolean> {
  return (yield* t.read(si.swapCache[offset]!, "once")) === p.id;
}

/** add_to_swap_cache(), v4.x–v5.x: the locked new page takes the swap cache's reference and the slot. */
export function* addToSwapCache(t: ThreadContext, si: SwapDevice, p: Page, offset: number): Access<void> {
  t.step(`add_to_swap_cache(${p.name}, ${si.name}[${offset}])`);
  yield* getPage(t, p);
  yield* t.write(p.mapping, ANON_MAPPING, "once", undefined, `${p.name}: swap-backed`);
  yield* t.write(si.swapCache[offset]!, p.id, "once", undefined, `${si.name}.swap_cache[${offset}] := ${p.name}`);
}

/** delete_from_swap_cache(), v4.x–v5.x, page locked: clear the slot, give up SWAP_HAS_CACHE, drop the cache's reference. */
export function* deleteFromSwapCache(t: ThreadContext, si: SwapDevice, p: Page, offset: number): Access<void> {
  t.step(`delete_from_swap_cache(${p.name})`);
  yield* t.write(si.swapCache[offset]!, NO_PAGE, "once", undefined, `${si.name}.swap_cache[${offset}] := empty`);
  yield* putSwapPage(t, si, offset);
  yield* putPage(t, p);
}

/**
 * try_to_free_swap(), v4.x–v5.x, page locked: a page in the swap cache
 * that is not under writeback and whose slot no entry references any more
 * leaves the swap cache, and is marked dirty: its data now lives only in
 * the page, and a later swap-out must write it again. Returns whether it
 * left.
 *
 * The writeback check matters: while swap-out's write to the slot is in
 * flight, the slot must stay the page's (SWAP_HAS_CACHE held). Freed, it
 * could be handed to another page's swap-out, and the late write would
 * land on that page's data.
 */
export function* tryToFreeSwap(t: ThreadContext, si: SwapDevice, p: Page, offset: number): Access<boolean> {
  if (!(yield* inSwapCache(t, si, p, offset))) return false;
  if (yield* testBit(t, p.flag("writeback"))) return false;
  if ((yield* swapCount(t, si, offset)) !== 0) return false;
  yield* deleteFromSwapCache(t, si, p, offset);
  yield* setBit(t, p.flag("dirty"));
  return true;
}

/**
 * free_swap_and_cache(entry), v4.x–v5.x, as zap_pte_range calls it for a
 * swap entry it clears (PTL held): drop the entry's reference
 * (__swap_entry_free); if only the swap cache holds the slot now, look the
 * page up and, if the page lock is free and nothing maps the page
 * (__try_to_reclaim_swap with TTRS_UNMAPPED), let it leave the swap cache
 * (tryToFreeSwap). The kernel also frees it when swap is nearly full
 * (TTRS_FULL), a policy the model leaves out.
 */
export function* freeSwapAndCache(t: ThreadContext, si: SwapDevice, offset: number): Access<void> {
  t.step(`free_swap_and_cache(${si.name}[${offset}])`);
  if ((yield* swapFree(t, si, offset)) !== SWAP_HAS_CACHE) return;
  const p = yield* lookupSwapCache(t, si, offset);
  if (p === undefined) return;
  if (yield* trylockPage(t, p)) {
    if ((yield* t.read(p.mapcount, "once")) === 0) yield* tryToFreeSwap(t, si, p, offset);
    yield* unlockPage(t, p);
  }
  yield* putPage(t, p);
}

/**
 * reuse_swap_page(), v4.x–v5.18, page locked, as do_swap_page calls it on
 * a write fault before mapping: the page is the faulting process's alone
 * if its mapcount plus its slot's entry references is at most 1 (the
 * faulting pte's own entry). Then, unless it is under writeback, it
 * leaves the swap cache and is marked dirty, since the slot's copy will be
 * stale once the write lands. Returns whether the page may be mapped
 * writable.
 */
export function* reuseSwapPage(t: ThreadContext, si: SwapDevice, p: Page, offset: number): Access<boolean> {
  t.step(`reuse_swap_page(${p.name})`);
  const count = (yield* t.read(p.mapcount, "once")) + (yield* swapCount(t, si, offset));
  if (count === 1 && (yield* inSwapCache(t, si, p, offset)) && !(yield* testBit(t, p.flag("writeback")))) {
    yield* deleteFromSwapCache(t, si, p, offset);
    yield* setBit(t, p.flag("dirty"));
  }
  return count <= 1;
}

/** EEXIST means the page was there a moment ago: one more look finds it or finds the entry gone. */
const EEXIST_RETRIES = 1;

/**
 * read_swap_cache_async() / __read_swap_cache_async(), v4.x–v5.x: the
 * slot's page with a reference, from the swap cache or newly read in:
 * look it up; else allocate a page, claim the slot (swapcache_prepare,
 * guarded as `guard` says), add the page locked and read it
 * (swap_readpage; the I/O completes at once: uptodate, unlocked, and the
 * slot's data copied in where the model follows it, pageData.ts).
 * Undefined when the entry is gone (ENOENT), the device is going (EINVAL)
 * or memory is short.
 */
export function* readSwapCacheAsync(t: ThreadContext, a: PageAllocator, si: SwapDevice, offset: number, guard: SwapGuard): Access<Page | undefined> {
  let fresh: Page | undefined;
  for (let attempt = 0; attempt <= EEXIST_RETRIES; attempt++) {
    const found = yield* lookupSwapCache(t, si, offset);
    if (found !== undefined) {
      if (fresh !== undefined) yield* putPage(t, fresh);
      return found;
    }
    fresh ??= yield* allocPage(t, a);
    if (fresh === undefined) return undefined;
    // __SetPageLocked: nobody can see the new page yet.
    const page = fresh;
    yield* lockPage(t, page);
    const ret = yield* swapcachePrepare(t, si, offset, guard, (t) => addToSwapCache(t, si, page, offset));
    if (ret !== "ok") yield* unlockPage(t, page);
    if (ret === "EEXIST") continue;
    if (ret !== "ok") break;
    t.step(`swap_readpage(${fresh.name})`);
    yield* readSlotIntoPage(t, si, offset, fresh);
    yield* setBit(t, fresh.flag("uptodate"));
    yield* unlockPage(t, fresh);
    return fresh;
  }
  if (fresh !== undefined) yield* putPage(t, fresh);
  return undefined;
}

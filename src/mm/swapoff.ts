// swapoff (mm/swapfile.c), in the shape it has had since b56a2d8af914 (v5.1,
// "mm: rid swapoff of quadratic complexity"): stop new allocations
// (SWP_WRITEOK), bring every swapped-out page back (try_to_unuse: walk the
// VMAs, read each entry's page into the swap cache and unuse_pte it, then
// drop the pages left in the swap cache), and retry until swap_map is all
// zero; then free swap_map. With eb085574a752 (v5.1) it first clears
// SWP_VALID and waits a grace period, so that no get_swap_device() section
// still holds a pointer into what is freed.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { synchronizeRcu } from "../kernel/rcu.ts";
import type { Page } from "./page.ts";
import type { PageAllocator } from "./pageAlloc.ts";
import { getPage, putPage } from "./pageRef.ts";
import { lockPage, unlockPage } from "./pageCache.ts";
import { pageAddRmap } from "./pageTable.ts";
import { mkPte, pteKind, pteSame, pteSwapOffset, swpEntryToPte } from "./pte.ts";
import { lookupSwapCache, readSwapCacheAsync, tryToFreeSwap } from "./swapCache.ts";
import { SWP_VALID, SWP_WRITEOK, swapFree, type SwapDevice, type SwapGuard } from "./swapDevice.ts";
import type { Vma } from "./vma.ts";

/**
 * unuse_pte(), v5.x, page locked: under the PTL, if the pte still holds
 * the entry, map the page instead (a new reference and mapping) and free
 * the entry. Returns whether it did.
 */
export function* unusePte(t: ThreadContext, si: SwapDevice, v: Vma, index: number, offset: number, p: Page): Access<boolean> {
  t.step(`unuse_pte(${v.name}, ${index}): pte lock`);
  yield* spinLock(t, v.ptl);
  const same = pteSame(yield* t.read(v.pte[index]!, "once"), swpEntryToPte(offset));
  if (same) {
    yield* getPage(t, p);
    yield* pageAddRmap(t, p);
    yield* t.write(v.pte[index]!, mkPte(p.id), "once", undefined, `set_pte_at(${v.name}, ${index}) := ${p.name}`);
    yield* swapFree(t, si, offset);
  }
  yield* spinUnlock(t, v.ptl);
  return same;
}

/** unuse_vma() → unuse_pte_range(), v5.1+: each pte holding an entry of `si`: its page read in, locked, unused, and freed from the swap cache if no entry is left. */
function* unuseVma(t: ThreadContext, a: PageAllocator, si: SwapDevice, v: Vma): Access<void> {
  for (let i = 0; i < v.pte.length; i++) {
    const pte = yield* t.read(v.pte[i]!, "once");
    // A migration entry is a swap entry of another type than the device's: unuse_pte_range passes it by.
    if (pteKind(pte) !== "swap") continue;
    const offset = pteSwapOffset(pte);
    t.step(`unuse_pte_range(${v.name}, ${i}): read in ${si.name}[${offset}]`);
    // swapoff's own reads need no guard: it is the one tearing the device down.
    const p = yield* readSwapCacheAsync(t, a, si, offset, "none");
    if (p === undefined) continue;
    yield* lockPage(t, p);
    yield* unusePte(t, si, v, i, offset, p);
    yield* tryToFreeSwap(t, si, p, offset);
    yield* unlockPage(t, p);
    yield* putPage(t, p);
  }
}

/** How many passes try_to_unuse makes before it only waits (the kernel retries while si->inuse_pages). */
const UNUSE_PASSES = 2;

/**
 * try_to_unuse(), v5.1+: unuse every VMA, then free each slot's page left
 * in the swap cache; again while any slot is in use. Returns once
 * swap_map is all zero.
 */
export function* tryToUnuse(t: ThreadContext, a: PageAllocator, si: SwapDevice): Access<void> {
  for (let pass = 0; pass < UNUSE_PASSES; pass++) {
    for (const v of si.vmas) yield* unuseVma(t, a, si, v);
    let inUse = false;
    for (let offset = 0; offset < si.swapMap.length; offset++) {
      const count = yield* t.read(si.swapMap[offset]!, "once");
      if (count === 0) continue;
      inUse = true;
      t.step(`try_to_unuse: ${si.name}[${offset}] still in use`);
      const p = yield* lookupSwapCache(t, si, offset);
      if (p === undefined) continue;
      yield* lockPage(t, p);
      yield* tryToFreeSwap(t, si, p, offset);
      yield* unlockPage(t, p);
      yield* putPage(t, p);
    }
    if (!inUse) return;
  }
  for (let offset = 0; offset < si.swapMap.length; offset++)
    yield* t.await(si.swapMap[offset]!, (c) => c === 0, "once", `try_to_unuse: wait for ${si.name}[${offset}] to be unused`);
}

/**
 * swapoff(2), v5.x: clear SWP_WRITEOK, try_to_unuse, then (with the v5.1
 * guard) clear SWP_VALID and synchronize_rcu(), and free swap_map.
 */
export function* swapoff(t: ThreadContext, a: PageAllocator, si: SwapDevice, guard: SwapGuard): Access<void> {
  t.step(`swapoff(${si.name}): clear SWP_WRITEOK`);
  yield* spinLock(t, si.lock);
  yield* t.rmw(si.flags, (f) => f & ~SWP_WRITEOK, "once", `${si.name}.flags &= ~SWP_WRITEOK`);
  yield* spinUnlock(t, si.lock);
  yield* tryToUnuse(t, a, si);
  if (guard === "get_swap_device") {
    t.step(`swapoff(${si.name}): clear SWP_VALID, synchronize_rcu`);
    yield* spinLock(t, si.lock);
    yield* t.rmw(si.flags, (f) => f & ~SWP_VALID, "once", `${si.name}.flags &= ~SWP_VALID`);
    yield* spinUnlock(t, si.lock);
    yield* synchronizeRcu(t);
  }
  t.step(`swapoff(${si.name}): vfree(swap_map)`);
  yield* spinLock(t, si.lock);
  yield* t.write(si.swapMapAllocated, 0, "once", undefined, `${si.name}.swap_map = NULL; vfree`);
  yield* spinUnlock(t, si.lock);
}

// Swap-in that skips the swap cache (mm/memory.c do_swap_page, the
// SWP_SYNCHRONOUS_IO branch): on a device whose reads complete
// synchronously (zram, pmem), 0bcac06f27d7 (v4.15) reads an entry that
// only this pte references (__swap_count == 1) straight into a new private
// page, without adding it to the swap cache, and maps it if the pte still
// holds the entry (pte_same).
//
// Without the swap cache nothing serialises two faults on the same entry:
// each reads its own copy. The first maps its copy and frees the entry;
// the process writes the page; reclaim swaps it out again, and the
// allocator hands out the same slot, so the pte holds the same entry
// value. The second fault's pte_same() then passes (ABA) and it maps its
// stale copy over the new data. 13ddaf26be32 (v6.8, "mm/swap: fix race
// when skipping swapcache") claims the slot's SWAP_HAS_CACHE with
// swapcache_prepare() before reading, as a swap-cache read-in would, so a
// second fault (or reclaim's get_swap_page, which wants a slot with
// swap_map 0) cannot use the entry until swapcache_clear() after the PTL is
// dropped; a fault that finds the claim taken backs off and is retried.
// 13ddaf26be32 slept one tick before retrying; 01626a182302 (v6.12) sleeps
// on a wait queue that swapcache_clear wakes. Either way the fault returns
// without mapping and the access faults again, which is what the model
// does.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { setBit } from "../kernel/bitops.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { pageAddNewAnonRmap } from "./anonymous.ts";
import { VM_FAULT_OOM } from "./cow.ts";
import { allocPage, type PageAllocator } from "./pageAlloc.ts";
import { readSlotIntoPage } from "./pageData.ts";
import { putPage } from "./pageRef.ts";
import { mkPte, pteSame } from "./pte.ts";
import { swapcacheClear, swapcachePrepare, swapFree, type SwapDevice, type SwapGuard } from "./swapDevice.ts";
import type { Vma } from "./vma.ts";

/** How a swap-in that skips the swap cache keeps a second fault on the same entry out. */
export type SkipSwapcache =
  /** 0bcac06f27d7 (v4.15) – v6.7: nothing; two faults may each read their own copy. */
  | "unguarded"
  /** 13ddaf26be32 (v6.8): swapcache_prepare() claims SWAP_HAS_CACHE first; swapcache_clear() after the PTL. */
  | "swapcache_prepare";

export interface SwapinDirectOptions {
  readonly skip: SkipSwapcache;
  /** How swap_map accesses are protected against swapoff. */
  readonly guard: SwapGuard;
  /** FAULT_FLAG_WRITE: the new page is the process's alone, so a write fault maps it writable and dirty. */
  readonly write?: boolean;
}

/**
 * do_swap_page()'s skip-swapcache branch, v4.15–v6.x, for `v[index]`
 * whose pte read `orig`, the swap entry of slot `offset`, after the swap
 * cache lookup missed and __swap_count() was 1: (13ddaf26be32: claim the
 * slot with swapcache_prepare, else back off) allocate a page, read the
 * slot into it synchronously, and under the PTL, if the pte still holds
 * `orig`, swap_free the entry and map the page (page_add_new_anon_rmap;
 * writable and dirty for a write fault); else drop the page. Then
 * (13ddaf26be32) swapcache_clear. Returns 0, or VM_FAULT_OOM when no page
 * could be allocated and the pte still holds the entry.
 *
 * The new page is locked from its allocation until it is mapped
 * (__folio_set_locked) and unlocked under the PTL; nobody can reach it
 * before the pte does, so the model leaves that lock out.
 */
export function* swapinDirect(t: ThreadContext, a: PageAllocator, si: SwapDevice, v: Vma, index: number, orig: number, offset: number, opts: SwapinDirectOptions): Access<number> {
  const claimed = opts.skip === "swapcache_prepare";
  if (claimed) {
    t.step(`do_swap_page(${v.name}, ${index}): swapcache_prepare(${si.name}[${offset}]) before skipping the swap cache`);
    if ((yield* swapcachePrepare(t, si, offset, opts.guard)) !== "ok") {
      t.step(`do_swap_page(${v.name}, ${index}): ${si.name}[${offset}] claimed by another swap-in, back off and retry the fault`);
      return 0;
    }
  }
  t.step(`do_swap_page(${v.name}, ${index}): skip swapcache, alloc page`);
  const p = yield* allocPage(t, a);
  let ret = 0;
  if (p === undefined) {
    yield* spinLock(t, v.ptl);
    if (pteSame(yield* t.read(v.pte[index]!, "once"), orig)) ret = VM_FAULT_OOM;
    yield* spinUnlock(t, v.ptl);
  } else {
    t.step(`do_swap_page(${v.name}, ${index}): swap_readpage(${p.name}, synchronous)`);
    yield* readSlotIntoPage(t, si, offset, p);
    yield* setBit(t, p.flag("uptodate"));
    t.step(`do_swap_page(${v.name}, ${index}): pte lock, pte_same?`);
    yield* spinLock(t, v.ptl);
    if (!pteSame(yield* t.read(v.pte[index]!, "once"), orig)) {
      t.step(`do_swap_page(${v.name}, ${index}): pte changed, back out`);
      yield* spinUnlock(t, v.ptl);
      yield* putPage(t, p);
    } else {
      yield* swapFree(t, si, offset);
      // The allocation's reference becomes the pte's.
      yield* pageAddNewAnonRmap(t, p);
      const pte = mkPte(p.id, opts.write === true ? { write: true, dirty: true } : {});
      yield* t.write(v.pte[index]!, pte, "once", undefined, `set_pte_at(${v.name}, ${index}) := ${p.name}${opts.write === true ? " rw dirty" : ""}`);
      yield* spinUnlock(t, v.ptl);
    }
  }
  // The claim is given up only now, with the PTL dropped and the pte
  // settled, so that no other fault or swap-out can use the slot before.
  if (claimed) yield* swapcacheClear(t, si, offset);
  return ret;
}

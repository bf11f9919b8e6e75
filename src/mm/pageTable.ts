// Installing and zapping ptes (mm/memory.c, mm/rmap.c). A present pte holds
// a page reference and counts in the page's mapcount.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { atomicAddReturn } from "../kernel/atomic.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { putPage } from "./pageRef.ts";
import { ANON_MAPPING } from "./page.ts";
import { PTE_NONE, type Vma } from "./vma.ts";
import { flushTlbRange } from "./tlb.ts";
import { pteKind, ptePageId, pteSwapOffset } from "./pte.ts";
import { freeSwapAndCache } from "./swapCache.ts";
import { swapDeviceOf } from "./swapDevice.ts";

/** page_add_file_rmap: _mapcount is an atomic_t bumped with a value-returning (so fully ordered) RMW. */
export function* pageAddRmap(t: ThreadContext, p: Page): Access<void> {
  yield* atomicAddReturn(t, p.mapcount, 1, "mb", `page_add_rmap(${p.name})`);
}

export function* pageRemoveRmap(t: ThreadContext, p: Page): Access<void> {
  yield* atomicAddReturn(t, p.mapcount, -1, "mb", `page_remove_rmap(${p.name})`);
}

/** set_pte_at + rmap, PTL held by the caller; the caller's page reference moves into the pte. */
export function* setPte(t: ThreadContext, v: Vma, index: number, p: Page): Access<void> {
  yield* pageAddRmap(t, p);
  yield* t.write(v.pte[index]!, p.id, "once", undefined, `set_pte(${v.name}, ${index}) := ${p.name}`);
}

/** finish_fault / do_set_pte: under the PTL, fill the pte only if it is still none. Returns whether it did; if not, the caller keeps its reference. */
export function* installPte(t: ThreadContext, v: Vma, index: number, p: Page): Access<boolean> {
  yield* spinLock(t, v.ptl);
  const installed = (yield* t.read(v.pte[index]!, "once")) === PTE_NONE;
  if (installed) yield* setPte(t, v, index, p);
  yield* spinUnlock(t, v.ptl);
  return installed;
}

export interface ZapDetails {
  /** Zap private COW (anonymous) pages too: truncation does, invalidation does not. */
  readonly evenCows: boolean;
}

/** One VMA's zap of [from, to), taking the PTL itself: zapPteRange, or a version that also munlocks (seed 002's cowZap.ts). */
export type ZapVma = (t: ThreadContext, v: Vma, from: number, to: number, details: ZapDetails) => Access<void>;

/**
 * ptep_get_and_clear: one atomic exchange (x86's xchg), so hardware
 * dirty/accessed updates are not lost; fully ordered. The pte only: as in
 * the kernel, the caller drops the rmap and the reference of the page it
 * returns (zapPteRange does both).
 */
export function* ptepGetAndClear(t: ThreadContext, v: Vma, index: number): Access<number> {
  return yield* t.rmw(v.pte[index]!, () => PTE_NONE, "mb", `ptep_get_and_clear(${v.name}, ${index})`);
}

/**
 * zap_pte_range, v2.6.x–5.x: under the PTL clear each present pte in
 * [from, to), then drop the references (the TLB batch frees after the
 * flush). A swap entry is cleared and its slot's reference dropped
 * (free_swap_and_cache) when the zap takes private pages (`evenCows`, as
 * MADV_DONTNEED and munmap do); invalidation leaves it, as it leaves
 * private pages. The device is the one the VMA is registered with
 * (SwapDevice.registerVma, swappedOut); a swap entry in a VMA registered
 * with none is a model error. Limit: the v4.x–v5.x kernels skip swap
 * entries on any zap given zap_details, truncation included; here a
 * truncation with `evenCows` frees them.
 * Migration entries are cleared and nothing else.
 */
export function* zapPteRange(t: ThreadContext, mc: Machine, v: Vma, from: number, to: number, details: ZapDetails): Access<void> {
  const freed: Page[] = [];
  yield* spinLock(t, v.ptl);
  for (let i = from; i < Math.min(to, v.pte.length); i++) {
    const id = yield* t.read(v.pte[i]!, "once");
    if (id === PTE_NONE) continue;
    if (pteKind(id) === "swap") {
      if (!v.shared && !details.evenCows) continue;
      const si = swapDeviceOf(v);
      if (si === undefined) throw new Error(`zap_pte_range(${v.name}, ${i}): a swap entry, but ${v.name} is registered with no swap device (si.registerVma or si.swappedOut)`);
      yield* ptepGetAndClear(t, v, i);
      yield* freeSwapAndCache(t, si, pteSwapOffset(id));
      continue;
    }
    // A pte with its write or dirty bit set (an anonymous page) maps the page in its low bits.
    const p = mc.pageById(ptePageId(id));
    if (p === undefined) {
      yield* ptepGetAndClear(t, v, i);
      continue;
    }
    if (!v.shared && !details.evenCows && (yield* t.read(p.mapping, "once")) === ANON_MAPPING) continue;
    yield* ptepGetAndClear(t, v, i);
    yield* pageRemoveRmap(t, p);
    freed.push(p);
  }
  yield* spinUnlock(t, v.ptl);
  // The mmu_gather's flush (a no-op without a modelled TLB), then the frees.
  if (freed.length > 0) yield* flushTlbRange(t, v, from, to);
  yield* tlbFinishMmu(t, freed);
}

/** tlb_finish_mmu(), v2.6.x–v5.x: after the TLB flush, the references the zapped ptes held are dropped. */
export function* tlbFinishMmu(t: ThreadContext, pages: readonly Page[]): Access<void> {
  for (const p of pages) {
    t.step(`tlb_finish_mmu: put_page(${p})`);
    yield* putPage(t, p);
  }
}

// mremap() moving a mapping (mm/mremap.c): move_page_tables moves each pte
// from the old address to the new one. The page does not change hands: no
// reference is dropped, so no mmu_gather keeps the page alive until the
// flush. The old address's TLB entries stay valid on other CPUs until
// flush_tlb_range(old); what keeps the page from being freed meanwhile is
// only the PTL of the page table it now sits in. The versions differ in
// when they flush:
// - before v4.9: once, after every pte moved and both PTLs dropped;
// - v4.9, 5d1904204c99 "mremap: fix race between mremap() and page
//   cleanning": under the PTLs, but only if a moved pte was dirty (so that
//   writeback cannot clean a page still written through the old entry);
// - v4.19, eb66ae030829 "mremap: properly flush TLB before releasing the
//   page" (CVE-2018-18281): under the PTLs whenever a present pte moved.
//
// The model's old and new VMAs map the same file at the same indices, so a
// pte moves from old.pte[i] to new.pte[i]. mmap_lock (held for write by
// mremap) and the rmap locks (taken only when need_rmap_locks) are left out:
// truncation takes neither.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { ptepGetAndClear } from "./pageTable.ts";
import { flushTlbRange } from "./tlb.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

/** When move_ptes flushes the old range's TLB entries. */
export type MremapFlush = "after-unlock" | "dirty-under-ptl" | "present-under-ptl";

export interface MovePtesOptions {
  readonly flush: MremapFlush;
  /** The hardware dirty bit of each old pte (pte_dirty); all clean if absent. */
  readonly dirty?: readonly Loc[];
}

/**
 * move_ptes(), v4.x: under the old PTL and then the new one
 * (spin_lock_nested), ptep_get_and_clear each old pte and set_pte_at it at
 * the new address. Returns whether a flush of the old range is still owed
 * after the PTLs are dropped (need_flush).
 */
export function* movePtes(t: ThreadContext, oldV: Vma, newV: Vma, from: number, to: number, opts: MovePtesOptions): Access<boolean> {
  t.step(`move_ptes(${oldV.name} -> ${newV.name}): lock PTLs`);
  yield* spinLock(t, oldV.ptl);
  if (newV.ptl !== oldV.ptl) yield* spinLock(t, newV.ptl);
  let moved = false;
  let forceFlush = false;
  for (let i = from; i < to; i++) {
    t.step(`move_ptes: move ${oldV.name}[${i}] -> ${newV.name}[${i}]`);
    const pte = yield* ptepGetAndClear(t, oldV, i);
    if (pte === PTE_NONE) continue;
    moved = true;
    if (opts.flush === "present-under-ptl") forceFlush = true;
    else if (opts.flush === "dirty-under-ptl" && opts.dirty !== undefined && (yield* t.read(opts.dirty[i]!, "once")) !== 0) forceFlush = true;
    yield* t.write(newV.pte[i]!, pte, "once", undefined, `set_pte_at(${newV.name}, ${i})`);
  }
  if (forceFlush) {
    t.step(`move_ptes: flush_tlb_range(${oldV.name}) under the PTLs`);
    yield* flushTlbRange(t, oldV, from, to);
  }
  t.step("move_ptes: unlock PTLs");
  if (newV.ptl !== oldV.ptl) yield* spinUnlock(t, newV.ptl);
  yield* spinUnlock(t, oldV.ptl);
  return moved && !forceFlush;
}

/** move_page_tables(), v4.x: move the ptes, then the flush move_ptes still owes, outside the PTLs. */
export function* movePageTables(t: ThreadContext, oldV: Vma, newV: Vma, from: number, to: number, opts: MovePtesOptions): Access<void> {
  const needFlush = yield* movePtes(t, oldV, newV, from, to, opts);
  if (needFlush) {
    t.step(`move_page_tables: flush_tlb_range(${oldV.name})`);
    yield* flushTlbRange(t, oldV, from, to);
  }
}

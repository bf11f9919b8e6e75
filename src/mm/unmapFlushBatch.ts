// The deferred TLB flush of reclaim's unmaps (mm/rmap.c, 72b252aed506,
// v4.3): shrink_page_list unmaps with TTU_BATCH_FLUSH, so try_to_unmap_one
// clears a pte without flushing and records that a flush is owed
// (current->tlb_ubc, and whether a cleared pte was dirty, hence possibly
// cached writable). One flush then covers every page of the batch:
// try_to_unmap_flush_dirty before a page is written out, so that no store
// through a stale writable entry lands after the write started, and
// try_to_unmap_flush before the pages are freed, so that no TLB entry maps
// a free page.
//
// The kernel's flush is an IPI to every CPU that ran the mm; the model's is
// flushTlbRange over the cleared ptes of each VMA whose mm has a Tlb (none
// without one: then nothing caches a translation).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { flushTlbRange } from "./tlb.ts";
import type { Vma } from "./vma.ts";

/** struct tlbflush_unmap_batch, one reclaim pass's worth: the ptes cleared without a flush. */
export class UnmapFlushBatch {
  private readonly pending: { readonly vma: Vma; readonly index: number }[] = [];
  /** tlb_ubc->writable: some cleared pte was dirty. */
  private writable = false;

  /** set_tlb_ubc_flush_pending(): `v[index]` was cleared without a flush; `dirty` if the pte was. */
  owe(v: Vma, index: number, dirty: boolean): void {
    this.pending.push({ vma: v, index });
    if (dirty) this.writable = true;
  }

  /** try_to_unmap_flush(): flush every pte cleared since the last flush. */
  *flush(t: ThreadContext): Access<void> {
    if (this.pending.length === 0) return;
    t.step("try_to_unmap_flush");
    for (const { vma, index } of this.pending.splice(0)) yield* flushTlbRange(t, vma, index, index + 1);
    this.writable = false;
  }

  /** try_to_unmap_flush_dirty(): flush only if a cleared pte may still be cached writable. */
  *flushDirty(t: ThreadContext): Access<void> {
    if (this.writable) yield* this.flush(t);
  }
}

// Truncate's half of Linus's mapcount protocol (000-B2), at the size LKMM
// can explore: truncate_inode_pages' step for one page and the last
// unmap_mapping_range pass of truncate_pagecache, with the control
// dependencies the kernel code has (branchOn; the thread must run under
// trackingDependencies) and two seed-specific additions:
//
// - an optional smp_mb__after_atomic() between lock_page and the
//   page_mapped() test: the truncate side of the barrier pair that Linus's
//   "need to make sure the memory ordering ... is ok" calls for;
// - the last unmap pass checks I-TRUNC's per-step form.
//
// Why the check sits in that last pass: truncate_pagecache unmaps twice,
// the second time only for private COW copies made meanwhile, so a file page
// that a racing fault mapped *after* truncate_inode_pages removed it (having
// seen it unmapped under its lock) is zapped there and the final state looks
// clean. Finding such a pte is exactly the failure of the protocol: the page
// lock plus page_mapped() did not exclude the fault. The pass reads the
// page's mapping, which this thread itself cleared, so under every memory
// model it sees NULL for a page it removed.
//
// Left out because no race here runs through them: i_mmap_rwsem (no VMA
// comes or goes), page references (the fault holds its own, so nothing is
// freed) and the rmap decrement of a zapped pte (nothing reads the mapcount
// after truncate has looked at it).

import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { smpMbAfterAtomic } from "../../kernel/barriers.ts";
import { spinLock, spinUnlock } from "../../kernel/spinlock.ts";
import type { AddressSpace } from "../../mm/addressSpace.ts";
import type { Machine } from "../../mm/machine.ts";
import { ANON_MAPPING, NO_MAPPING, type Page } from "../../mm/page.ts";
import { NO_PAGE } from "../../mm/addressSpace.ts";
import { lockPage, unlockPage } from "../../mm/pageCache.ts";
import { branchOn } from "../../program/controlDependency.ts";
import { PTE_NONE, type Vma } from "../../mm/vma.ts";

export interface TruncateOrdering {
  /** smp_mb__after_atomic() after lock_page, before reading the mapcount (lock_page alone is only an acquire). */
  readonly mbAfterLock: boolean;
}

export const PER_STEP_TRUNC = "I-TRUNC (per step)";

/** zap_pte_range for one pte, PTL taken here. */
function* zapPte(t: ThreadContext, v: Vma, index: number, check?: (t: ThreadContext, p: number) => Access<void>): Access<void> {
  yield* spinLock(t, v.ptl);
  const id = yield* branchOn(t, t.read(v.pte[index]!, "once"));
  if (id !== PTE_NONE) {
    if (check !== undefined) yield* check(t, id);
    yield* t.write(v.pte[index]!, PTE_NONE, "once", undefined, `pte_clear(${v.name}, ${index})`);
  }
  yield* spinUnlock(t, v.ptl);
}

/** truncate_inode_pages_range's step for page p at index i, v2.6.23–v5.x: lock, skip if gone, unmap if mapped, delete, unlock. */
export function* truncateInodePage(t: ThreadContext, f: AddressSpace, p: Page, i: number, order: TruncateOrdering): Access<void> {
  t.step(`truncate_inode_pages: lock_page(${p.name})`);
  yield* lockPage(t, p);
  if (order.mbAfterLock) yield* smpMbAfterAtomic(t);
  if ((yield* branchOn(t, t.read(p.mapping, "once"))) === f.id) {
    t.step(`truncate_inode_pages: page_mapped(${p.name})?`);
    if ((yield* branchOn(t, t.read(p.mapcount, "once"))) > 0) {
      t.step(`truncate_inode_pages: ${p.name} mapped: unmap_mapping_range(${i})`);
      for (const v of f.vmas) yield* zapPte(t, v, i);
    }
    t.step(`truncate_inode_pages: delete_from_page_cache(${p.name})`);
    yield* t.write(f.iPages[i]!, NO_PAGE, "once", undefined, `xa_erase(${f.name}.i_pages[${i}])`);
    yield* t.write(p.mapping, NO_MAPPING, "once", undefined, `${p.name}.mapping = NULL`);
  }
  t.step(`truncate_inode_pages: unlock_page(${p.name})`);
  yield* branchOn(t, unlockPage(t, p)); // the model's unlock_page branches on the bit it cleared (bad-unlock check)
}

/** truncate_pagecache's second unmap_mapping_range(even_cows), with the per-step check: only anonymous COW copies may be left to zap. */
export function* unmapCowsChecked(t: ThreadContext, mc: Machine, f: AddressSpace, from: number): Access<void> {
  t.step("truncate_pagecache: unmap_mapping_range again (COW copies)");
  const check = function* (t: ThreadContext, id: number): Access<void> {
    const p = mc.pageById(id);
    if (p === undefined) return;
    const mapping = yield* branchOn(t, t.read(p.mapping, "once"));
    t.assert(
      mapping === ANON_MAPPING || mapping === f.id,
      `${PER_STEP_TRUNC}: a pte maps ${p.name}, which truncate_inode_pages found unmapped under its page lock and removed`,
    );
  };
  for (const v of f.vmas) for (let i = from; i < v.pte.length; i++) yield* zapPte(t, v, i, check);
}

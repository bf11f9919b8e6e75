// khugepaged's collapse_huge_page() for an anonymous range mapped by one
// page table (mm/khugepaged.c, v5.x–v6.x), the part that races with
// lockless walkers: mmap_lock held for write keeps faults out, but not
// GUP-fast, which takes no lock. So the pmd is cleared first
// (pmdp_collapse_flush: the TLB flush, an IPI where the architecture sends
// one, is a full barrier after the clear), then each page is isolated only
// if it has no references beyond its mappings (is_refcount_suitable: a
// GUP pin would be such a reference), then the pages are copied into the
// huge page, their ptes cleared and the pages freed, and the pmd made to
// map the huge page. If a page has extra references the pmd is restored
// (pmd_populate) and the collapse gives up.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { smpMb } from "../kernel/barriers.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { putPage } from "./pageRef.ts";
import { pageRemoveRmap } from "./pageTable.ts";
import { pageAddNewAnonRmap } from "./anonymous.ts";
import { PMD_NONE, PMD_TABLE } from "./hugePmd.ts";
import type { PteTable } from "./pteTable.ts";
import { PTE_NONE } from "./vma.ts";

export interface CollapseOptions {
  /**
   * Whether pmdp_collapse_flush orders the cleared pmd before the reference
   * counts are read (the TLB flush's IPI or a fully ordered exchange does;
   * false is the counterfactual of an architecture whose flush does not,
   * which GUP-fast's pmd re-check alone cannot make safe).
   */
  readonly flushBarrier: boolean;
}

/**
 * collapse_huge_page(): replace the table's pages by `huge` (a new page,
 * its one reference the allocation's, which the pmd takes over). Returns
 * whether it collapsed.
 */
export function* collapseHugePage(t: ThreadContext, mc: Machine, pt: PteTable, huge: Page, o: CollapseOptions): Access<boolean> {
  t.step(`pmdp_collapse_flush(${pt.name})`);
  yield* spinLock(t, pt.pmdLock);
  yield* t.write(pt.pmd, PMD_NONE, "once", undefined, `pmdp_collapse_flush(${pt.name})`);
  yield* spinUnlock(t, pt.pmdLock);
  if (o.flushBarrier) yield* smpMb(t);

  t.step(`__collapse_huge_page_isolate(${pt.name})`);
  yield* spinLock(t, pt.ptl);
  const pages: { index: number; page: Page }[] = [];
  let suitable = true;
  for (let i = 0; i < pt.pte.length && suitable; i++) {
    const pte = yield* t.read(pt.pte[i]!, "once");
    if (pte === PTE_NONE) continue;
    const page = mc.pageById(pte)!;
    const refs = yield* t.read(page.refcount, "once");
    const maps = yield* t.read(page.mapcount, "once");
    if (refs !== maps) suitable = false; // is_refcount_suitable(): a pin or another user
    else pages.push({ index: i, page });
  }
  if (!suitable) {
    t.step(`collapse_huge_page(${pt.name}): pmd_populate (abort)`);
    yield* spinUnlock(t, pt.ptl);
    yield* spinLock(t, pt.pmdLock);
    yield* t.write(pt.pmd, PMD_TABLE, "once", undefined, `pmd_populate(${pt.name})`);
    yield* spinUnlock(t, pt.pmdLock);
    return false;
  }

  t.step(`__collapse_huge_page_copy(${pt.name})`);
  for (const { index, page } of pages) {
    yield* t.write(pt.pte[index]!, PTE_NONE, "once", undefined, `pte_clear(${pt.name}[${index}])`);
    yield* pageRemoveRmap(t, page);
  }
  yield* spinUnlock(t, pt.ptl);
  for (const { page } of pages) yield* putPage(t, page);

  t.step(`set_pmd_at(${pt.name}, huge ${huge.name})`);
  yield* spinLock(t, pt.pmdLock);
  yield* pageAddNewAnonRmap(t, huge);
  yield* t.write(pt.pmd, huge.id, "once", undefined, `set_pmd_at(${pt.name})`);
  yield* spinUnlock(t, pt.pmdLock);
  return true;
}

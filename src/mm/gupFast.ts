// GUP-fast (mm/gup.c, the generic version since 2667f50e8b81, v3.18, with
// PTE-mapped THP tails since 7aef4172c795, v4.5): walk the page table
// without mmap_lock or the page-table locks, with interrupts off so the
// tables are not freed under the walk. The walk reads an entry, takes a
// speculative reference on the compound head of the page it maps
// (try_get_compound_head: never from 0, so never on a page being freed or
// frozen for a split), and then reads the entry again: if it changed, the
// reference may be on the wrong page (the huge page was split, the page
// was unmapped and reused) and the walk backs off.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { getPageUnlessZero, putPage } from "./pageRef.ts";
import { PMD_TABLE, pmdPageId, pmdTransHuge } from "./hugePmd.ts";
import { ptePageId, ptePresent } from "./pte.ts";
import { compoundHead, type Thp } from "./thpSplit.ts";

export interface GupFastOptions {
  /** The re-read of the entry after the speculative reference; false is a walk without it (counterfactual). */
  readonly recheck: boolean;
}

/**
 * get_user_pages_fast() for subpage `index` of a THP's range, v4.5–v5.x:
 * gup_pmd_range → gup_huge_pmd (a huge pmd: the reference on its head,
 * then the pmd re-checked) or gup_pte_range (a page table: the reference on
 * the pte's page's compound head, then the pte re-checked). Returns the
 * subpage, its reference held on its compound head, or undefined (the
 * caller falls back to the slow path).
 */
export function* getUserPagesFast(t: ThreadContext, mc: Machine, thp: Thp, index: number, o: GupFastOptions): Access<Page | undefined> {
  t.step(`gup_pmd_range(${thp.pmd.name}): READ_ONCE(*pmd)`);
  const pmd = yield* t.read(thp.pmd.pmd, "once");
  if (pmdTransHuge(pmd)) {
    const head = mc.pageById(pmdPageId(pmd))!;
    const page = index === 0 ? head : thp.tail;
    t.step(`gup_huge_pmd: try_get_compound_head(${head.name})`);
    if (!(yield* getPageUnlessZero(t, head))) return undefined;
    if (o.recheck) {
      t.step(`gup_huge_pmd: pmd unchanged?`);
      if ((yield* t.read(thp.pmd.pmd, "once")) !== pmd) {
        yield* putPage(t, head);
        return undefined;
      }
    }
    return page;
  }
  if (pmd !== PMD_TABLE) return undefined;
  t.step(`gup_pte_range(${thp.table.name}, ${index})`);
  const pte = yield* t.read(thp.table.pte[index]!, "once");
  if (!ptePresent(pte)) return undefined;
  const page = mc.pageById(ptePageId(pte))!;
  const head = yield* compoundHead(t, mc, page);
  if (!(yield* getPageUnlessZero(t, head))) return undefined;
  if (o.recheck && (yield* t.read(thp.table.pte[index]!, "once")) !== pte) {
    yield* putPage(t, head);
    return undefined;
  }
  return page;
}

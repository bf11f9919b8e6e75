// GUP-fast through a page table that khugepaged may take away (mm/gup.c,
// gup_pte_range). The walk reads the pmd and the pte without locks, takes a
// speculative reference on the page (try_grab_folio: never from 0, a fully
// ordered RMW) and re-reads what it walked. Re-reading the pte alone
// (v4.5 until the fix) misses a collapse: khugepaged clears the pmd, checks that no
// page has extra references, and only then copies the pages and clears
// their ptes, so a reference taken after that check finds the pte still in
// place. 70cbc3cc78a9 "mm: gup: fix the fast GUP race against THP
// collapse" (Yang Shi, 2022) re-reads the pmd too. It pairs, as store
// buffering, with the full barrier khugepaged's pmdp_collapse_flush makes
// between clearing the pmd and reading the counts (khugepagedCollapse.ts).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { getPageUnlessZero, putPage } from "./pageRef.ts";
import { PMD_TABLE } from "./hugePmd.ts";
import type { PteTable } from "./pteTable.ts";
import { PTE_NONE } from "./vma.ts";

/** What gup_pte_range re-reads after taking its reference. */
export type GupFastRecheck =
  /** v4.5 until 70cbc3cc78a9: the pte only. */
  | "pte"
  /** 70cbc3cc78a9 (2022): the pmd as well as the pte. */
  | "pmd-and-pte";

/**
 * get_user_pages_fast() for pte `index` of a page table: the page, with a
 * reference the caller drops with putPage, or undefined (the caller falls
 * back to the slow path).
 */
export function* gupFastPteRange(t: ThreadContext, mc: Machine, pt: PteTable, index: number, recheck: GupFastRecheck): Access<Page | undefined> {
  t.step(`gup_pmd_range(${pt.name})`);
  const pmd = yield* t.read(pt.pmd, "once");
  if (pmd !== PMD_TABLE) return undefined;
  t.step(`gup_pte_range(${pt.name}[${index}])`);
  const pte = yield* t.read(pt.pte[index]!, "once");
  if (pte === PTE_NONE) return undefined;
  const page = mc.pageById(pte)!;
  t.step(`try_grab_folio(${page.name})`);
  if (!(yield* getPageUnlessZero(t, page))) return undefined;
  t.step(`gup_pte_range: re-check ${recheck === "pte" ? "pte" : "pmd and pte"}`);
  const pmdSame = recheck === "pte" || (yield* t.read(pt.pmd, "once")) === pmd;
  const pteSame = pmdSame && (yield* t.read(pt.pte[index]!, "once")) === pte;
  if (!pteSame) {
    yield* putPage(t, page);
    return undefined;
  }
  return page;
}

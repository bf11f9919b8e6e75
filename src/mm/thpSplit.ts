// Splitting a transparent huge page (mm/huge_memory.c), with the refcount
// scheme of the v4.5 THP rework: a compound page's references all live on
// its head; a tail's _refcount is 0 and compound_head() leads to the head.
// split_huge_page may only split a page nobody else holds: it unmaps it
// (the pmd becomes a page table of migration entries), then freezes the
// head's count at exactly the references it expects (page_ref_freeze). A
// speculative reference taken by GUP-fast either comes first, and the
// freeze fails (the split backs off and remaps the page), or finds the
// count frozen at 0, or comes after the split: then it is on the head of
// what is now a small page, and only GUP-fast's re-check of the pmd tells
// it that the page it meant is not that page's tail any more.
//
// A THP here is an order-1 compound page: head and one tail.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { clearBit } from "../kernel/bitops.ts";
import { refFreeze, refUnfreeze } from "../kernel/refcount.ts";
import type { Machine } from "./machine.ts";
import { ANON_MAPPING, type Page } from "./page.ts";
import { lockPage, unlockPage } from "./pageCache.ts";
import { pageAddRmap } from "./pageTable.ts";
import { putPage } from "./pageRef.ts";
import { HugePmd, PMD_TABLE } from "./hugePmd.ts";
import { makeMigrationEntryPte, mkPte, ptePageId } from "./pte.ts";
import type { Vma } from "./vma.ts";

/** An anonymous THP mapped by a huge pmd, with the page table a split puts under that pmd. */
export interface Thp {
  readonly head: Page;
  readonly tail: Page;
  readonly pmd: HugePmd;
  /** The page table (two ptes) the pmd points to once split; its ptes start none. */
  readonly table: Vma;
}

/**
 * Declares an order-1 THP mapped by `pmd`: the head holds the pmd's
 * reference and compound mapcount plus `extraRefs` (a caller's), the tail
 * points at the head (compound_head, the v4.4+ encoding) with _refcount 0.
 */
export function declareThp(mc: Machine, pmd: HugePmd, head: Page, tail: Page, table: Vma, extraRefs = 0): Thp {
  const m = mc.m;
  m.initialize(head.refcount, 1 + extraRefs);
  m.initialize(head.mapcount, 1);
  m.initialize(head.mapping, ANON_MAPPING);
  m.initialize(tail.refcount, 0);
  m.initialize(tail.mapping, ANON_MAPPING);
  m.initialize(tail.compoundHead, head.id * 2 + 1);
  return { head, tail, pmd, table };
}

/**
 * I-FREE at quiescence for a machine with compound pages: no freed page is
 * mapped by a pte, where a tail (whose count lives on its head, so its own
 * _refcount is 0) is not a freed page. Machine.checkFree counts every page
 * at count 0 as freed, which a PTE-mapped THP's tail is not.
 */
export function checkFreeCompound(mc: Machine, name = "I-FREE: no freed page is still mapped (a tail's count lives on its head)"): void {
  mc.m.forall(name, (s) => {
    const freed = new Set(mc.pages.filter((p) => s.int(p.refcount) === 0 && (s.int(p.compoundHead) & 1) === 0).map((p) => p.id));
    return mc.vmas.every((v) => v.pte.every((pte) => !freed.has(ptePageId(s.int(pte)))));
  });
}

/** compound_head(page), v4.4+: the head a tail points to, or the page itself. */
export function* compoundHead(t: ThreadContext, mc: Machine, p: Page): Access<Page> {
  const h = yield* t.read(p.compoundHead, "once");
  return (h & 1) !== 0 ? mc.pageById(h >> 1)! : p;
}

/** put_page(page) for a GUP-fast page, v4.5+ (put_user_page): the reference belongs to the compound head (read now: a split may have made a tail a page of its own). */
export function* putUserPage(t: ThreadContext, mc: Machine, p: Page): Access<void> {
  const head = yield* compoundHead(t, mc, p);
  yield* putPage(t, head);
}


/**
 * split_huge_page(), v4.5–v5.x, called with a reference on the head (the
 * `extraRefs` of declareThp): lock the page; unmap it, the pmd becoming a
 * page table of migration entries (freeze_page / unmap_page, under the
 * pmd lock, dropping the pmd's mapping and reference); freeze the head's
 * count at 1 (the caller's). If that works, split: the tail gets its own
 * count and loses its compound_head, the count is unfrozen, and the ptes
 * map each page (remove_migration_ptes). If a reference came in meanwhile
 * the freeze fails and the page is remapped as a PTE-mapped THP (each pte
 * holding a reference on the head). Unlock, drop the caller's reference.
 * Returns whether it split.
 */
export function* splitHugePage(t: ThreadContext, thp: Thp): Access<boolean> {
  const { head, tail, pmd, table } = thp;
  t.step(`split_huge_page(${head.name}): lock_page`);
  yield* lockPage(t, head);
  t.step(`split_huge_page(${head.name}): unmap, the pmd becomes a page table of migration entries`);
  yield* spinLock(t, pmd.ptl);
  yield* t.write(table.pte[0]!, makeMigrationEntryPte(head.id, false), "once", undefined, `set_pte(${table.name}, 0) := migration entry`);
  yield* t.write(table.pte[1]!, makeMigrationEntryPte(tail.id, false), "once", undefined, `set_pte(${table.name}, 1) := migration entry`);
  yield* t.write(pmd.pmd, PMD_TABLE, "release", undefined, `pmd_populate(${pmd.name})`);
  yield* t.rmw(head.mapcount, (c) => c - 1, "mb", `page_remove_rmap(${head.name}, compound)`);
  yield* spinUnlock(t, pmd.ptl);
  yield* putPage(t, head);
  t.step(`split_huge_page(${head.name}): page_ref_freeze(1)`);
  const frozen = yield* refFreeze(t, head.refcount, 1);
  if (frozen) {
    t.step(`__split_huge_page(${head.name})`);
    yield* t.write(tail.refcount, 1, "once", undefined, `${tail.name}._refcount = 1 (its mapping)`);
    yield* t.write(tail.compoundHead, 0, "release", undefined, `clear_compound_head(${tail.name})`);
    yield* clearBit(t, tail.flag("tail"));
    yield* clearBit(t, head.flag("head"));
    yield* refUnfreeze(t, head.refcount, 2);
  } else {
    t.step(`split_huge_page(${head.name}): -EBUSY, remap as a PTE-mapped THP`);
    yield* t.rmw(head.refcount, (c) => c + 2, "mb", `page_ref_add(${head.name}, 2)`);
  }
  t.step(`remove_migration_ptes(${head.name})`);
  yield* spinLock(t, pmd.ptl);
  for (const [i, p] of [head, tail].entries()) {
    yield* pageAddRmap(t, p);
    yield* t.write(table.pte[i]!, mkPte(p.id), "once", undefined, `set_pte(${table.name}, ${i}) := ${p.name}`);
  }
  yield* spinUnlock(t, pmd.ptl);
  yield* unlockPage(t, head);
  yield* putPage(t, head);
  return frozen;
}

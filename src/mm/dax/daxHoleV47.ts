// DAX holes with the entry lock (ac401cc78242 "dax: New fault locking",
// v4.7): the fault locks the index's radix-tree entry before get_block, and
// keeps it locked, or the hole page that replaced it, until the pte is set.
// A read fault on a hole turns its locked empty entry into a locked hole
// page; a write fault that finds a hole page (locked, by grab_mapping_entry)
// unmaps it everywhere, puts a locked pfn entry in its slot and drops it.
// So a read fault and a write fault on one hole are serialised, and the
// hole page can never stay mapped after the block exists.
//
// The get_block, zeroing and conversion are v4.2's (as in daxFaultEntryLock),
// so the locking is the only difference from daxFaultHolePagesV42.

import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { NO_PAGE } from "../addressSpace.ts";
import type { Page } from "../page.ts";
import { lockPage, unlockPage } from "../pageCache.ts";
import { getPage, putPage } from "../pageRef.ts";
import { installPte } from "../pageTable.ts";
import { NO_MAPPING } from "../page.ts";
import { convertUnwritten, getBlock, getBlockCreate, unmapMappingRangeV42, type Extent } from "./daxFs.ts";
import { daxInsertMappingUnlocked, type FaultResult } from "./daxFault.ts";
import { EMPTY_LOCKED_ENTRY, daxEntry, DAX_LOCKED, forgetEntryLock, grabMappingEntry, isDaxEntry, noteEntryLock, putLockedMappingEntry } from "./daxEntry.ts";
import { findOrCreatePage, type HoleFaultArgs } from "./daxHole.ts";

/** grab_mapping_entry, v4.7: the locked DAX entry (undefined), or the hole page in the slot, referenced and locked. */
function* grabEntryOrPage(t: ThreadContext, a: HoleFaultArgs): Access<Page | undefined> {
  t.step("grab_mapping_entry");
  const old = yield* grabMappingEntry(t, a.f.as, a.index);
  if (old === NO_PAGE || isDaxEntry(old)) return undefined;
  const page = a.dm.mc.pageById(old)!;
  // get_page under the tree lock, then lock_page; the page->mapping re-check is left out (nothing truncates here).
  yield* getPage(t, page);
  t.step(`grab_mapping_entry: lock_page(${page.name})`);
  yield* lockPage(t, page);
  return page;
}

/** dax_load_hole + do_set_pte, v4.7: the hole page replaces the locked empty entry (or is the one grabbed), is mapped, unlocked. */
function* daxLoadHoleV47(t: ThreadContext, a: HoleFaultArgs, page: Page | undefined): Access<FaultResult> {
  t.step("dax_load_hole: find_or_create_page");
  let p = page;
  if (p === undefined) {
    p = yield* findOrCreatePage(t, a, EMPTY_LOCKED_ENTRY);
    forgetEntryLock(t, a.f.as, a.index);
  }
  if (p === undefined) return "hole";
  t.step(`do_set_pte(${p.name})`);
  if (!(yield* installPte(t, a.vma, a.index, p))) yield* putPage(t, p);
  t.step(`unlock_page(${p.name})`);
  yield* unlockPage(t, p);
  return "hole";
}

/** dax_insert_mapping_entry, v4.7, hole_fill: unmap the locked hole page, swap it in the slot for a locked pfn entry, drop it. */
function* replaceHolePage(t: ThreadContext, a: HoleFaultArgs, page: Page, e: Extent & { block: NonNullable<Extent["block"]> }): Access<void> {
  t.step(`dax_insert_mapping_entry: unmap_mapping_range (${page.name})`);
  yield* unmapMappingRangeV42(t, a.dm, a.f, a.index, a.index + 1);
  t.step(`dax_insert_mapping_entry: ${page.name} -> entry(pfn ${e.block.name})`);
  yield* t.write(a.f.as.iPages[a.index]!, daxEntry(e.block.pfn, DAX_LOCKED), "once", undefined, `${a.f.name}.i_pages[${a.index}] := entry(pfn ${e.block.name})`);
  noteEntryLock(t, a.f.as, a.index);
  yield* t.write(page.mapping, NO_MAPPING, "once", undefined, `${page.name}.mapping = NULL`);
  yield* putPage(t, page);
  yield* unlockPage(t, page);
  yield* putPage(t, page);
}

/** dax_fault after ac401cc78242 (v4.7), with its hole pages. */
export function* daxFaultHolePagesV47(t: ThreadContext, a: HoleFaultArgs): Access<FaultResult> {
  const { dm, f, index } = a;
  t.step("dax_fault: check i_size");
  if (index >= (yield* t.read(f.as.iSize, "once"))) return "sigbus";
  const page = yield* grabEntryOrPage(t, a);
  t.step(`get_block(${index})`);
  let e: Extent = yield* getBlock(t, dm, f, index);
  if (e.block === undefined) {
    if (!a.write) return yield* daxLoadHoleV47(t, a, page);
    t.step(`get_block(${index}, create)`);
    e = yield* getBlockCreate(t, dm, f, index);
  }
  let r: FaultResult = "hole";
  if (e.block !== undefined) {
    const mapped = { ...e, block: e.block };
    if (page !== undefined) yield* replaceHolePage(t, a, page, mapped);
    else {
      t.step("dax_insert_mapping_entry");
      yield* t.write(f.as.iPages[index]!, daxEntry(e.block.pfn, DAX_LOCKED), "once", undefined, `${f.name}.i_pages[${index}] := entry(pfn ${e.block.name})`);
    }
    r = yield* daxInsertMappingUnlocked(t, a, mapped);
    if (e.unwritten && r === "mapped") {
      t.step("complete_unwritten");
      yield* convertUnwritten(t, f, index, e.block);
    }
  } else if (page !== undefined) {
    yield* unlockPage(t, page);
    yield* putPage(t, page);
    return r;
  }
  t.step("put_locked_mapping_entry");
  yield* putLockedMappingEntry(t, f.as, index);
  return r;
}

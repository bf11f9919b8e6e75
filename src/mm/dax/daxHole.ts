// Read faults on DAX holes before v4.7: the hole is mapped with an ordinary
// page-cache page (dax_load_hole), and a later write fault that allocates
// the block must shoot that page out of every mapping and the page cache
// before it inserts the pfn. This is the path where 843172978bb9 + 46c043ede471
// (v4.3-rc) take i_mmap_rwsem twice: the write fault holds it for write
// from before get_block, and unmap_mapping_range takes it for write again.
//
// daxFault.ts leaves these page-cache lookups out; the faults here are
// __dax_fault with them, for models in which hole pages exist.

import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { downWrite, upWrite } from "../../kernel/rwsem.ts";
import { noteAcquired } from "../../kernel/kernelThread.ts";
import { NO_PAGE } from "../addressSpace.ts";
import type { Page } from "../page.ts";
import { deleteFromPageCache, findGetPage, findLockPage, lockPage, unlockPage } from "../pageCache.ts";
import { putPage } from "../pageRef.ts";
import { installPte } from "../pageTable.ts";
import { getBlock, getBlockCreate, convertUnwritten, unmapMappingRangeV42, type Extent } from "./daxFs.ts";
import { daxInsertMappingUnlocked, daxInsertMappingV42, type DaxFaultArgs, type FaultResult } from "./daxFault.ts";

export interface HoleFaultArgs extends DaxFaultArgs {
  /** The free page find_or_create_page allocates for the hole (the model declares it up front). */
  readonly holePage: Page;
}

/**
 * find_or_create_page, v4.2: find and lock the cached page, or allocate one,
 * lock it before anyone can see it, and publish it in i_pages (a check and a
 * store into the slot stand for add_to_page_cache_lru). From
 * v4.7 the slot it fills holds the fault's locked empty DAX entry
 * (`emptySlot`), which page_cache_tree_insert lets a page replace.
 */
export function* findOrCreatePage(t: ThreadContext, a: HoleFaultArgs, emptySlot = NO_PAGE): Access<Page | undefined> {
  const mc = a.dm.mc;
  const found = yield* findLockPage(t, mc, a.f.as, a.index);
  if (found !== undefined) return found;
  const p = a.holePage;
  yield* t.write(p.refcount, 2, "once", undefined, `alloc ${p.name}: refs of the caller and the page cache`);
  yield* t.write(p.mapping, a.f.as.id, "once", undefined, `${p.name}.mapping = ${a.f.name}`);
  yield* t.write(p.flag("locked").loc, 1 << p.flag("locked").bit, "once", undefined, `__SetPageLocked(${p.name})`);
  noteAcquired(t, p.flag("locked").name, "bit-lock");
  // Under the tree lock in the kernel; here a check and a store, which is
  // the same as long as one thread per model creates hole pages (asserted).
  const old = yield* t.read(a.f.as.iPages[a.index]!, "once");
  t.assert(old === emptySlot, `model limit: a second hole page for ${a.f.name}[${a.index}]`);
  yield* t.write(a.f.as.iPages[a.index]!, p.id, "once", undefined, `add_to_page_cache(${p.name})`);
  return p;
}

/** dax_load_hole + do_read_fault's do_set_pte, v4.2: the locked hole page, i_size re-checked under its lock, mapped, unlocked. */
export function* daxLoadHoleV42(t: ThreadContext, a: HoleFaultArgs, page: Page | undefined): Access<FaultResult> {
  t.step("dax_load_hole: find_or_create_page");
  const p = page ?? (yield* findOrCreatePage(t, a));
  if (p === undefined) return "hole";
  t.step("dax_load_hole: re-check i_size under the page lock");
  const ok = a.index < (yield* t.read(a.f.as.iSize, "once"));
  let r: FaultResult = "sigbus";
  if (ok) {
    t.step(`do_set_pte(${p.name})`);
    r = "hole";
    if (!(yield* installPte(t, a.vma, a.index, p))) yield* putPage(t, p);
  } else yield* putPage(t, p);
  t.step(`unlock_page(${p.name})`);
  yield* unlockPage(t, p);
  return r;
}

type HoleLocking = "v4.2" | "843172978bb9";

/**
 * __dax_fault with its hole-page handling: v4.2 (and after 0f90cc6609c7)
 * takes i_mmap_rwsem only for read inside dax_insert_mapping; with
 * 843172978bb9 a fault that found no page takes it for write before
 * get_block and drops it at the very end (or before dax_load_hole).
 */
function* daxFaultHolePages(t: ThreadContext, a: HoleFaultArgs, locking: HoleLocking): Access<FaultResult> {
  const { dm, f, index } = a;
  t.step("__dax_fault: check i_size");
  if (index >= (yield* t.read(f.as.iSize, "once"))) return "sigbus";
  t.step("__dax_fault: find_get_page");
  let page = yield* findGetPage(t, dm.mc, f.as, index);
  if (page !== undefined) {
    // lock_page_or_retry; its page->mapping and i_size re-checks are left out (nothing truncates where hole pages are modelled).
    t.step(`lock_page(${page.name})`);
    yield* lockPage(t, page);
  } else if (locking === "843172978bb9") {
    t.step("i_mmap_lock_write");
    yield* downWrite(t, f.as.iMmapRwsem);
  }
  const heldWrite = page === undefined && locking === "843172978bb9";
  t.step(`get_block(${index})`);
  let e: Extent = yield* getBlock(t, dm, f, index);
  let major = false;
  if (e.block === undefined) {
    if (!a.write) {
      if (heldWrite) {
        t.step("i_mmap_unlock_write");
        yield* upWrite(t, f.as.iMmapRwsem);
      }
      return yield* daxLoadHoleV42(t, a, page);
    }
    t.step(`get_block(${index}, create)`);
    e = yield* getBlockCreate(t, dm, f, index);
    major = true;
  }
  if (page === undefined && major) {
    t.step("find_lock_page: a racing read fault's hole page?");
    page = yield* findLockPage(t, dm.mc, f.as, index);
  }
  if (page !== undefined) {
    t.step(`unmap_mapping_range: shoot out ${page.name}`);
    yield* unmapMappingRangeV42(t, dm, f, index, index + 1);
    t.step(`delete_from_page_cache(${page.name})`);
    yield* deleteFromPageCache(t, f.as, page, index);
    yield* unlockPage(t, page);
    yield* putPage(t, page);
  }
  let r: FaultResult = "hole";
  if (e.block !== undefined) {
    const insert = locking === "v4.2" ? daxInsertMappingV42 : daxInsertMappingUnlocked;
    r = yield* insert(t, a, { ...e, block: e.block });
    if (e.unwritten && r === "mapped") {
      t.step("complete_unwritten");
      yield* convertUnwritten(t, f, index, e.block);
    }
  }
  if (heldWrite) {
    t.step("i_mmap_unlock_write");
    yield* upWrite(t, f.as.iMmapRwsem);
  }
  return r;
}

/** __dax_fault, v4.2 and again after 0f90cc6609c7 "mm, dax: fix DAX deadlocks" (v4.3): nothing held across get_block. */
export const daxFaultHolePagesV42 = (t: ThreadContext, a: HoleFaultArgs): Access<FaultResult> => daxFaultHolePages(t, a, "v4.2");

/** __dax_fault with 843172978bb9 and 46c043ede471 (v4.3-rc1): i_mmap_rwsem(write) from before get_block, while unmap_mapping_range takes it again. */
export const daxFaultHolePagesV43rc = (t: ThreadContext, a: HoleFaultArgs): Access<FaultResult> => daxFaultHolePages(t, a, "843172978bb9");

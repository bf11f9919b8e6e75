// hugetlbfs faults and hole punch (mm/hugetlb.c, fs/hugetlbfs/inode.c),
// v4.3–v4.5. A hugetlbfs page is not read in: a fault on a hole allocates
// a huge page, adds it to the page cache and maps it, all under the
// hugetlb_fault_mutex of its (mapping, index), one of a table of mutexes
// hashed on the pair, since faults on one index must not both allocate. The
// VMAs here map one huge page per index, so a Vma's pte is the huge pte.
//
// fallocate(PUNCH_HOLE) (hugetlbfs_punch_hole, 70c3547e36f5, v4.3) first
// unmaps the range from every VMA (hugetlb_vmdelete_list, under
// i_mmap_rwsem held for write), then removes the pages from the page
// cache (remove_inode_hugepages), each under the fault mutex of its index.
// A fault between the two maps the page again. Until v4.4
// remove_inode_hugepages then found the page mapped and left it ("Do
// nothing in this race case"): the page stayed in the hole, in the page
// cache and mapped, after fallocate returned. 4aae8d1c051e
// ("mm/hugetlbfs: unmap pages if page fault raced with hole punch", v4.5)
// unmaps it there, under the fault mutex (which keeps further faults out
// until the page is gone), and removes it.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { describeLockWord, spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { mutexLock, mutexUnlock } from "../kernel/mutex.ts";
import { downWrite, upWrite } from "../kernel/rwsem.ts";
import type { AddressSpace } from "./addressSpace.ts";
import { addToPageCacheLru } from "./addToPageCache.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { allocPage, type PageAllocator } from "./pageAlloc.ts";
import { deleteFromPageCache, findGetPage, findLockPage, lockPage, unlockPage } from "./pageCache.ts";
import { putPage } from "./pageRef.ts";
import { pageAddRmap, zapPteRange } from "./pageTable.ts";
import { isMigrationEntryPte, mkPte } from "./pte.ts";
import { pageDataOf, writePageData } from "./pageData.ts";
import { migrationEntryWait, type MigrationEntryWaitDesign } from "./migrationEntry.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

/** hugetlb_fault_mutex_table: `size` mutexes (num_fault_mutexes, a power of two in the kernel); faults and hole punch on a (mapping, index) take the one it hashes to. */
export class HugetlbFaultMutexTable {
  readonly mutexes: readonly Loc[];

  constructor(
    mc: Machine,
    readonly size = 1,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`hugetlb_fault_mutex_table: size ${size}`);
    this.mutexes = mc.m.array("hugetlb_fault_mutex", size, 0);
    describeLockWord(mc.m, this.mutexes);
  }

  /**
   * hugetlb_fault_mutex_hash(), v4.3+, for a shared mapping: a hash of
   * (mapping, index) into the table (the kernel's is jhash2, this one a
   * simple mix: which indices share a mutex changes contention, not correctness).
   */
  hash(f: AddressSpace, index: number): number {
    return (f.id * 31 + index) % this.size;
  }

  /** The mutex of (f, index). */
  mutexFor(f: AddressSpace, index: number): Loc {
    return this.mutexes[this.hash(f, index)]!;
  }
}

/**
 * hugetlb_no_page(), v4.4, for a shared mapping, fault mutex held: find
 * the page in the page cache, locked; if there is none, check i_size,
 * allocate one (alloc_huge_page; a fresh huge page is zeroed and
 * uptodate) and add it to the page cache (huge_add_to_page_cache, which
 * locks it and takes the cache's reference; if the slot filled meanwhile,
 * free it and look again). Under the PTL, re-check i_size and that the pte
 * is still none, then map the page (page_dup_rmap; the allocation's or the
 * lookup's reference becomes the pte's). Unlock the page. Returns whether
 * this fault mapped it.
 */
export function* hugetlbNoPage(t: ThreadContext, mc: Machine, alloc: PageAllocator, v: Vma, index: number): Access<boolean> {
  const f = v.file;
  for (;;) {
    t.step(`hugetlb_no_page(${v.name}, ${index}): find_lock_page`);
    let page = yield* findLockPage(t, mc, f, index);
    if (page === undefined) {
      if (index >= (yield* t.read(f.iSize, "once"))) return false;
      t.step(`hugetlb_no_page(${v.name}, ${index}): alloc_huge_page`);
      const fresh = yield* allocPage(t, alloc);
      if (fresh === undefined) return false; // VM_FAULT_OOM (SIGBUS)
      if (pageDataOf(fresh) !== undefined) yield* writePageData(t, fresh, 0); // clear_huge_page
      if (!(yield* addToPageCacheLru(t, f, fresh, index))) {
        yield* putPage(t, fresh);
        continue; // -EEXIST: retry
      }
      page = fresh;
    }
    t.step(`hugetlb_no_page(${v.name}, ${index}): huge_pte_lock`);
    yield* spinLock(t, v.ptl);
    const inFile = index < (yield* t.read(f.iSize, "once"));
    const mapped = inFile && (yield* t.read(v.pte[index]!, "once")) === PTE_NONE;
    if (mapped) {
      yield* pageAddRmap(t, page);
      yield* t.write(v.pte[index]!, mkPte(page.id), "once", undefined, `set_huge_pte_at(${v.name}, ${index}) := ${page.name}`);
    }
    yield* spinUnlock(t, v.ptl);
    yield* unlockPage(t, page);
    if (!mapped) yield* putPage(t, page); // backout
    return mapped;
  }
}

export interface HugetlbFaultOptions {
  /**
   * How a fault that finds a migration entry waits (migration_entry_wait_huge).
   * Default "page-ref", the wait of the v4.4 this file models: a reference
   * taken with get_page_unless_zero under the PTL, held across the sleep.
   */
  readonly migrationEntryWait?: MigrationEntryWaitDesign;
}

/**
 * hugetlb_fault(), v4.4, on `v[index]` of a shared hugetlbfs mapping: a
 * migration entry is waited for (`migrationEntryWait`, v4.4's "page-ref"
 * unless told otherwise; the fault is retried by the caller);
 * otherwise, under the fault mutex of (mapping, index), a none pte goes to
 * hugetlb_no_page. A present pte needs nothing more for a read fault.
 * Returns whether this fault mapped the page.
 */
export function* hugetlbFault(t: ThreadContext, mc: Machine, alloc: PageAllocator, table: HugetlbFaultMutexTable, v: Vma, index: number, opts: HugetlbFaultOptions = {}): Access<boolean> {
  t.step(`hugetlb_fault(${v.name}, ${index})`);
  if (isMigrationEntryPte(yield* t.read(v.pte[index]!, "once"))) {
    yield* migrationEntryWait(t, mc, v, index, opts.migrationEntryWait ?? "page-ref");
    return false;
  }
  const mutex = table.mutexFor(v.file, index);
  yield* mutexLock(t, mutex);
  const mapped = (yield* t.read(v.pte[index]!, "once")) === PTE_NONE && (yield* hugetlbNoPage(t, mc, alloc, v, index));
  yield* mutexUnlock(t, mutex);
  return mapped;
}

/**
 * hugetlb_vmdelete_list(), v4.3+, caller holding i_mmap_rwsem for write:
 * unmap [from, to) from every VMA of the file (unmap_hugepage_range: under
 * the PTL clear each huge pte and drop its rmap; the references go after
 * the TLB flush).
 */
export function* hugetlbVmdeleteList(t: ThreadContext, mc: Machine, f: AddressSpace, from: number, to: number): Access<void> {
  for (const v of f.vmas) {
    t.step(`unmap_hugepage_range(${v.name}, [${from}, ${to}))`);
    yield* zapPteRange(t, mc, v, from, to, { evenCows: true });
  }
}

/** What remove_inode_hugepages does with a page a fault mapped after the hole was unmapped. */
export type RaceWithFault =
  /** v4.3–v4.4: "Do nothing in this race case": the page stays, mapped and cached. */
  | "skip-mapped"
  /** 4aae8d1c051e (v4.5): unmap it again under the fault mutex, then remove it. */
  | "unmap-mapped";

/**
 * remove_inode_hugepages(), v4.3–v4.5, for a hole punch of [from, to):
 * look each page up with a reference (pagevec_lookup); under the fault
 * mutex of its index, a page found mapped is left (`skip-mapped`) or
 * unmapped again (`unmap-mapped`, i_mmap_rwsem for write); then, page
 * locked, it leaves the page cache (remove_huge_page); unlock, drop the
 * mutex, drop the lookup's reference. Returns the ids of the pages it left
 * in the page cache.
 */
export function* removeInodeHugepages(t: ThreadContext, mc: Machine, table: HugetlbFaultMutexTable, f: AddressSpace, from: number, to: number, race: RaceWithFault): Access<number[]> {
  const left: number[] = [];
  for (let i = from; i < Math.min(to, f.iPages.length); i++) {
    t.step(`remove_inode_hugepages: index ${i}`);
    const page = yield* findGetPage(t, mc, f, i);
    if (page === undefined) continue;
    const mutex = table.mutexFor(f, i);
    yield* mutexLock(t, mutex);
    if (race === "unmap-mapped" && (yield* pageMapped(t, page))) {
      t.step(`remove_inode_hugepages: ${page.name} was faulted in after the unmap, unmap it again`);
      yield* downWrite(t, f.iMmapRwsem);
      yield* hugetlbVmdeleteList(t, mc, f, i, i + 1);
      yield* upWrite(t, f.iMmapRwsem);
    }
    yield* lockPage(t, page);
    if (race === "skip-mapped" && (yield* pageMapped(t, page))) {
      t.step(`remove_inode_hugepages: ${page.name} is mapped, do nothing in this race case`);
      left.push(page.id);
    } else {
      t.step(`remove_huge_page(${page.name})`);
      yield* deleteFromPageCache(t, f, page, i);
    }
    yield* unlockPage(t, page);
    yield* mutexUnlock(t, mutex);
    yield* putPage(t, page);
  }
  return left;
}

/**
 * hugetlbfs_punch_hole(), v4.3–v4.5, for [from, to): inode lock; under
 * i_mmap_rwsem for write, unmap the range from every VMA; then
 * remove_inode_hugepages. Returns the ids of the pages it left in the hole.
 */
export function* hugetlbfsPunchHole(t: ThreadContext, mc: Machine, table: HugetlbFaultMutexTable, f: AddressSpace, from: number, to: number, race: RaceWithFault): Access<number[]> {
  t.step("hugetlbfs_punch_hole: inode_lock");
  yield* downWrite(t, f.iRwsem);
  t.step("hugetlbfs_punch_hole: hugetlb_vmdelete_list");
  yield* downWrite(t, f.iMmapRwsem);
  yield* hugetlbVmdeleteList(t, mc, f, from, to);
  yield* upWrite(t, f.iMmapRwsem);
  const left = yield* removeInodeHugepages(t, mc, table, f, from, to, race);
  t.step("hugetlbfs_punch_hole: inode_unlock");
  yield* upWrite(t, f.iRwsem);
  return left;
}

/** checkHoleReadsZero's invariant. */
export const I_HOLE = "I-HOLE: once the hole is punched, it reads as zeroes";

/**
 * I-HOLE at quiescence, for a model whose hole punch of [from, to) of `f`
 * runs to its end and whose pages carry data (pageData.ts), the hole's
 * written before the punch and never after: every page left in the hole's
 * page-cache slots reads as zeroes. A fault after the punch brings in a
 * fresh, zeroed page, which is allowed (the kernel does not keep faults
 * out of a punched hole); a page that kept its data is one the punch left
 * behind. Pages without data are not judged.
 */
export function checkHoleReadsZero(mc: Machine, f: AddressSpace, from: number, to: number, name = I_HOLE): void {
  mc.m.forall(name, (s) => {
    for (let i = from; i < Math.min(to, f.iPages.length); i++) {
      const p = mc.pageById(s.int(f.iPages[i]!));
      const data = p === undefined ? undefined : pageDataOf(p);
      if (data !== undefined && s.int(data) !== 0) return false;
    }
    return true;
  });
}

/** page_mapped(): some pte maps the page. */
function* pageMapped(t: ThreadContext, p: Page): Access<boolean> {
  return (yield* t.read(p.mapcount, "once")) > 0;
}

// s7-10: hole punch vs read(2) through the page cache (730633f0b7f9, v5.15,
// "mm: Protect operations adding pages to page cache with invalidate_lock").
// The commit message's race:
//
//   fallocate(PUNCH_HOLE)                 read
//     truncate_inode_pages_range()
//                                         page not cached: add a page,
//                                         ->readpage maps block b1, reads it
//     free the blocks (b1)
//                                         <- F's page cache holds b1's old
//                                            data at an index that is a hole
//
// and once b1 is reused the cached page is stale data (written back, it
// would land in someone else's block). The fix: mapping->invalidate_lock,
// exclusive across the punch, shared wherever pages are added
// (page_cache_ra_unbounded, filemap_create_page, filemap_fault).
//
// The almost-fix is what ext4 had from ea3d7209ca01 (v4.5, "ext4: fix races
// between page faults and hole punching") until 5.15: the punch holds
// EXT4_I(inode)->i_mmap_sem for write, but only the fault path took it for
// read; read(2) and readahead did not, so the race is still there.
//
// The file's block map and the pages' contents are this scenario's own
// locations: F.extent[i] is the block at index i (0: a hole), and Q.data is
// the block a page's contents were read from (0: zeros).

import { model, type Model, type ModelBuilder } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import type { Loc } from "../../program/value.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import type { AddressSpace } from "../../mm/addressSpace.ts";
import type { Page } from "../../mm/page.ts";
import { truncatePagecache } from "../../mm/truncate.ts";
import { findGetPage, unlockPage } from "../../mm/pageCache.ts";
import { putPage } from "../../mm/pageRef.ts";
import { PageAllocator, allocPage } from "../../mm/pageAlloc.ts";
import { addToPageCacheLru } from "../../mm/addToPageCache.ts";
import { downRead, downWrite, upRead, upWrite } from "../../kernel/rwsem.ts";

export const I_PUNCH = "I-PUNCH: a page in F's page cache at index i holds what F has at i (its block's data, zeros in a hole)";

/** Which lock orders the punch against read(2). */
export type PunchLock = "none" | "fault-only" | "invalidate-lock";

interface BlockFile {
  readonly f: AddressSpace;
  /** extent[i]: the block mapped at index i, 0 for a hole. */
  readonly extent: readonly Loc[];
  /** data.get(page): the block the page's contents were read from, 0 for zeros. */
  readonly data: ReadonlyMap<Page, Loc>;
}

/**
 * ext4_punch_hole of [from, end), the page-cache part: inode_lock, then (by
 * version) i_mmap_sem / invalidate_lock for write, truncate_pagecache_range,
 * then ext4_ext_remove_space frees the blocks.
 */
function* punchHole(t: ThreadContext, mc: Machine, b: BlockFile, from: number, lock: PunchLock): Access<void> {
  const { f } = b;
  t.step("ext4_punch_hole: inode_lock");
  yield* downWrite(t, f.iRwsem);
  if (lock !== "none") {
    t.step(lock === "invalidate-lock" ? "filemap_invalidate_lock" : "down_write(i_mmap_sem)");
    yield* downWrite(t, f.invalidateLock);
  }
  t.step(`truncate_pagecache_range(${f.name}, ${from})`);
  yield* truncatePagecache(t, mc, f, from);
  for (let i = from; i < b.extent.length; i++) {
    t.step(`ext4_ext_remove_space: free ${f.name}'s block at ${i}`);
    yield* t.write(b.extent[i]!, 0, "once", undefined, `free block ${i + 1} (${f.name}.extent[${i}] = hole)`);
  }
  if (lock !== "none") {
    t.step(lock === "invalidate-lock" ? "filemap_invalidate_unlock" : "up_write(i_mmap_sem)");
    yield* upWrite(t, f.invalidateLock);
  }
  t.step("ext4_punch_hole: inode_unlock");
  yield* upWrite(t, f.iRwsem);
}

/**
 * filemap_read of one page: a cached page is used as it is; a missing one is
 * read in as page_cache_ra_unbounded does (allocate, add_to_page_cache_lru
 * locked, ->readpage maps the block and reads it, unlock). With the
 * invalidate_lock (5.15+) the adding and reading happen under it, shared.
 */
function* readPage(t: ThreadContext, mc: Machine, b: BlockFile, alloc: PageAllocator, index: number, lock: PunchLock): Access<void> {
  const { f } = b;
  t.step(`filemap_read(${f.name}, ${index}): find_get_page`);
  const p = yield* findGetPage(t, mc, f, index);
  if (p !== undefined) {
    yield* putPage(t, p);
    return;
  }
  if (lock === "invalidate-lock") {
    t.step("page_cache_ra_unbounded: filemap_invalidate_lock_shared");
    yield* downRead(t, f.invalidateLock);
  }
  const q = yield* allocPage(t, alloc);
  if (q !== undefined) {
    if (yield* addToPageCacheLru(t, f, q, index)) {
      t.step(`->readpage(${q.name}): get_block(${index})`);
      const blk = yield* t.read(b.extent[index]!, "once");
      t.step(`->readpage(${q.name}): read ${blk === 0 ? "zeros (hole)" : `block ${blk}`}, SetPageUptodate`);
      yield* t.write(b.data.get(q)!, blk, "once", undefined, `${q.name}.data = ${blk === 0 ? "zeros" : `block ${blk}`}`);
      yield* unlockPage(t, q);
    }
    yield* putPage(t, q);
  }
  if (lock === "invalidate-lock") {
    t.step("page_cache_ra_unbounded: filemap_invalidate_unlock_shared");
    yield* upRead(t, f.invalidateLock);
  }
}

function blockFile(m: ModelBuilder, mc: Machine, pages: number, free: readonly Page[]): BlockFile {
  const f = mc.file("F", { size: pages });
  const extent = m.array(`${f.name}.extent`, pages, (i) => i + 1);
  const data = new Map(free.map((q) => [q, m.location(`${q.name}.data`, 0)] as const));
  return { f, extent, data };
}

/**
 * F of `pages` pages, all on disk (block i+1 at index i), none cached;
 * ext4_punch_hole of the whole file vs one read(2) per index, each with a
 * free page to read into.
 */
export function punchVsRead(name: string, lock: PunchLock, pages: number): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const free = [...Array(pages).keys()].map((i) => mc.page(`Q${i}`));
    const alloc = new PageAllocator(mc, { free });
    const b = blockFile(m, mc, pages, free);
    m.thread("punch", (t) => punchHole(t, mc, b, 0, lock));
    for (let i = 0; i < pages; i++) m.thread(pages === 1 ? "read" : `read${i}`, (t) => readPage(t, mc, b, alloc, i, lock));
    m.forall(I_PUNCH, (s) =>
      b.extent.every((ext, i) => {
        const id = s.int(b.f.iPages[i]!);
        const p = id === 0 ? undefined : mc.pageById(id);
        return p === undefined || s.int(b.data.get(p)!) === s.int(ext);
      }),
    );
    mc.checkFree();
  });
}

function variant(name: string, summary: string, lock: PunchLock, size: "smallest" | "larger"): Variant {
  const full = size === "larger" ? `${name}-larger` : name;
  const race = lock !== "invalidate-lock";
  return {
    name: full,
    summary: size === "larger" ? `${summary}; 2 pages, a read of each` : summary,
    ...expectRace(race),
    memoryModel: "sc",
    size,
    build: () => punchVsRead(`s7-10 ${full}`, lock, size === "larger" ? 2 : 1),
  };
}

const BUGGY = "pre-v4.5 ext4_punch_hole: inode_lock, truncate_pagecache_range, free blocks; read(2) takes no lock against it";
const FAULT_ONLY = "ea3d7209ca01 (v4.5–v5.14): the punch holds i_mmap_sem for write, but only page faults take it; read(2) does not";
const FIXED = "730633f0b7f9 (v5.15): invalidate_lock exclusive across the punch, shared in page_cache_ra_unbounded around adding and reading pages";

export const punchVsReadScenario: Scenario = {
  id: "s7-10",
  seed: "s7",
  title: "hole punch vs read through the page cache: a page read in after truncate_pagecache_range caches a block the punch then frees",
  invariant: I_PUNCH,
  variants: [
    variant("buggy", BUGGY, "none", "smallest"),
    variant("fault-only", FAULT_ONLY, "fault-only", "smallest"),
    variant("fixed", FIXED, "invalidate-lock", "smallest"),
    variant("buggy", BUGGY, "none", "larger"),
    variant("fixed", FIXED, "invalidate-lock", "larger"),
  ],
};

// Truncation (mm/truncate.c, mm/memory.c), as it has been since 2.6.23:
// i_size first, then unmap, then remove each page under its page lock
// (unmapping it again if a fault mapped it meanwhile), then unmap once more
// for private COW copies made in between.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { downRead, downWrite, upRead, upWrite } from "../kernel/rwsem.ts";
import type { AddressSpace } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import { deleteFromPageCache, findGetPage, lockPage, unlockPage } from "./pageCache.ts";
import { putPage } from "./pageRef.ts";
import { zapPteRange, type ZapDetails, type ZapVma } from "./pageTable.ts";
import { followsWriteback, waitOnPageWriteback } from "./writeback.ts";

/**
 * unmap_mapping_range as recent kernels have it: walk i_mmap under
 * i_mmap_rwsem taken for read and zap [from, to) in every VMA. Older kernels
 * (the v4.x DAX code among them, see dax/daxFs.ts) took it for write.
 * `zap` is the version of zap_pte_range to use (default: zapPteRange); the
 * truncation functions below pass theirs down to it.
 */
export function* unmapMappingRange(t: ThreadContext, mc: Machine, f: AddressSpace, from: number, to: number, details: ZapDetails, zap?: ZapVma): Access<void> {
  yield* downRead(t, f.iMmapRwsem);
  for (const v of f.vmas) yield* zap === undefined ? zapPteRange(t, mc, v, from, to, details) : zap(t, v, from, to, details);
  yield* upRead(t, f.iMmapRwsem);
}

/**
 * truncate_inode_pages_range, v2.6.23–v5.x: look each page up with a
 * reference (pagevec_lookup), lock it, wait for its writeback to end (on
 * pages the model declared writeback for), skip it if reclaim took it meanwhile,
 * unmap it if a fault mapped it, delete it; unlock, then drop the lookup's
 * reference (pagevec_release), so the page cannot be freed while locked.
 */
export function* truncateInodePages(t: ThreadContext, mc: Machine, f: AddressSpace, from: number, zap?: ZapVma): Access<void> {
  for (let i = from; i < f.iPages.length; i++) {
    t.step(`truncate_inode_pages: index ${i}`);
    const p = yield* findGetPage(t, mc, f, i);
    if (p === undefined) continue;
    yield* lockPage(t, p);
    if (followsWriteback(p)) yield* waitOnPageWriteback(t, p);
    if ((yield* t.read(p.mapping, "once")) === f.id) {
      if ((yield* t.read(p.mapcount, "once")) > 0) {
        t.step(`truncate_inode_pages: ${p.name} still mapped, unmap it`);
        yield* unmapMappingRange(t, mc, f, i, i + 1, { evenCows: false }, zap);
      }
      t.step(`truncate_inode_pages: delete ${p.name}`);
      yield* deleteFromPageCache(t, f, p, i);
    }
    yield* unlockPage(t, p);
    yield* putPage(t, p);
  }
}

/** truncate_pagecache, v3.x+: the caller has written the new i_size. */
export function* truncatePagecache(t: ThreadContext, mc: Machine, f: AddressSpace, newSize: number, zap?: ZapVma): Access<void> {
  t.step("truncate_pagecache: unmap_mapping_range(even_cows)");
  yield* unmapMappingRange(t, mc, f, newSize, f.iPages.length, { evenCows: true }, zap);
  yield* truncateInodePages(t, mc, f, newSize, zap);
  t.step("truncate_pagecache: unmap_mapping_range again (COW copies)");
  yield* unmapMappingRange(t, mc, f, newSize, f.iPages.length, { evenCows: true }, zap);
}

/** do_truncate → notify_change → truncate_setsize (generic filesystem): inode lock, i_size, then the page cache. */
export function* truncate(t: ThreadContext, mc: Machine, f: AddressSpace, newSize: number, zap?: ZapVma): Access<void> {
  t.step("inode_lock");
  yield* downWrite(t, f.iRwsem);
  t.step(`i_size_write(${newSize})`);
  yield* t.write(f.iSize, newSize, "once", undefined, `i_size = ${newSize}`);
  yield* truncatePagecache(t, mc, f, newSize, zap);
  t.step("inode_unlock");
  yield* upWrite(t, f.iRwsem);
}

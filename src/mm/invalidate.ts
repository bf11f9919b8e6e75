// Taking pages out of the page cache while they may be mapped, before and
// after d00806b18315 ("mm: fix fault vs invalidate race for linear
// mappings", v2.6.23).
//
// Before it, truncation and faults were ordered by an open-coded seqlock:
// truncate wrote i_size, then (smp_wmb) bumped mapping->truncate_count under
// i_mmap_lock, then (smp_mb) zapped the ptes; the fault sampled the count
// before its i_size check and re-read it under the PTL. Invalidation inside
// i_size (invalidate_inode_pages2: NFS revalidation, O_DIRECT) has no i_size
// to fence with, so a fault that found the page before it was removed could
// still map it afterwards (Andrea Arcangeli's race). Since 2.6.23 every
// remover holds the page lock across "unmap if mapped; remove", and the fault
// keeps the page locked until its pte is set.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { ModelBuilder } from "../program/model.ts";
import type { Loc } from "../program/value.ts";
import { smpMb, smpWmb } from "../kernel/barriers.ts";
import { clearBit } from "../kernel/bitops.ts";
import { downWrite, upWrite } from "../kernel/rwsem.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { AddressSpace } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { deleteFromPageCache, lockPage, pageAt, unlockPage } from "./pageCache.ts";
import { zapPteRange, type ZapDetails } from "./pageTable.ts";
import { unmapMappingRange } from "./truncate.ts";

/** mapping->truncate_count and the i_mmap_lock spinlock it is bumped under (2.6.x, before 2.6.23 made it irrelevant to faults). */
export class TruncateCount {
  readonly count: Loc;
  readonly iMmapLock: Loc;
  constructor(m: ModelBuilder, readonly file: AddressSpace) {
    this.count = m.location(`${file.name}.truncate_count`, 0);
    this.iMmapLock = m.location(`${file.name}.i_mmap_lock`, 0);
  }
}

export interface SeqlockBarriers {
  /** The smp_wmb between the caller's i_size write and truncate_count++ (dropping it is the MP weak-memory exercise). */
  readonly wmb: boolean;
}

/** unmap_mapping_range(), v2.6.18: under i_mmap_lock, smp_wmb, truncate_count++, smp_mb, then zap [from, to) in every VMA. */
export function* unmapMappingRange2618(
  t: ThreadContext,
  mc: Machine,
  tc: TruncateCount,
  from: number,
  to: number,
  details: ZapDetails,
  barriers: SeqlockBarriers = { wmb: true },
): Access<void> {
  const f = tc.file;
  t.step(`unmap_mapping_range(${from}..${to}): truncate_count++`);
  yield* spinLock(t, tc.iMmapLock);
  if (barriers.wmb) yield* smpWmb(t);
  // A plain increment: i_mmap_lock makes it atomic against other unmappers.
  const seq = yield* t.read(tc.count, "once");
  yield* t.write(tc.count, seq + 1, "once", undefined, "truncate_count++");
  yield* smpMb(t);
  t.step(`unmap_mapping_range(${from}..${to}): zap`);
  for (const v of f.vmas) yield* zapPteRange(t, mc, v, from, to, details);
  yield* spinUnlock(t, tc.iMmapLock);
}

/** How a remover takes ptes down: the 2.6.18 seqlock flavour or the plain 2.6.23+ one. */
export type Unmapper = (t: ThreadContext, mc: Machine, f: AddressSpace, from: number, to: number) => Access<void>;

export const unmapWithTruncateCount =
  (tc: TruncateCount): Unmapper =>
  (t, mc, _f, from, to) =>
    unmapMappingRange2618(t, mc, tc, from, to, { evenCows: false });

export const unmapPlain: Unmapper = (t, mc, f, from, to) => unmapMappingRange(t, mc, f, from, to, { evenCows: false });

/** invalidate_complete_page2(), v2.6.18–2.6.2x, page locked: remove it from the page cache and clear PG_uptodate. */
function* invalidateCompletePage2(t: ThreadContext, f: AddressSpace, p: Page, index: number): Access<void> {
  t.step(`invalidate_complete_page2: remove ${p.name} from the page cache`);
  yield* deleteFromPageCache(t, f, p, index);
  yield* clearBit(t, p.flag("uptodate"));
}

/**
 * invalidate_inode_pages2_range(), v2.6.18: lock each page; *while* it is
 * mapped, unmap (the rest of the file the first time, then just this page);
 * remove it; unlock. The loop is there because a fault may map the page
 * again at any time: the fault does not take the page lock.
 */
export function* invalidateInodePages2V2618(t: ThreadContext, mc: Machine, f: AddressSpace, unmap: Unmapper): Access<void> {
  let didRangeUnmap = false;
  for (let i = 0; i < f.iPages.length; i++) {
    t.step(`invalidate_inode_pages2: index ${i}`);
    const p = yield* pageAt(t, mc, f, i);
    if (p === undefined) continue;
    t.step(`invalidate_inode_pages2: lock_page(${p.name})`);
    yield* lockPage(t, p);
    if ((yield* t.read(p.mapping, "once")) === f.id) {
      for (;;) {
        t.step(`invalidate_inode_pages2: page_mapped(${p.name})?`);
        if ((yield* t.read(p.mapcount, "once")) === 0) break;
        t.step(`invalidate_inode_pages2: ${p.name} mapped, unmap_mapping_range`);
        yield* unmap(t, mc, f, i, didRangeUnmap ? i + 1 : f.iPages.length);
        didRangeUnmap = true;
      }
      yield* invalidateCompletePage2(t, f, p, i);
    }
    t.step(`invalidate_inode_pages2: unlock_page(${p.name})`);
    yield* unlockPage(t, p);
  }
}

/**
 * invalidate_inode_pages2_range(), v2.6.23 (d00806b18315): with faults
 * holding the page lock until the pte is set, one unmap under the page lock
 * suffices; the kernel BUG()s if the page is still mapped after it.
 */
export function* invalidateInodePages2(t: ThreadContext, mc: Machine, f: AddressSpace, unmap: Unmapper = unmapPlain): Access<void> {
  let didRangeUnmap = false;
  for (let i = 0; i < f.iPages.length; i++) {
    t.step(`invalidate_inode_pages2: index ${i}`);
    const p = yield* pageAt(t, mc, f, i);
    if (p === undefined) continue;
    t.step(`invalidate_inode_pages2: lock_page(${p.name})`);
    yield* lockPage(t, p);
    if ((yield* t.read(p.mapping, "once")) === f.id) {
      if ((yield* t.read(p.mapcount, "once")) > 0) {
        t.step(`invalidate_inode_pages2: ${p.name} mapped, unmap_mapping_range`);
        yield* unmap(t, mc, f, i, didRangeUnmap ? i + 1 : f.iPages.length);
        didRangeUnmap = true;
        const still = yield* t.read(p.mapcount, "once");
        t.assert(still === 0, `BUG_ON(page_mapped(${p.name})) in invalidate_inode_pages2: a fault mapped it under the page lock`);
      }
      yield* invalidateCompletePage2(t, f, p, i);
    }
    t.step(`invalidate_inode_pages2: unlock_page(${p.name})`);
    yield* unlockPage(t, p);
  }
}

/** truncate_inode_pages_range(), v2.6.18: lock each page and remove it; no unmap here (the truncate_count seqlock kept faults out). */
export function* truncateInodePages2618(t: ThreadContext, mc: Machine, f: AddressSpace, from: number): Access<void> {
  for (let i = from; i < f.iPages.length; i++) {
    t.step(`truncate_inode_pages: index ${i}`);
    const p = yield* pageAt(t, mc, f, i);
    if (p === undefined) continue;
    yield* lockPage(t, p);
    if ((yield* t.read(p.mapping, "once")) === f.id) {
      t.step(`truncate_complete_page(${p.name})`);
      yield* deleteFromPageCache(t, f, p, i);
    }
    yield* unlockPage(t, p);
  }
}

/** vmtruncate(), v2.6.18: under i_mutex, i_size_write, unmap_mapping_range (seqlock flavour), truncate_inode_pages. */
export function* vmtruncate2618(t: ThreadContext, mc: Machine, tc: TruncateCount, newSize: number, barriers: SeqlockBarriers = { wmb: true }): Access<void> {
  const f = tc.file;
  t.step("mutex_lock(i_mutex)");
  yield* downWrite(t, f.iRwsem);
  t.step(`i_size_write(${newSize})`);
  yield* t.write(f.iSize, newSize, "once", undefined, `i_size = ${newSize}`);
  yield* unmapMappingRange2618(t, mc, tc, newSize, f.iPages.length, { evenCows: true }, barriers);
  yield* truncateInodePages2618(t, mc, f, newSize);
  t.step("mutex_unlock(i_mutex)");
  yield* upWrite(t, f.iRwsem);
}

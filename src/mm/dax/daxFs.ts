// The filesystem side of DAX: get_block (lookup and allocation), unmapping
// the pfns of a range, and the truncate / punch-hole paths in the versions
// seed 004 compares. A DAX file has no page cache to lock, so what orders a
// fault against block freeing is only what these paths take: nothing but
// i_mmap_rwsem in v4.0-v4.4, the filesystem's mmap lock held exclusive
// from 653c60b633a9 (XFS, v4.1) and ea3d7209ca01 (ext4, v4.5), the
// address_space's invalidate_lock from 730633f0b7f9 (v5.15).
//
// Left out on purpose: i_rwsem (no two threads here truncate or write(2) at
// once), truncate_inode_pages (a DAX file of v4.x keeps nothing in i_pages
// that these models create), and truncate_pagecache's second unmap (it is
// for private COW copies; a pte set after it is as stale as one set after
// the first).

import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { mutexLock, mutexUnlock } from "../../kernel/mutex.ts";
import { downWrite, upWrite } from "../../kernel/rwsem.ts";
import { zapPteRange } from "../pageTable.ts";
import { HOLE, UNWRITTEN, allocBlock, extentBlock, extentUnwritten, freeBlock, ownerCode, type Block } from "./blockMap.ts";
import type { DaxFile, DaxMachine } from "./daxMachine.ts";

/** What get_block tells the fault: the block (undefined for a hole), and whether its contents must read as zeroes. */
export interface Extent {
  readonly block?: Block;
  /** Unwritten (allocated, never written): DAX zeroes it before mapping it and converts it afterwards. */
  readonly unwritten: boolean;
}

function extentOf(dm: DaxMachine, slot: number): Extent {
  const b = extentBlock(slot);
  return { block: b === HOLE ? undefined : dm.block(b), unwritten: extentUnwritten(slot) };
}

/** get_block(create = 0) (ext4_get_block / xfs_get_blocks, v4.x): read the block map; the single read stands for the shared ILOCK lookup. */
export function* getBlock(t: ThreadContext, dm: DaxMachine, f: DaxFile, index: number): Access<Extent> {
  return extentOf(dm, yield* t.read(f.slot(index), "once"));
}

/**
 * get_block(create = 1), XFS of v4.2 for DAX: under the allocation lock,
 * return the extent if there is one, else allocate a block as an unwritten
 * extent (the caller zeroes it and converts it once it is mapped).
 */
export function* getBlockCreate(t: ThreadContext, dm: DaxMachine, f: DaxFile, index: number): Access<Extent> {
  yield* mutexLock(t, f.allocLock);
  let slot = yield* t.read(f.slot(index), "once");
  if (extentBlock(slot) === HOLE) {
    const b = yield* allocBlock(t, dm.dev, ownerCode(f.as, index));
    if (b !== undefined) {
      slot = b.id | UNWRITTEN;
      yield* t.write(f.slot(index), slot, "once", undefined, `${f.name}.bmap[${index}] := ${b.name} (unwritten)`);
    }
  }
  yield* mutexUnlock(t, f.allocLock);
  return extentOf(dm, slot);
}

/** complete_unwritten / xfs_iomap_write_unwritten, v4.2: the extent now holds data. */
export function* convertUnwritten(t: ThreadContext, f: DaxFile, index: number, b: Block): Access<void> {
  yield* t.write(f.slot(index), b.id, "once", undefined, `${f.name}.bmap[${index}] := ${b.name} (written)`);
}

/** unmap_mapping_range, v3.19-v4.x: i_mmap_rwsem taken for write ("DAX uses i_mmap_lock to serialise file truncate vs page fault"), then zap [from, to) in every VMA. */
export function* unmapMappingRangeV42(t: ThreadContext, dm: DaxMachine, f: DaxFile, from: number, to: number): Access<void> {
  yield* downWrite(t, f.as.iMmapRwsem);
  for (const v of f.as.vmas) yield* zapPteRange(t, dm.mc, v, from, to, { evenCows: false });
  yield* upWrite(t, f.as.iMmapRwsem);
}

/** unmap_mapping_range with 843172978bb9 (v4.3-rc1): for DAX it took no lock, "DAX already holds i_mmap_lock" (truncate did not). */
export function* unmapMappingRangeDaxUnlocked(t: ThreadContext, dm: DaxMachine, f: DaxFile, from: number, to: number): Access<void> {
  for (const v of f.as.vmas) yield* zapPteRange(t, dm.mc, v, from, to, { evenCows: false });
}

/** ext4_ext_remove_space / xfs_itruncate_extents: under the allocation lock, drop each extent in [from, to) and free its block. */
export function* removeBlocks(t: ThreadContext, f: DaxFile, dm: DaxMachine, from: number, to: number): Access<void> {
  yield* mutexLock(t, f.allocLock);
  for (let i = from; i < Math.min(to, f.bmap.slots.length); i++) {
    const b = extentBlock(yield* t.read(f.slot(i), "once"));
    if (b === HOLE) continue;
    yield* t.write(f.slot(i), HOLE, "once", undefined, `${f.name}.bmap[${i}] := hole`);
    yield* freeBlock(t, dm.block(b));
  }
  yield* mutexUnlock(t, f.allocLock);
}

type Unmap = (t: ThreadContext, dm: DaxMachine, f: DaxFile, from: number, to: number) => Access<void>;

/** truncate_setsize then the filesystem's block truncation (ext4_truncate / xfs_itruncate_extents), v4.x. */
function* shrink(t: ThreadContext, dm: DaxMachine, f: DaxFile, newSize: number, unmap: Unmap): Access<void> {
  t.step(`i_size_write(${newSize})`);
  yield* t.write(f.as.iSize, newSize, "once", undefined, `i_size = ${newSize}`);
  t.step("truncate_pagecache: unmap_mapping_range");
  yield* unmap(t, dm, f, newSize, f.bmap.slots.length);
  t.step("truncate blocks: free them");
  yield* removeBlocks(t, f, dm, newSize, f.bmap.slots.length);
}

/** ext4_setattr / xfs_setattr_size for DAX, v4.0-v4.4 (no fs mmap lock): i_size, unmap, free the blocks. Growing only moves i_size. */
export function* daxTruncateV42(t: ThreadContext, dm: DaxMachine, f: DaxFile, newSize: number, unmap: Unmap = unmapMappingRangeV42): Access<void> {
  t.step("truncate_setsize: old i_size");
  if (newSize >= (yield* t.read(f.as.iSize, "once"))) {
    t.step(`extend: i_size_write(${newSize})`);
    yield* t.write(f.as.iSize, newSize, "once", undefined, `i_size = ${newSize}`);
    return;
  }
  yield* shrink(t, dm, f, newSize, unmap);
}

/** xfs_setattr_size with 653c60b633a9 (XFS MMAPLOCK, v4.1): the size change runs under MMAPLOCK_EXCL, so no fault is between its get_block and its pte. */
export function* xfsSetattrSize(t: ThreadContext, dm: DaxMachine, f: DaxFile, newSize: number): Access<void> {
  t.step("xfs_ilock(MMAPLOCK_EXCL)");
  yield* downWrite(t, f.mmapLock);
  yield* daxTruncateV42(t, dm, f, newSize);
  t.step("xfs_iunlock(MMAPLOCK_EXCL)");
  yield* upWrite(t, f.mmapLock);
}

/** Boaz's proposal (linux-mm, 11 Aug 2015): write_lock(inode); update i_size; remove allocated blocks; unmap; write_unlock. */
export function* boazTruncate(t: ThreadContext, dm: DaxMachine, f: DaxFile, newSize: number): Access<void> {
  t.step("write_lock(inode)");
  yield* downWrite(t, f.mmapLock);
  t.step(`update i_size (${newSize})`);
  yield* t.write(f.as.iSize, newSize, "once", undefined, `i_size = ${newSize}`);
  t.step("remove allocated blocks");
  yield* removeBlocks(t, f, dm, newSize, f.bmap.slots.length);
  t.step("unmap");
  yield* unmapMappingRangeV42(t, dm, f, newSize, f.bmap.slots.length);
  t.step("write_unlock(inode)");
  yield* upWrite(t, f.mmapLock);
}

/** ext4_punch_hole, v4.4 (before ea3d7209ca01): truncate_pagecache_range, then ext4_ext_remove_space; i_size does not move. */
export function* ext4PunchHoleV44(t: ThreadContext, dm: DaxMachine, f: DaxFile, from: number, to: number): Access<void> {
  t.step(`punch [${from}, ${to}): truncate_pagecache_range`);
  yield* unmapMappingRangeV42(t, dm, f, from, to);
  t.step(`punch [${from}, ${to}): ext4_ext_remove_space`);
  yield* removeBlocks(t, f, dm, from, to);
}

/** ext4_punch_hole with ea3d7209ca01 (v4.5): i_mmap_sem held for write across the unmap and the block removal. */
export function* ext4PunchHoleV45(t: ThreadContext, dm: DaxMachine, f: DaxFile, from: number, to: number): Access<void> {
  t.step("down_write(i_mmap_sem)");
  yield* downWrite(t, f.mmapLock);
  yield* ext4PunchHoleV44(t, dm, f, from, to);
  t.step("up_write(i_mmap_sem)");
  yield* upWrite(t, f.mmapLock);
}

/** ext4_punch_hole with 730633f0b7f9 (v5.15): the same protocol on the VFS's invalidate_lock. */
export function* ext4PunchHoleV515(t: ThreadContext, dm: DaxMachine, f: DaxFile, from: number, to: number): Access<void> {
  t.step("filemap_invalidate_lock");
  yield* downWrite(t, f.as.invalidateLock);
  yield* ext4PunchHoleV44(t, dm, f, from, to);
  t.step("filemap_invalidate_unlock");
  yield* upWrite(t, f.as.invalidateLock);
}

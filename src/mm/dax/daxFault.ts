// The DAX page fault in the versions seed 004 compares. There is no struct
// page to lock: the fault asks the filesystem for the block (get_block),
// checks i_size, and puts the block's pfn straight into the pte
// (vm_insert_mixed). What, if anything, is held from get_block to the pte is
// the whole story:
//
//   daxFaultKirill        nothing (Kirill's timeline of 11 Aug 2015)
//   boazFault             the fs rw lock, dropped before the pte (Boaz, same day)
//   boazFaultHeld         the same lock held across the pte
//   daxFaultV42           i_mmap_rwsem(read) around re-check + insert only (v4.0-v4.2)
//   daxFaultV43           i_mmap_rwsem(write) from get_block to the end (843172978bb9)
//   xfsFilemapFault       XFS MMAPLOCK shared around the whole fault (653c60b633a9)
//   ext4DaxFault          ext4 i_mmap_sem shared around the whole fault (ea3d7209ca01)
//   daxFaultInvalidateLock  invalidate_lock shared around the whole fault (730633f0b7f9)
//   daxFaultEntryLock     the DAX entry lock from get_block to the pte (ac401cc78242)
//
// A fault returns what it did, for the thread's result. A read fault that
// finds a hole goes to the hole-page path, which maps no pfn; these faults
// leave out the page-cache lookups for hole pages and stop there (`hole`):
// daxHole.ts has __dax_fault with them, for models where hole pages exist.
// complete_unwritten(bh, !error) converts only after a successful insert:
// a fault that found the pte set (-EBUSY) leaves the extent alone.

import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { downRead, downWrite, upRead, upWrite } from "../../kernel/rwsem.ts";
import { spinLock, spinUnlock } from "../../kernel/spinlock.ts";
import { PTE_NONE, type Vma } from "../vma.ts";
import type { Block } from "./blockMap.ts";
import type { DaxFile, DaxMachine } from "./daxMachine.ts";
import { convertUnwritten, getBlock, getBlockCreate, type Extent } from "./daxFs.ts";
import { grabMappingEntry, daxInsertMappingEntry, putLockedMappingEntry } from "./daxEntry.ts";

export type FaultResult = "mapped" | "busy" | "hole" | "sigbus" | "eio";

export interface DaxFaultArgs {
  readonly dm: DaxMachine;
  readonly f: DaxFile;
  readonly vma: Vma;
  readonly index: number;
  readonly write: boolean;
}

/** vm_insert_mixed → insert_pfn, v4.x: under the PTL, fill the pte with the pfn unless it is already set (-EBUSY, "somebody else faulted"). */
export function* vmInsertMixed(t: ThreadContext, vma: Vma, index: number, b: Block): Access<boolean> {
  yield* spinLock(t, vma.ptl);
  const free = (yield* t.read(vma.pte[index]!, "once")) === PTE_NONE;
  if (free) yield* t.write(vma.pte[index]!, b.pfn, "once", undefined, `set_pte(${vma.name}, ${index}) := pfn ${b.name}`);
  yield* spinUnlock(t, vma.ptl);
  return free;
}

/** The i_size check every version makes: false when the index is beyond EOF. */
function* withinSize(t: ThreadContext, f: DaxFile, index: number, label: string): Access<boolean> {
  t.step(label);
  return index < (yield* t.read(f.as.iSize, "once"));
}

/** get_block(create = 0), and for a write fault on a hole get_block(create = 1). */
function* lookupOrAllocate(t: ThreadContext, a: DaxFaultArgs): Access<Extent> {
  t.step(`get_block(${a.index})`);
  const e = yield* getBlock(t, a.dm, a.f, a.index);
  if (e.block !== undefined || !a.write) return e;
  t.step(`get_block(${a.index}, create)`);
  return yield* getBlockCreate(t, a.dm, a.f, a.index);
}

/** clear_page on an unwritten block, then the pte. */
function* zeroAndInsert(t: ThreadContext, a: DaxFaultArgs, e: Extent & { block: Block }): Access<FaultResult> {
  if (e.unwritten) {
    t.step(`clear_page(${e.block.name})`);
    yield* t.write(e.block.data, 0, "once", undefined, `zero ${e.block.name}`);
  }
  t.step(`vm_insert_mixed(pfn ${e.block.name})`);
  return (yield* vmInsertMixed(t, a.vma, a.index, e.block)) ? "mapped" : "busy";
}

/** Kirill's timeline (linux-mm, 11 Aug 2015): get_block, check i_size, set up the pte; nothing held across them. */
export function* daxFaultKirill(t: ThreadContext, a: DaxFaultArgs): Access<FaultResult> {
  const e = yield* lookupOrAllocate(t, a);
  if (e.block === undefined) return "hole";
  if (!(yield* withinSize(t, a.f, a.index, "check i_size"))) return "sigbus";
  return yield* zeroAndInsert(t, a, { ...e, block: e.block });
}

/** Boaz's proposal (linux-mm, 11 Aug 2015): read_lock(inode); get_block; check i_size; read_unlock; set up the pte. */
export function* boazFault(t: ThreadContext, a: DaxFaultArgs): Access<FaultResult> {
  t.step("read_lock(inode)");
  yield* downRead(t, a.f.mmapLock);
  const e = yield* lookupOrAllocate(t, a);
  const ok = e.block !== undefined && (yield* withinSize(t, a.f, a.index, "check i_size"));
  t.step("read_unlock(inode)");
  yield* upRead(t, a.f.mmapLock);
  if (e.block === undefined) return "hole";
  if (!ok) return "sigbus";
  return yield* zeroAndInsert(t, a, { ...e, block: e.block });
}

/** Boaz's lock held until the pte is set, as XFS's MMAPLOCK is (the fix Jan and Kirill asked for). */
export function* boazFaultHeld(t: ThreadContext, a: DaxFaultArgs): Access<FaultResult> {
  t.step("read_lock(inode)");
  yield* downRead(t, a.f.mmapLock);
  const r = yield* daxFaultKirill(t, a);
  t.step("read_unlock(inode)");
  yield* upRead(t, a.f.mmapLock);
  return r;
}

/** dax_insert_mapping, v4.0-v4.2: under i_mmap_rwsem(read) re-check i_size ("truncate didn't happen while we were allocating"), zero, insert. */
export function* daxInsertMappingV42(t: ThreadContext, a: DaxFaultArgs, e: Extent & { block: Block }): Access<FaultResult> {
  t.step("dax_insert_mapping: i_mmap_lock_read");
  yield* downRead(t, a.f.as.iMmapRwsem);
  const r = yield* daxInsertMappingUnlocked(t, a, e);
  t.step("dax_insert_mapping: i_mmap_unlock_read");
  yield* upRead(t, a.f.as.iMmapRwsem);
  return r;
}

/** dax_insert_mapping with 843172978bb9 (v4.3-rc1): the same re-check, zeroing and insert, the caller holding i_mmap_rwsem for write. */
export function* daxInsertMappingUnlocked(t: ThreadContext, a: DaxFaultArgs, e: Extent & { block: Block }): Access<FaultResult> {
  if (!(yield* withinSize(t, a.f, a.index, "dax_insert_mapping: re-check i_size"))) return "eio";
  return yield* zeroAndInsert(t, a, e);
}

/** __dax_fault, v4.0-v4.2 (and again after 0f90cc6609c7): i_size check, get_block, dax_insert_mapping, complete_unwritten. */
export function* daxFaultV42(t: ThreadContext, a: DaxFaultArgs): Access<FaultResult> {
  if (!(yield* withinSize(t, a.f, a.index, "__dax_fault: check i_size"))) return "sigbus";
  const e = yield* lookupOrAllocate(t, a);
  if (e.block === undefined) return "hole";
  const r = yield* daxInsertMappingV42(t, a, { ...e, block: e.block });
  if (e.unwritten && r === "mapped") {
    t.step("complete_unwritten");
    yield* convertUnwritten(t, a.f, a.index, e.block);
  }
  return r;
}

/** __dax_fault with 843172978bb9 (v4.3-rc1): i_mmap_rwsem taken for write before get_block and held to the end, so a second fault sees the block converted. */
export function* daxFaultV43(t: ThreadContext, a: DaxFaultArgs): Access<FaultResult> {
  if (!(yield* withinSize(t, a.f, a.index, "__dax_fault: check i_size"))) return "sigbus";
  t.step("i_mmap_lock_write");
  yield* downWrite(t, a.f.as.iMmapRwsem);
  const r = yield* faultUnderLock(t, a, "dax_insert_mapping: re-check i_size");
  t.step("i_mmap_unlock_write");
  yield* upWrite(t, a.f.as.iMmapRwsem);
  return r;
}

/** The body both whole-fault locks share: get_block, re-check, zero, insert, convert. */
function* faultUnderLock(t: ThreadContext, a: DaxFaultArgs, recheck: string): Access<FaultResult> {
  const e = yield* lookupOrAllocate(t, a);
  if (e.block === undefined) return "hole";
  if (!(yield* withinSize(t, a.f, a.index, recheck))) return "eio";
  const r = yield* zeroAndInsert(t, a, { ...e, block: e.block });
  if (e.unwritten && r === "mapped") {
    t.step("complete_unwritten");
    yield* convertUnwritten(t, a.f, a.index, e.block);
  }
  return r;
}

/** xfs_filemap_fault with 653c60b633a9 (v4.1): xfs_ilock(MMAPLOCK_SHARED) around __dax_fault. */
export function* xfsFilemapFault(t: ThreadContext, a: DaxFaultArgs): Access<FaultResult> {
  t.step("xfs_ilock(MMAPLOCK_SHARED)");
  yield* downRead(t, a.f.mmapLock);
  const r = yield* daxFaultV42(t, a);
  t.step("xfs_iunlock(MMAPLOCK_SHARED)");
  yield* upRead(t, a.f.mmapLock);
  return r;
}

/** ext4_dax_fault with ea3d7209ca01 (v4.5): down_read(i_mmap_sem) around __dax_fault. */
export function* ext4DaxFault(t: ThreadContext, a: DaxFaultArgs): Access<FaultResult> {
  t.step("down_read(i_mmap_sem)");
  yield* downRead(t, a.f.mmapLock);
  const r = yield* daxFaultV42(t, a);
  t.step("up_read(i_mmap_sem)");
  yield* upRead(t, a.f.mmapLock);
  return r;
}

/**
 * ext4_dax_huge_fault with 730633f0b7f9 (v5.15): filemap_invalidate_lock_shared
 * around dax_iomap_fault. The entry lock dax_iomap_fault also takes is left
 * out: against a punch it orders nothing the invalidate_lock does not.
 */
export function* daxFaultInvalidateLock(t: ThreadContext, a: DaxFaultArgs): Access<FaultResult> {
  t.step("filemap_invalidate_lock_shared");
  yield* downRead(t, a.f.as.invalidateLock);
  if (!(yield* withinSize(t, a.f, a.index, "dax_iomap_fault: check i_size"))) {
    yield* upRead(t, a.f.as.invalidateLock);
    return "sigbus";
  }
  const r = yield* faultUnderLock(t, a, "dax_iomap_fault: re-check i_size");
  t.step("filemap_invalidate_unlock_shared");
  yield* upRead(t, a.f.as.invalidateLock);
  return r;
}

/**
 * __dax_fault with ac401cc78242 (v4.7): grab_mapping_entry locks the index's
 * DAX entry before get_block and it stays locked until the pfn is in the
 * pte, like the page lock of filemap_fault. Applied here to the v4.2 body
 * (same get_block, zeroing and conversion as daxFaultV42), so the entry lock
 * is the only difference; v4.7's filesystems had also stopped returning
 * unwritten blocks to DAX.
 */
export function* daxFaultEntryLock(t: ThreadContext, a: DaxFaultArgs): Access<FaultResult> {
  if (!(yield* withinSize(t, a.f, a.index, "__dax_fault: check i_size"))) return "sigbus";
  t.step("grab_mapping_entry: lock entry");
  yield* grabMappingEntry(t, a.f.as, a.index);
  const e = yield* lookupOrAllocate(t, a);
  let r: FaultResult = "hole";
  if (e.block !== undefined) {
    r = (yield* withinSize(t, a.f, a.index, "dax_insert_mapping: re-check i_size")) ? "mapped" : "eio";
    if (r === "mapped") {
      t.step("dax_insert_mapping_entry");
      yield* daxInsertMappingEntry(t, a.f.as, a.index, e.block);
      r = yield* zeroAndInsert(t, a, { ...e, block: e.block });
    }
    if (e.unwritten && r === "mapped") {
      t.step("complete_unwritten");
      yield* convertUnwritten(t, a.f, a.index, e.block);
    }
  }
  t.step("put_locked_mapping_entry");
  yield* putLockedMappingEntry(t, a.f.as, a.index);
  return r;
}

/**
 * The user's store after the fault returns: the MMU walks the pte and the
 * store lands in whatever block its pfn names, setting the writer's bit.
 * Returns whether it stored (no pte: the access would fault again; these
 * models stop there).
 */
export function* userStore(t: ThreadContext, dm: DaxMachine, vma: Vma, index: number, bit: number): Access<boolean> {
  t.step(`user store (bit ${bit})`);
  const pte = yield* t.read(vma.pte[index]!, "once");
  if (pte === PTE_NONE) return false;
  const b = dm.dev.blocks.find((x) => x.pfn === pte);
  if (b === undefined) return false;
  yield* t.rmw(b.data, (v) => v | (1 << bit), "relaxed", `store into ${b.name}`);
  return true;
}

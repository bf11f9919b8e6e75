// The storage under a DAX file: a device of blocks, each with the pfn the
// CPU maps it at, the filesystem's allocation state, and one word of user
// data; and, per file, the block map (index -> extent). DAX ptes hold pfns,
// not page ids: a pfn stays a valid address after its block is freed and
// handed to another file, which is exactly what seed 004 is about.
//
// Encodings (all plain integers, so final checks can decode them):
// - a pfn is PFN_BASE + block id (>= 1000), so it never collides with a page
//   id; Machine.truncationHolds skips such pte values;
// - a block's owner word is 0 when free, else ownerCode(file, index): the
//   free-space bitmap and the reverse map in one, since the checks need both;
// - a block-map slot is 0 for a hole, the block id for a written extent, and
//   block id | UNWRITTEN for an allocated but not yet written (unwritten)
//   extent, which readers must see as zeroes.

import type { ModelBuilder } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import type { Loc } from "../../program/value.ts";
import type { AddressSpace } from "../addressSpace.ts";

export const PFN_BASE = 1000;
/** Extent flag in a block-map slot: allocated, contents not yet written (XFS/ext4 unwritten extents). */
export const UNWRITTEN = 1 << 8;
/** A block-map slot with no extent: a hole. */
export const HOLE = 0;
export const FREE_BLOCK = 0;

export const pfnOfBlock = (block: number): number => PFN_BASE + block;
export const isPfn = (pteValue: number): boolean => pteValue >= PFN_BASE;
export const blockOfPfn = (pfn: number): number => pfn - PFN_BASE;
/** The block id in a block-map slot (0 for a hole). */
export const extentBlock = (slot: number): number => slot & (UNWRITTEN - 1);
export const extentUnwritten = (slot: number): boolean => (slot & UNWRITTEN) !== 0;
/** What a block's owner word holds while it is allocated to (file, index); never 0 (models keep index < 99). */
export const ownerCode = (f: AddressSpace, index: number): number => f.id * 100 + index + 1;

export interface Block {
  readonly id: number;
  readonly name: string;
  readonly pfn: number;
  /** FREE_BLOCK, or ownerCode(file, index) of the extent it backs. */
  readonly owner: Loc;
  /** One word of user data: bit k set = writer k's store is in the block. */
  readonly data: Loc;
}

/** A persistent-memory device with a fixed number of blocks. */
export class BlockDevice {
  readonly blocks: Block[] = [];

  constructor(m: ModelBuilder, count: number) {
    for (let id = 1; id <= count; id++) {
      const name = `b${id}`;
      this.blocks.push({ id, name, pfn: pfnOfBlock(id), owner: m.location(`${name}.owner`, FREE_BLOCK), data: m.location(`${name}.data`, 0) });
    }
  }

  block(id: number): Block {
    const b = this.blocks[id - 1];
    if (b === undefined) throw new Error(`no block b${id} (the device has ${this.blocks.length})`);
    return b;
  }
}

/** A file's block map: one slot per page index. */
export class BlockMap {
  readonly slots: readonly Loc[];
  constructor(m: ModelBuilder, f: AddressSpace, slots: number, initial: (index: number) => number) {
    this.slots = m.array(`${f.name}.bmap`, slots, initial);
    m.describe(this.slots, (v) => (typeof v !== "number" ? undefined : v === HOLE ? "hole" : `b${extentBlock(v)}${extentUnwritten(v) ? " (unwritten)" : ""}`));
  }
}

/**
 * The block allocator (ext4_mb_new_blocks / xfs_alloc_vextent, reduced to
 * first fit): claim the first free block for (file, index). One cmpxchg per
 * block tried, as a bitmap search is; undefined when the device is full.
 */
export function* allocBlock(t: ThreadContext, dev: BlockDevice, owner: number): Access<Block | undefined> {
  for (const b of dev.blocks) {
    const old = yield* t.rmw(b.owner, (v) => (v === FREE_BLOCK ? owner : undefined), "mb", `alloc ${b.name}`);
    if (old === FREE_BLOCK) return b;
  }
  return undefined;
}

/** Frees a block (ext4_free_blocks / xfs_bmap_del_extent): from now on the allocator may hand it to anyone. */
export function* freeBlock(t: ThreadContext, b: Block): Access<void> {
  yield* t.write(b.owner, FREE_BLOCK, "once", undefined, `free ${b.name}`);
}

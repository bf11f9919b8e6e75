// A machine whose files live on a DAX block device: each DaxFile is an
// address_space (from the ordinary Machine) plus its block map and the
// filesystem's own locks, and the machine adds seed 004's final checks:
// I-BLOCK (no pte maps a pfn whose block is not allocated to that file
// index), I-TRUNC for pfns (no pte maps a pfn at or beyond i_size), and
// "no lost write" (a store that completed is still in the block).

import type { FinalState, ModelBuilder } from "../../program/model.ts";
import type { Loc } from "../../program/value.ts";
import type { AddressSpace } from "../addressSpace.ts";
import { Machine } from "../machine.ts";
import { PTE_NONE, type MmStruct, type Vma } from "../vma.ts";
import { describeRwsem } from "../../kernel/rwsem.ts";
import { describeLockWord } from "../../kernel/spinlock.ts";
import { BlockDevice, BlockMap, FREE_BLOCK, HOLE, UNWRITTEN, blockOfPfn, extentBlock, isPfn, ownerCode, type Block } from "./blockMap.ts";

export interface DaxFileOptions {
  /** i_size in pages. */
  readonly size: number;
  /** Page indices the model has (default: size). */
  readonly slots?: number;
  /** The block each index starts with (0 = hole); `unwritten` marks extents allocated but not written. */
  readonly blocks?: readonly number[];
  readonly unwritten?: readonly number[];
}

export class DaxFile {
  readonly bmap: BlockMap;
  /**
   * The filesystem's fault-vs-truncate lock: XFS_MMAPLOCK (653c60b633a9,
   * v4.1), ext4's i_mmap_sem (ea3d7209ca01, v4.5). Since v5.15 it is the
   * address_space's invalidate_lock (730633f0b7f9), which is `as.invalidateLock`.
   */
  readonly mmapLock: Loc;
  /** The lock the filesystem allocates blocks under (XFS ILOCK, ext4 i_data_sem). */
  readonly allocLock: Loc;

  constructor(
    m: ModelBuilder,
    readonly as: AddressSpace,
    opts: DaxFileOptions,
  ) {
    const slots = opts.slots ?? opts.size;
    const unwritten = new Set(opts.unwritten ?? []);
    this.bmap = new BlockMap(m, as, slots, (i) => {
      const b = opts.blocks?.[i] ?? HOLE;
      return b !== HOLE && unwritten.has(i) ? b | UNWRITTEN : b;
    });
    this.mmapLock = m.location(`${as.name}.fs_mmap_lock`, 0);
    this.allocLock = m.location(`${as.name}.alloc_lock`, 0);
    describeRwsem(m, this.mmapLock);
    describeLockWord(m, this.allocLock);
  }

  get name(): string {
    return this.as.name;
  }

  /** The block-map slot of an index. */
  slot(index: number): Loc {
    return this.bmap.slots[index]!;
  }

  toString(): string {
    return this.as.name;
  }
}

export class DaxMachine {
  readonly mc: Machine;
  readonly dev: BlockDevice;
  readonly files: DaxFile[] = [];

  constructor(
    readonly m: ModelBuilder,
    opts: { readonly blocks: number },
  ) {
    this.mc = new Machine(m, { flags: "split" });
    this.dev = new BlockDevice(m, opts.blocks);
  }

  /** A DAX file; its initial blocks are marked allocated to it on the device. */
  file(name: string, opts: DaxFileOptions): DaxFile {
    const as = this.mc.file(name, { size: opts.size, slots: opts.slots });
    const f = new DaxFile(this.m, as, opts);
    (opts.blocks ?? []).forEach((b, i) => {
      if (b === HOLE) return;
      const block = this.dev.block(b);
      if (this.m.initialValue(block.owner) !== 0) throw new Error(`file ${name}: block ${block.name} is already allocated`);
      this.m.initialize(block.owner, ownerCode(as, i));
    });
    this.files.push(f);
    return f;
  }

  mm(name = "mm"): MmStruct {
    return this.mc.mm(name);
  }

  /** A shared mapping of the whole file (DAX mappings of interest are MAP_SHARED). */
  vma(name: string, mm: MmStruct, f: DaxFile): Vma {
    const v = this.mc.vma(name, mm, f.as, { shared: true });
    // A DAX pte holds a pfn, not a struct page: it reads as the block it maps.
    this.mc.m.describe(v.pte, (x) => (x === PTE_NONE ? "none" : typeof x === "number" && isPfn(x) ? `pfn b${blockOfPfn(x)}` : this.mc.pageName(x)));
    return v;
  }

  block(id: number): Block {
    return this.dev.block(id);
  }

  /** The block an index's slot names in a final state (undefined for a hole). */
  blockAt(s: FinalState, f: DaxFile, index: number): Block | undefined {
    const b = extentBlock(s.int(f.slot(index)));
    return b === HOLE ? undefined : this.dev.block(b);
  }

  /** I-BLOCK: every pfn a pte maps belongs to a block allocated to that very (file, index). */
  checkBlocks(name = "I-BLOCK: no pte maps a pfn whose block is not allocated to that (file, index)"): void {
    this.m.forall(name, (s) => this.eachPfn(s, (vma, index, pfn) => s.int(this.dev.block(blockOfPfn(pfn)).owner) === ownerCode(vma.file, index)));
  }

  /** The information-leak half of I-BLOCK alone: no pte maps a block that now belongs to another (file, index). */
  checkNoForeignBlocks(name = "I-BLOCK: no pte maps a block allocated to another (file, index)"): void {
    this.m.forall(name, (s) =>
      this.eachPfn(s, (vma, index, pfn) => {
        const owner = s.int(this.dev.block(blockOfPfn(pfn)).owner);
        return owner === FREE_BLOCK || owner === ownerCode(vma.file, index);
      }),
    );
  }

  /** I-TRUNC for pfns (Machine.checkTruncation covers page-cache pages): no pte maps a pfn at or beyond i_size. */
  checkTruncatedPfns(name = "I-TRUNC: no pte maps a pfn at or beyond i_size"): void {
    this.m.forall(name, (s) => this.eachPfn(s, (vma, index) => index < s.int(vma.file.iSize)));
  }

  /**
   * No lost write: each writer thread that returns `{ stored: 1 }` stored
   * its bit `1 << k` into the block at (f, index); that bit must still be in
   * the block the file holds there at the end.
   */
  checkNoLostWrite(f: DaxFile, index: number, writers: readonly string[], name = "no lost write: a completed store is still in the file's block"): void {
    this.m.forall(name, (s) => {
      const b = this.blockAt(s, f, index);
      return writers.every((w, k) => s.result(w)?.stored !== 1 || (b !== undefined && (s.int(b.data) & (1 << k)) !== 0));
    });
  }

  /**
   * Single mapping (004-B5): every pte of (F, i) maps the same
   * backing, the block while there is one, the hole page only while (F, i)
   * is a hole. A hole page still mapped over an allocated block shows zeroes
   * where the file has data.
   */
  checkSingleMapping(name = "single mapping: a pte of (F, i) maps a hole page only while (F, i) is a hole"): void {
    this.m.forall(name, (s) => {
      for (const f of this.files)
        for (const v of f.as.vmas)
          for (const [i, pte] of v.pte.entries()) {
            const value = s.int(pte);
            if (value !== 0 && !isPfn(value) && this.blockAt(s, f, i) !== undefined) return false;
          }
      return true;
    });
  }

  private eachPfn(s: FinalState, ok: (vma: Vma, index: number, pfn: number) => boolean): boolean {
    for (const v of this.mc.vmas)
      for (const [i, pte] of v.pte.entries()) {
        const value = s.int(pte);
        if (isPfn(value) && !ok(v, i, value)) return false;
      }
    return true;
  }
}

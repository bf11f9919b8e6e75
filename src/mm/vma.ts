// A process address space (its mmap_lock) and a VMA mapping a file (shared
// or private, VM_LOCKED or not) with its page table: one pte per file index
// and the page-table lock (PTL) covering them.

import type { ModelBuilder } from "../program/model.ts";
import type { Loc } from "../program/value.ts";
import type { AddressSpace } from "./addressSpace.ts";
import { describeRwsem } from "../kernel/rwsem.ts";
import { describeLockWord } from "../kernel/spinlock.ts";

/** A pte that maps nothing. Otherwise a pte holds the id of the page it maps (or a DAX pfn). */
export const PTE_NONE = 0;

export class MmStruct {
  readonly mmapLock: Loc;
  constructor(m: ModelBuilder, readonly name: string) {
    this.mmapLock = m.location(`${name}.mmap_lock`, 0);
    describeRwsem(m, this.mmapLock);
  }
}

export interface VmaOptions {
  readonly shared?: boolean;
  readonly locked?: boolean;
  /**
   * Initial pte values by file index (page ids, or a swap entry's pte).
   * The ptes only: a page they map keeps the refcount and mapcount it was
   * declared with (Machine.vma's `mapped` raises both to match instead).
   */
  readonly ptes?: (index: number) => number;
}

export class Vma {
  readonly shared: boolean;
  /** VM_LOCKED: mlock()ed. Fixed for a model. */
  readonly locked: boolean;
  readonly pte: readonly Loc[];
  readonly ptl: Loc;

  constructor(
    m: ModelBuilder,
    readonly name: string,
    readonly mm: MmStruct,
    readonly file: AddressSpace,
    opts: VmaOptions,
  ) {
    this.shared = opts.shared ?? true;
    this.locked = opts.locked ?? false;
    this.pte = m.array(`pte(${name})`, file.iPages.length, opts.ptes ?? (() => PTE_NONE));
    this.ptl = m.location(`PTL(${name})`, 0);
    describeLockWord(m, this.ptl);
    file.vmas.push(this);
  }

  toString(): string {
    return this.name;
  }
}

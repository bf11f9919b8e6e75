// An inode and its address_space: i_size, the page cache (i_pages), and the
// locks that order faults against truncation: i_rwsem (the inode lock),
// i_mmap_rwsem (the rmap tree of VMAs), invalidate_lock (5.15+; before it
// the filesystems' own MMAPLOCK / i_mmap_sem) and the xarray's xa_lock.

import type { ModelBuilder } from "../program/model.ts";
import type { Loc } from "../program/value.ts";
import type { Vma } from "./vma.ts";
import { describeRwsem } from "../kernel/rwsem.ts";
import { describeLockWord } from "../kernel/spinlock.ts";

/** An empty i_pages slot. */
export const NO_PAGE = 0;

export class AddressSpace {
  /** i_size in pages (the models only need page granularity). */
  readonly iSize: Loc;
  /** i_pages[index]: a page id, NO_PAGE, or a DAX entry's encoding. */
  readonly iPages: readonly Loc[];
  readonly iRwsem: Loc;
  readonly iMmapRwsem: Loc;
  readonly invalidateLock: Loc;
  readonly xaLock: Loc;
  /** i_mmap: the VMAs that map this file (fixed for a model: mmap/munmap are not modelled as racing). */
  readonly vmas: Vma[] = [];

  constructor(
    m: ModelBuilder,
    /** page->mapping's value for this file's pages; never 0. */
    readonly id: number,
    readonly name: string,
    slots: number,
    size: number,
    cached: (index: number) => number,
  ) {
    this.iSize = m.location(`${name}.i_size`, size);
    this.iPages = m.array(`${name}.i_pages`, slots, cached);
    this.iRwsem = m.location(`${name}.i_rwsem`, 0);
    this.iMmapRwsem = m.location(`${name}.i_mmap_rwsem`, 0);
    this.invalidateLock = m.location(`${name}.invalidate_lock`, 0);
    this.xaLock = m.location(`${name}.xa_lock`, 0);
    describeRwsem(m, [this.iRwsem, this.iMmapRwsem, this.invalidateLock]);
    describeLockWord(m, this.xaLock);
  }

  toString(): string {
    return this.name;
  }
}

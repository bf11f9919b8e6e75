// struct page: flags, _refcount, _mapcount, mapping, index, and the
// compound-page fields in both encodings (pre-4.4: PG_tail plus a separate
// first_page pointer; since 4.4: one compound_head word with bit 0 = tail).
//
// The flags are one word, as in the kernel, or (the `split` layout) one
// location per flag: two RMWs on the same word are coherence-ordered, which
// hides store-buffering races between flags that in the kernel sit in
// different words (seed 002 needs both views).

import type { ModelBuilder } from "../program/model.ts";
import type { Loc } from "../program/value.ts";
import type { Bit } from "../kernel/bitops.ts";

export const PAGE_FLAGS = ["locked", "uptodate", "dirty", "writeback", "lru", "active", "unevictable", "mlocked", "head", "tail", "readahead"] as const;
export type PageFlag = (typeof PAGE_FLAGS)[number];
export type FlagLayout = "word" | "split";

/** page->mapping of an anonymous page (PAGE_MAPPING_ANON): never a file's id. */
export const ANON_MAPPING = -1;
/** page->mapping after the page left the page cache. */
export const NO_MAPPING = 0;

export interface PageOptions {
  readonly flags?: readonly PageFlag[];
  readonly layout?: FlagLayout;
  /** _refcount; 0 means the page is free (on the allocator's lists). */
  readonly refcount?: number;
  /** Number of ptes mapping it (the kernel stores this minus one in _mapcount). */
  readonly mapcount?: number;
  readonly mapping?: number;
  readonly index?: number;
}

export class Page {
  readonly refcount: Loc;
  readonly mapcount: Loc;
  readonly mapping: Loc;
  readonly index: Loc;
  /** 4.4+: the head's page id with bit 0 set on a tail, 0 otherwise (kept as `head id * 2 + 1`). */
  readonly compoundHead: Loc;
  /** pre-4.4: the head's page id, valid while PG_tail is set; the union reuses the word otherwise. */
  readonly firstPage: Loc;
  private readonly bits: Record<PageFlag, Bit>;

  constructor(
    m: ModelBuilder,
    /** The value ptes and i_pages hold for this page; never 0. */
    readonly id: number,
    readonly name: string,
    readonly layout: FlagLayout,
    opts: PageOptions,
  ) {
    const set = new Set(opts.flags ?? []);
    if (layout === "word") {
      const word = m.location(`${name}.flags`, PAGE_FLAGS.reduce((w, f, bit) => (set.has(f) ? w | (1 << bit) : w), 0));
      // Traces print the word as its set flags: `locked|uptodate`, not 3.
      m.describe(word, (v) => (typeof v === "number" ? PAGE_FLAGS.filter((_, bit) => v & (1 << bit)).join("|") || "no flags" : undefined));
      this.bits = Object.fromEntries(PAGE_FLAGS.map((f, bit) => [f, { loc: word, bit, name: `PG_${f}(${name})` }])) as Record<PageFlag, Bit>;
    } else {
      this.bits = Object.fromEntries(
        PAGE_FLAGS.map((f) => [f, { loc: m.location(`${name}.PG_${f}`, set.has(f) ? 1 : 0), bit: 0, name: `PG_${f}(${name})` }]),
      ) as Record<PageFlag, Bit>;
    }
    this.refcount = m.location(`${name}._refcount`, opts.refcount ?? 1);
    this.mapcount = m.location(`${name}.mapcount`, opts.mapcount ?? 0);
    this.mapping = m.location(`${name}.mapping`, opts.mapping ?? NO_MAPPING);
    this.index = m.location(`${name}.index`, opts.index ?? 0);
    this.compoundHead = m.location(`${name}.compound_head`, 0);
    this.firstPage = m.location(`${name}.first_page`, 0);
  }

  /** The flag as a bit of memory, for the kernel's bitops. */
  flag(f: PageFlag): Bit {
    return this.bits[f];
  }

  /** Reads a flag out of a final state's value of its word. */
  flagIn(value: (loc: Loc) => number, f: PageFlag): boolean {
    const b = this.bits[f];
    return (value(b.loc) & (1 << b.bit)) !== 0;
  }

  toString(): string {
    return this.name;
  }
}

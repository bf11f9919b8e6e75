// The simulated machine a scenario runs on: its struct pages, files, address
// spaces and VMAs, declared on a ModelBuilder, and the named invariants over
// them (I-TRUNC, I-FREE) as final-state checks. Scenario code builds one,
// then writes its threads with the mm paths.

import type { FinalState, ModelBuilder } from "../program/model.ts";
import { AddressSpace, NO_PAGE } from "./addressSpace.ts";
import type { Value } from "../program/value.ts";
import { ANON_MAPPING, NO_MAPPING, Page, type FlagLayout, type PageFlag, type PageOptions } from "./page.ts";
import { MmStruct, PTE_NONE, Vma, type VmaOptions } from "./vma.ts";
import { attachFreeHooks, type PageFreeHook } from "./freeHooks.ts";
import { ptePageId, pteText } from "./pte.ts";

export interface CachedPage {
  readonly index: number;
  readonly flags?: readonly PageFlag[];
  /** Page name in traces (default `P<index>` for the first file, `<file>.P<index>` otherwise). */
  readonly name?: string;
}

export interface FileOptions {
  /** i_size in pages. */
  readonly size: number;
  /** How many page-cache slots the model has (default: size). */
  readonly slots?: number;
  /** The pages in the page cache, uptodate unless given flags. Each holds the page cache's reference. */
  readonly cached?: readonly CachedPage[];
}

export class Machine {
  readonly pages: Page[] = [];
  readonly files: AddressSpace[] = [];
  readonly mms: MmStruct[] = [];
  readonly vmas: Vma[] = [];
  readonly layout: FlagLayout;
  /** What freePage runs after a page's last reference goes (the allocator's free list, the TLB check); see freeHooks.ts. */
  readonly freeHooks: PageFreeHook[] = [];

  constructor(
    readonly m: ModelBuilder,
    opts: { readonly flags?: FlagLayout } = {},
  ) {
    this.layout = opts.flags ?? "word";
  }

  /** A struct page outside any page cache (an anonymous page, a free page, a compound page's part). */
  page(name: string, opts: PageOptions = {}): Page {
    const p = new Page(this.m, this.pages.length + 1, name, opts.layout ?? this.layout, opts);
    this.pages.push(p);
    attachFreeHooks(p, this.freeHooks);
    this.m.describe(p.mapping, (v) => this.mappingName(v));
    return p;
  }

  file(name: string, opts: FileOptions): AddressSpace {
    const id = this.files.length + 1;
    const slots = opts.slots ?? opts.size;
    const byIndex = new Map<number, Page>();
    for (const c of opts.cached ?? []) {
      if (c.index >= slots) throw new Error(`file ${name}: cached page index ${c.index} is beyond its ${slots} slots`);
      const pageName = c.name ?? (id === 1 ? `P${c.index}` : `${name}.P${c.index}`);
      byIndex.set(c.index, this.page(pageName, { flags: c.flags ?? ["uptodate"], mapping: id, index: c.index, refcount: 1 }));
    }
    const f = new AddressSpace(this.m, id, name, slots, opts.size, (i) => byIndex.get(i)?.id ?? NO_PAGE);
    this.files.push(f);
    this.m.describe(f.iPages, (v) => (v === NO_PAGE ? "empty" : this.pageName(v)));
    return f;
  }

  /** The page `file(..., { cached })` put at `index` of `file`, as the model starts. */
  cachedPage(file: AddressSpace, index: number): Page {
    const page = this.pageById(this.m.initialValue(file.iPages[index]!) as number);
    if (page === undefined) throw new Error(`cachedPage: index ${index} of ${file.name} has no cached page`);
    return page;
  }

  mm(name = "mm"): MmStruct {
    const mm = new MmStruct(this.m, name);
    this.mms.push(mm);
    return mm;
  }

  /** A VMA mapping `file` from index 0. `mapped` indices start with a present pte to the cached page (its refcount and mapcount raised to match). */
  vma(name: string, mm: MmStruct, file: AddressSpace, opts: VmaOptions & { readonly mapped?: readonly number[] } = {}): Vma {
    const mapped = new Set(opts.mapped ?? []);
    const initialPage = (i: number) => this.m.initialValue(file.iPages[i]!) as number;
    for (const i of mapped) {
      const p = this.pageById(initialPage(i));
      if (p === undefined) throw new Error(`vma ${name}: index ${i} of ${file.name} has no cached page to map`);
      this.m.initialize(p.refcount, (this.m.initialValue(p.refcount) as number) + 1);
      this.m.initialize(p.mapcount, (this.m.initialValue(p.mapcount) as number) + 1);
    }
    const v = new Vma(this.m, name, mm, file, { ...opts, ptes: opts.ptes ?? ((i) => (mapped.has(i) ? initialPage(i) : PTE_NONE)) });
    this.vmas.push(v);
    this.m.describe(v.pte, (x) => (typeof x === "number" ? pteText(x, (id) => this.pageName(id)) : undefined));
    return v;
  }

  /**
   * A page id as traces print it: the page's name with the file it was
   * created in (`P1 of F`; `B.P0` already names it), so a pte or slot value
   * reads as a page. Undefined (the number is printed) for ids that are no page, such as DAX pfns.
   */
  pageName(id: Value): string | undefined {
    const p = typeof id === "number" ? this.pageById(id) : undefined;
    if (p === undefined) return undefined;
    const mapping = this.m.initialValue(p.mapping);
    const file = typeof mapping === "number" && mapping > 0 ? this.files[mapping - 1] : undefined;
    return file === undefined || p.name.startsWith(`${file.name}.`) ? p.name : `${p.name} of ${file.name}`;
  }

  /** page->mapping as traces print it: the file's name, `anon`, or `none`. */
  private mappingName(v: Value): string | undefined {
    if (v === ANON_MAPPING) return "anon";
    if (v === NO_MAPPING) return "none";
    return typeof v === "number" ? this.files[v - 1]?.name : undefined;
  }

  pageById(id: number): Page | undefined {
    return this.pages[id - 1];
  }

  /**
   * I-TRUNC: every present pte of a file VMA maps either an anonymous (COW)
   * page or a page that is in that file's page cache at that index, below
   * i_size. After truncation returns this is what the kernel promises.
   */
  checkTruncation(name = "I-TRUNC: no pte maps a page that left the page cache or lies beyond i_size"): void {
    this.m.forall(name, (s) => this.truncationHolds(s));
  }

  private truncationHolds(s: FinalState): boolean {
    for (const v of this.vmas) {
      for (const [i, pte] of v.pte.entries()) {
        const id = ptePageId(s.int(pte));
        if (id === PTE_NONE) continue;
        const p = this.pageById(id);
        if (p === undefined) continue; // a pfn (DAX): I-BLOCK's business
        if (s.int(p.mapping) === ANON_MAPPING) continue;
        if (s.int(p.mapping) !== v.file.id || s.int(v.file.iPages[i]!) !== id || i >= s.int(v.file.iSize)) return false;
      }
    }
    return true;
  }

  /** I-FREE at quiescence: no free page (refcount 0) is mapped by a pte or still in a page cache. */
  checkFree(name = "I-FREE: no freed page is still mapped or in the page cache"): void {
    this.m.forall(name, (s) => {
      const freed = new Set(this.pages.filter((p) => s.int(p.refcount) === 0).map((p) => p.id));
      if (freed.size === 0) return true;
      return (
        this.vmas.every((v) => v.pte.every((pte) => !freed.has(ptePageId(s.int(pte))))) &&
        this.files.every((f) => f.iPages.every((slot) => !freed.has(s.int(slot))))
      );
    });
  }
}

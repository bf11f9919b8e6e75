// Anonymous memory (mm/memory.c, mm/rmap.c): a VMA backed by no file, whose
// pages come from the allocator on first touch and go to swap under
// pressure. Its ptes use the full encoding of pte.ts: present pages with
// their write and dirty bits, and swap entries.
//
// A Vma in this model maps a file's indices; an anonymous VMA gets an
// address_space of its own that no path looks up (no i_pages slot is ever
// filled), so every mm path that takes a Vma works on it unchanged.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { AddressSpace, NO_PAGE } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import { ANON_MAPPING, type Page } from "./page.ts";
import { allocPage, type PageAllocator } from "./pageAlloc.ts";
import { putPage } from "./pageRef.ts";
import { pageDataOf, writePageData } from "./pageData.ts";
import { pageAddRmap } from "./pageTable.ts";
import { mkPte, ptePageId, pteText } from "./pte.ts";
import { PTE_NONE, Vma, type MmStruct } from "./vma.ts";

export interface AnonymousVmaOptions {
  /** Initial pte values (encoded as in pte.ts) by page index; none by default. The caller accounts the pages' counts. */
  readonly ptes?: (index: number) => number;
}

/** Vmas made by anonymousVma: vma_is_anonymous(). */
const anonymousVmas = new WeakSet<Vma>();

/** A private anonymous VMA of `pages` pages in `mm` (mmap(MAP_PRIVATE | MAP_ANONYMOUS)). Its ptes are covered by the machine's I-FREE. */
export function anonymousVma(mc: Machine, name: string, mm: MmStruct, pages: number, opts: AnonymousVmaOptions = {}): Vma {
  const none = new AddressSpace(mc.m, ANON_MAPPING, `${name}.anon`, pages, 0, () => NO_PAGE);
  const v = new Vma(mc.m, name, mm, none, { shared: false, ptes: opts.ptes ?? (() => PTE_NONE) });
  anonymousVmas.add(v);
  mc.vmas.push(v);
  mc.m.describe(v.pte, (x) => (typeof x === "number" ? pteText(x, (id) => mc.pageName(id)) : undefined));
  return v;
}

/** vma_is_anonymous(), v4.x–v6.x. */
export function vmaIsAnonymous(v: Vma): boolean {
  return anonymousVmas.has(v);
}

/** A page already mapped by `count` anonymous ptes at the start of a model: mapping anon, one reference and one mapcount per pte. */
export function anonPage(mc: Machine, name: string, count = 1): Page {
  return mc.page(name, { mapping: ANON_MAPPING, refcount: count, mapcount: count, flags: ["uptodate"] });
}

/** page_add_new_anon_rmap(), v5.x: a page nobody else can see yet becomes anonymous and gets its first mapping. */
export function* pageAddNewAnonRmap(t: ThreadContext, p: Page): Access<void> {
  yield* t.write(p.mapping, ANON_MAPPING, "once", undefined, `${p.name}.mapping = anon`);
  yield* pageAddRmap(t, p);
}

/**
 * do_anonymous_page(), v5.x, for a write fault: allocate a zeroed page,
 * then under the PTL install it writable and dirty if the pte is still
 * none; if another thread's fault got there first, free the page again
 * (the kernel's `release` label). Returns whether this fault installed it;
 * false also when the allocator is empty (VM_FAULT_OOM).
 */
export function* doAnonymousPage(t: ThreadContext, a: PageAllocator, v: Vma, index: number): Access<boolean> {
  t.step(`do_anonymous_page(${v.name}, ${index}): alloc_zeroed_user_highpage`);
  const p = yield* allocPage(t, a);
  if (p === undefined) return false;
  if (pageDataOf(p) !== undefined) yield* writePageData(t, p, 0); // the page comes zeroed
  t.step(`do_anonymous_page(${v.name}, ${index}): pte lock`);
  yield* spinLock(t, v.ptl);
  const installed = (yield* t.read(v.pte[index]!, "once")) === PTE_NONE;
  if (installed) {
    yield* pageAddNewAnonRmap(t, p);
    yield* t.write(v.pte[index]!, mkPte(p.id, { write: true, dirty: true }), "once", undefined, `set_pte_at(${v.name}, ${index}) := ${p.name} rw dirty`);
  }
  yield* spinUnlock(t, v.ptl);
  if (!installed) {
    t.step(`do_anonymous_page(${v.name}, ${index}): pte already set, release ${p.name}`);
    yield* putPage(t, p);
  }
  return installed;
}

export const I_MAPCOUNT = "I-MAPCOUNT: every page's mapcount is the number of ptes that map it";

/** I-MAPCOUNT at quiescence: each page of the machine is mapped by exactly as many present ptes as its mapcount says. */
export function checkMapcount(mc: Machine, name = I_MAPCOUNT): void {
  mc.m.forall(name, (s) => {
    const ptes = new Map<number, number>();
    for (const v of mc.vmas)
      for (const pte of v.pte) {
        const id = ptePageId(s.int(pte));
        if (id !== PTE_NONE) ptes.set(id, (ptes.get(id) ?? 0) + 1);
      }
    return mc.pages.every((p) => s.int(p.mapcount) === (ptes.get(p.id) ?? 0));
  });
}

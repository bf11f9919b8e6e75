// The order-0 page allocator (mm/page_alloc.c): a free list of single
// pages. A page whose _refcount has just reached 0 is not yet free: the
// freeing thread still has to run the free-time checks (free_pages_check)
// and put it on the list, and only then may alloc_page hand it out. A
// model that lets an allocation take any page whose count is 0 allocates
// pages still being freed and reports frees that never happened.
//
// The free list is one word: a bit per page id, taken and given back with
// one RMW each (the zone lock's critical section). alloc_page takes the
// lowest free page, deterministically, as a model of "some free page".

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { misuse } from "../kernel/kernelThread.ts";
import type { Machine } from "./machine.ts";
import type { Page, PageFlag } from "./page.ts";
import { putPage } from "./pageRef.ts";

/** PAGE_FLAGS_CHECK_AT_FREE / _AT_PREP, the subset the model has: a page carrying one of these is a "bad page". */
export const FLAGS_CHECKED_AT_FREE: readonly PageFlag[] = ["locked", "writeback", "lru", "active", "unevictable", "mlocked"];

const bitOf = (p: Page) => 1 << p.id;

export class PageAllocator {
  /** The zone's free list: bit `id` set while page `id` is on it. */
  readonly freeList: Loc;

  /**
   * The allocator of `mc`: every page that machine frees from now on goes on
   * the free list. `free` pages start there, with _refcount 0.
   */
  constructor(
    readonly mc: Machine,
    opts: { readonly free?: readonly Page[] } = {},
  ) {
    const free = opts.free ?? [];
    for (const p of free) mc.m.initialize(p.refcount, 0);
    this.freeList = mc.m.location("free_list", free.reduce((w, p) => w | bitOf(p), 0));
    mc.freeHooks.push((t, p) => freeUnrefPage(t, this, p));
  }
}

/** Reads a page's flags and reports the first one the allocator refuses (bad_page). */
function* badFlag(t: ThreadContext, p: Page): Access<PageFlag | undefined> {
  // One read per flags word: with the one-word layout, one read sees them all.
  const words = new Map<Loc, number>();
  for (const f of FLAGS_CHECKED_AT_FREE) {
    const b = p.flag(f);
    if (!words.has(b.loc)) words.set(b.loc, yield* t.read(b.loc, "once"));
    if ((words.get(b.loc)! & (1 << b.bit)) !== 0) return f;
  }
  return undefined;
}

/**
 * free_unref_page(), v5.x (__free_pages for order 0): the page's last
 * reference is gone. free_pages_prepare's checks, then onto the free list.
 * Reached through freePage (pageRef.ts), after its I-FREE checks.
 */
export function* freeUnrefPage(t: ThreadContext, a: PageAllocator, p: Page): Access<void> {
  t.step(`free_unref_page(${p.name})`);
  const bad = yield* badFlag(t, p);
  if (bad !== undefined) misuse(t, `bad page: ${p.name} freed with PG_${bad} set`);
  const old = yield* t.rmw(a.freeList, (w) => w | bitOf(p), "mb", `list_add(${p.name}, free_list)`);
  if ((old & bitOf(p)) !== 0) misuse(t, `${p.name} freed twice: it is already on the free list`);
}

/**
 * alloc_page(GFP_KERNEL), v5.x: take a page off the free list (rmqueue),
 * check it (check_new_page: count 0, unmapped, no flags the allocator
 * refuses) and give it its first reference (set_page_refcounted). Returns
 * undefined when the list is empty (the real allocator would find memory
 * elsewhere or reclaim; the models need no more pages than they declare).
 */
export function* allocPage(t: ThreadContext, a: PageAllocator): Access<Page | undefined> {
  t.step("alloc_page");
  const old = yield* t.rmw(a.freeList, (w) => (w === 0 ? undefined : w & (w - 1)), "mb", "rmqueue(free_list)");
  if (old === 0) return undefined;
  const p = a.mc.pageById(Math.log2(old & -old))!;
  t.step(`check_new_page(${p.name})`);
  const count = yield* t.read(p.refcount, "once");
  if (count !== 0) misuse(t, `bad page: ${p.name} allocated with _refcount ${count}`);
  const mapcount = yield* t.read(p.mapcount, "once");
  if (mapcount !== 0) misuse(t, `bad page: ${p.name} allocated while ${mapcount} pte(s) map it`);
  const bad = yield* badFlag(t, p);
  if (bad !== undefined) misuse(t, `bad page: ${p.name} allocated with PG_${bad} set`);
  yield* t.write(p.refcount, 1, "once", undefined, `set_page_refcounted(${p.name})`);
  return p;
}

/** __free_pages(page, 0), v5.x: drop a reference the caller holds; the last one frees the page (freePage, then its machine's hooks). */
export function freePages(t: ThreadContext, p: Page): Access<boolean> {
  return putPage(t, p);
}

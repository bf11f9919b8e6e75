// The page allocator, as far as a compound page's lifetime needs it
// (mm/page_alloc.c, mm/swap.c): the last put_page frees the block onto a
// free list, alloc_pages takes it off again and preps it, and in between the
// block's struct pages may serve another user (a slab) that writes the union
// words. One free list of one order holds at most the one block a scenario
// declares: its head's id, or 0 when it is allocated.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc, Value } from "../program/value.ts";
import { refPutTestZero } from "../kernel/refcount.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { unionWord, type CompoundKernel, type CompoundPage } from "./compound.ts";

export class FreeArea {
  /** free_area[order]: the free block's head id, or 0. */
  readonly list: Loc;
  constructor(
    mc: Machine,
    readonly order: number,
    initial: number,
  ) {
    this.list = mc.m.location(`free_area[${order}]`, initial);
  }
}

/** __free_one_page(), v4.x: the block goes on the free list (zone->lock held: one store). */
function* freeOnePage(t: ThreadContext, area: FreeArea, c: CompoundPage): Access<void> {
  yield* t.write(area.list, c.head.id, "release", undefined, `list_add(${c.head.name}, free_area[${area.order}])`);
}

/** __rmqueue(), v4.x: takes the block off the free list if it is there (zone->lock held: one RMW; a miss only reads). */
function* rmqueue(t: ThreadContext, area: FreeArea, c: CompoundPage): Access<boolean> {
  const got = yield* t.rmw(area.list, (v) => (v === c.head.id ? 0 : undefined), "acquire", `rmqueue(free_area[${area.order}])`);
  return got === c.head.id;
}

/** __free_pages_ok(), v4.x: free_pages_prepare tears the tails down, then the block joins the free list. */
export function* freePagesOk(t: ThreadContext, k: CompoundKernel, area: FreeArea, c: CompoundPage): Access<void> {
  yield* k.freePagesPrepare(t, c);
  t.step(`__free_one_page(${c.head.name}, order ${c.order})`);
  yield* freeOnePage(t, area, c);
}

/**
 * put_page() on a compound page, v4.2: the last reference runs the compound
 * destructor (free_compound_page → __free_pages_ok). Returns whether it freed.
 */
export function* putCompoundPage(t: ThreadContext, k: CompoundKernel, area: FreeArea, c: CompoundPage): Access<boolean> {
  t.step(`put_page(${c.head.name})`);
  if (!(yield* refPutTestZero(t, c.head.refcount))) return false;
  yield* freePagesOk(t, k, area, c);
  return true;
}

/**
 * alloc_pages(__GFP_COMP, order), v4.x: take the block if it is free, then
 * prep_new_page (set_page_refcounted on the head) and prep_compound_page.
 * Returns false when the block is not free (the allocator would find
 * other memory; nothing here looks at it).
 */
export function* allocPagesCompound(t: ThreadContext, k: CompoundKernel, area: FreeArea, c: CompoundPage): Access<boolean> {
  t.step(`alloc_pages(__GFP_COMP, ${c.order})`);
  if (!(yield* rmqueue(t, area, c))) return false;
  t.step(`prep_new_page(${c.head.name}): set_page_refcounted`);
  yield* t.write(c.head.refcount, 1, "once", undefined, `set_page_refcounted(${c.head.name})`);
  yield* k.prepCompoundPage(t, c);
  return true;
}

export interface BlockUse {
  readonly page: Page;
  /** What it stores in the page's union word, and how the trace names the store. */
  readonly value: Value;
  readonly store: string;
  /** Step labels: taking the block, using the page, giving the block back. */
  readonly take: string;
  readonly use: string;
  readonly release: string;
}

/**
 * Between a free and the next compound allocation the block's pages serve
 * other users (split into buddies, a slab, a page table), each of which
 * writes the union words. Modelled as one borrow: take the block, store
 * `value` in one page's union word, give the block back. Nobody clears the
 * word on the way out: the next owner finds the stale value. Returns
 * whether the block was free to borrow.
 */
export function* borrowBlock(t: ThreadContext, k: CompoundKernel, area: FreeArea, c: CompoundPage, use: BlockUse): Access<boolean> {
  t.step(use.take);
  if (!(yield* rmqueue(t, area, c))) return false;
  t.step(use.use);
  yield* t.write(unionWord(use.page, k.encoding), use.value, "once", undefined, use.store);
  t.step(use.release);
  yield* freeOnePage(t, area, c);
  return true;
}

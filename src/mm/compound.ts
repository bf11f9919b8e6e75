// Compound pages (mm/page_alloc.c, include/linux/mm.h, page-flags.h): a head
// page and its tails, and how a tail finds its head, in the two encodings
// the kernel has used:
//
// - "two-field" (v2.6.x–4.3): PG_tail in the tail's flags plus a separate
//   page->first_page pointer. first_page shares a union word with
//   page->private, ->ptl and ->slab_cache, so once the compound page is freed
//   that word holds whatever its next user stores there.
// - "one-word" (v4.4+, 1d798ca3f164): page->compound_head, bit 0 set on a
//   tail and the head's address in the other bits. It shares its word with
//   lru.next, rcu_head.next, ...: every other user must keep bit 0 clear.
//
// A union word holds a typed value: a page id (a struct page pointer), 0
// (NULL), or a location standing for some other kernel object (a kmem_cache,
// a list head), so a trace shows `&kmem_cache` where a head was expected.
// In the one-word encoding a tail stores `head id * 2 + 1`.
//
// The kernel writes these fields with plain C stores and reads them with
// plain loads (test_bit for the flag). They are modelled as marked
// (READ_ONCE/WRITE_ONCE) accesses: the question here is what the hardware
// may reorder; LKMM would call the plain versions data races outright.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc, Value } from "../program/value.ts";
import { smpRmb, smpWmb } from "../kernel/barriers.ts";
import { testBit } from "../kernel/bitops.ts";
import type { Machine } from "./machine.ts";
import type { Page, PageFlag } from "./page.ts";

export type HeadEncoding = "two-field" | "one-word";

export interface CompoundPage {
  readonly head: Page;
  readonly tails: readonly Page[];
  readonly order: number;
  readonly encoding: HeadEncoding;
}

export interface CompoundOptions {
  readonly order: number;
  readonly encoding: HeadEncoding;
  /** Page names are `<prefix><i>` (default `P`). */
  readonly prefix?: string;
  /** true: in use as a compound page, the head holding one reference; false: free pages on the allocator's lists. */
  readonly allocated: boolean;
  /** Extra references on the head (a caller that holds one), when allocated. */
  readonly extraRefs?: number;
}

/** Declares 2^order contiguous struct pages, as one compound page or as a free block. */
export function declareCompoundPage(mc: Machine, opts: CompoundOptions): CompoundPage {
  const prefix = opts.prefix ?? "P";
  const n = 1 << opts.order;
  const on = opts.allocated;
  const head = mc.page(`${prefix}0`, { flags: on ? ["head"] : [], refcount: on ? 1 + (opts.extraRefs ?? 0) : 0 });
  const tails: Page[] = [];
  for (let i = 1; i < n; i++) {
    const twoFieldTail = on && opts.encoding === "two-field";
    const p = mc.page(`${prefix}${i}`, { flags: twoFieldTail ? ["tail"] : [], refcount: 0 });
    if (on) mc.m.initialize(unionWord(p, opts.encoding), opts.encoding === "two-field" ? head.id : encodeCompoundHead(head));
    tails.push(p);
  }
  return { head, tails, order: opts.order, encoding: opts.encoding };
}

/**
 * I-HEAD at quiescence: every page that says it is a tail names the right
 * head (PG_tail implies first_page; a compound_head word with bit 0 set
 * decodes to the head). Holds between any two kernel operations that
 * complete; compound_head() readers race with the ones in flight.
 */
export function checkTailsConsistent(mc: Machine, c: CompoundPage): void {
  mc.m.forall(`I-HEAD: at quiescence every tail of ${c.head.name} names ${c.head.name} as its head`, (s) =>
    c.tails.every((p) => {
      if (c.encoding === "two-field") return !p.flagIn((l) => s.int(l), "tail") || s.value(p.firstPage) === c.head.id;
      const word = s.value(p.compoundHead);
      return typeof word !== "number" || (word & 1) === 0 || word === encodeCompoundHead(c.head);
    }),
  );
}

/** The word a tail's head lives in: first_page (two-field) or compound_head (one-word); others reuse it when the page is not a tail. */
export function unionWord(p: Page, encoding: HeadEncoding): Loc {
  return encoding === "two-field" ? p.firstPage : p.compoundHead;
}

/** set_compound_head's value: the head's address with bit 0 set. */
export function encodeCompoundHead(head: Page): number {
  return head.id * 2 + 1;
}

/** A kernel object that is not a struct page, whose address a union word may hold (a kmem_cache, a list head). */
export function kernelObject(mc: Machine, name: string): Loc {
  return mc.m.location(name, 0);
}

/** compound_head's result: a page id, 0 (NULL), or the address of something else. */
export type HeadPointer = Value;
export type CompoundHeadFn = (t: ThreadContext, p: Page) => Access<HeadPointer>;

/** PageTail(), v2.6.x–4.3 (two-field encoding): test_bit(PG_tail, &page->flags). */
export function pageTail(t: ThreadContext, p: Page): Access<boolean> {
  return testBit(t, p.flag("tail"));
}

/** __SetPageTail() / __ClearPageTail(), v2.6.x–4.3: non-atomic __set_bit on a page its owner alone writes (one store with the split layout). */
function* setFlagNonAtomic(t: ThreadContext, p: Page, f: PageFlag, on: boolean): Access<void> {
  const b = p.flag(f);
  const name = `__${on ? "Set" : "Clear"}Page${f[0]!.toUpperCase()}${f.slice(1)}(${p.name})`;
  const word = p.layout === "split" ? 0 : yield* t.read(b.loc, "once");
  yield* t.write(b.loc, on ? word | (1 << b.bit) : word & ~(1 << b.bit), "once", undefined, name);
}

function* readFirstPage(t: ThreadContext, p: Page): Access<HeadPointer> {
  return yield* t.readPointer(p.firstPage, "once", undefined, `${p.name}->first_page`);
}

/** compound_head(), v2.6.x–3.13: a tail's first_page, taken as is. */
export function* compoundHeadV3_13(t: ThreadContext, p: Page): Access<HeadPointer> {
  t.step(`compound_head(${p.name}): PageTail?`);
  if (!(yield* pageTail(t, p))) return p.id;
  t.step(`compound_head(${p.name}): head = first_page`);
  return yield* readFirstPage(t, p);
}

/**
 * compound_head(), v3.14–4.3 (668f9abbd433 "mm: close PageTail race", from
 * Andrea's compound_trans_head): read first_page, smp_rmb, and return it only
 * if the page is still PageTail. The rmb orders the first_page load before
 * the re-check (a split clears PG_tail before reusing first_page); nothing
 * orders the first PageTail test before the first_page load.
 */
export function compoundHeadV3_14(t: ThreadContext, p: Page): Access<HeadPointer> {
  return compoundHeadRechecked(t, p, false);
}

/**
 * Not a kernel version: 668f9abbd433's compound_head with a second smp_rmb
 * between the PageTail test and the first_page load, the reader half of the
 * message-passing pair that prep_compound_page's smp_wmb needs.
 */
export function compoundHeadRmbAfterTest(t: ThreadContext, p: Page): Access<HeadPointer> {
  return compoundHeadRechecked(t, p, true);
}

function* compoundHeadRechecked(t: ThreadContext, p: Page, rmbAfterTest: boolean): Access<HeadPointer> {
  t.step(`compound_head(${p.name}): PageTail?`);
  if (!(yield* pageTail(t, p))) return p.id;
  t.step(`compound_head(${p.name}): head = first_page`);
  if (rmbAfterTest) yield* smpRmb(t);
  const head = yield* readFirstPage(t, p);
  t.step(`compound_head(${p.name}): smp_rmb, PageTail again?`);
  yield* smpRmb(t);
  return (yield* pageTail(t, p)) ? head : p.id;
}

/** compound_head(), v4.4+ (1d798ca3f164 "mm: make compound_head() robust"): one READ_ONCE gives is-tail and head together. */
export function* compoundHeadV4_4(t: ThreadContext, p: Page): Access<HeadPointer> {
  t.step(`compound_head(${p.name}): READ_ONCE(compound_head)`);
  const word = yield* t.readValue(p.compoundHead, "once", undefined, `READ_ONCE(${p.name}->compound_head)`);
  // A pointer to anything else (a list head) is aligned: bit 0 clear.
  if (typeof word === "number" && (word & 1) === 1) return (word - 1) / 2;
  return p.id;
}

/** prep_compound_page(), v2.6.x–3.13: PG_tail is set before first_page is written. */
export function* prepCompoundPageV3_13(t: ThreadContext, c: CompoundPage): Access<void> {
  for (const p of c.tails) {
    t.step(`prep_compound_page(${c.head.name}): tail ${p.name}`);
    yield* setFlagNonAtomic(t, p, "tail", true);
    // set_page_count(p, 0): the tail's count is 0 already, and no scanner here reads it.
    yield* t.write(p.firstPage, c.head.id, "once", undefined, `${p.name}->first_page = ${c.head.name}`);
  }
}

/**
 * prep_compound_page(), v3.14–4.3 (668f9abbd433): first_page, smp_wmb, then
 * PG_tail. `wmb: false` keeps the order but drops the barrier.
 */
export function* prepCompoundPageV3_14(t: ThreadContext, c: CompoundPage, opts: { readonly wmb?: boolean } = {}): Access<void> {
  for (const p of c.tails) {
    t.step(`prep_compound_page(${c.head.name}): tail ${p.name}`);
    yield* t.write(p.firstPage, c.head.id, "once", undefined, `${p.name}->first_page = ${c.head.name}`);
    if (opts.wmb ?? true) yield* smpWmb(t);
    yield* setFlagNonAtomic(t, p, "tail", true);
  }
}

/** prep_compound_page(), v4.4+ (1d798ca3f164): set_compound_head(), one WRITE_ONCE per tail; no barrier needed. */
export function* prepCompoundPageV4_4(t: ThreadContext, c: CompoundPage): Access<void> {
  for (const p of c.tails) {
    t.step(`prep_compound_page(${c.head.name}): tail ${p.name}`);
    yield* t.write(p.compoundHead, encodeCompoundHead(c.head), "once", undefined, `set_compound_head(${p.name}, ${c.head.name})`);
  }
}

/**
 * free_pages_prepare(), v4.2 (two-field): the flags check clears PG_tail on
 * each tail. first_page is left as it was: the word now belongs to whoever
 * gets the page next (the buddy allocator's page->private, a slab's
 * slab_cache, a page table's ptl).
 */
export function* freePagesPrepareV4_2(t: ThreadContext, c: CompoundPage): Access<void> {
  for (const p of c.tails) {
    t.step(`free_pages_prepare(${c.head.name}): tail ${p.name} torn down`);
    yield* setFlagNonAtomic(t, p, "tail", false);
  }
}

/** free_pages_prepare() → free_tail_pages_check(), v4.4: clear_compound_head() on each tail. */
export function* freePagesPrepareV4_4(t: ThreadContext, c: CompoundPage): Access<void> {
  for (const p of c.tails) {
    t.step(`free_tail_pages_check(${c.head.name}): tail ${p.name}`);
    yield* t.write(p.compoundHead, 0, "once", undefined, `clear_compound_head(${p.name})`);
  }
}

/** One kernel's compound-page code: how it encodes, finds, builds and tears down a tail. */
export interface CompoundKernel {
  readonly encoding: HeadEncoding;
  readonly compoundHead: CompoundHeadFn;
  readonly prepCompoundPage: (t: ThreadContext, c: CompoundPage) => Access<void>;
  readonly freePagesPrepare: (t: ThreadContext, c: CompoundPage) => Access<void>;
}

/** Before 668f9abbd433. */
export const COMPOUND_V3_13: CompoundKernel = {
  encoding: "two-field",
  compoundHead: compoundHeadV3_13,
  prepCompoundPage: prepCompoundPageV3_13,
  freePagesPrepare: freePagesPrepareV4_2,
};

/** 668f9abbd433 (v3.14) to v4.3: the kernel of the seed thread (v4.2-rc, mmotm Aug 2015). */
export const COMPOUND_V3_14: CompoundKernel = {
  encoding: "two-field",
  compoundHead: compoundHeadV3_14,
  prepCompoundPage: (t, c) => prepCompoundPageV3_14(t, c),
  freePagesPrepare: freePagesPrepareV4_2,
};

/** 1d798ca3f164 (v4.4) on. */
export const COMPOUND_V4_4: CompoundKernel = {
  encoding: "one-word",
  compoundHead: compoundHeadV4_4,
  prepCompoundPage: prepCompoundPageV4_4,
  freePagesPrepare: freePagesPrepareV4_4,
};

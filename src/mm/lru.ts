// The LRU lists and lru_lock (mm/swap.c, mm/vmscan.c), for the mlock and
// unevictable-list races of seed 002.
//
// A page under LRU management has PG_lru (in page->flags: set while it is on
// a list, cleared by whoever isolates it) and its list link, page->lru,
// which says which list it is linked on; the link changes only under
// lru_lock. PG_unevictable is not modelled: the kernel keeps it equal to
// "linked on the unevictable list" under lru_lock, so the link says it.
// Isolation hands the page to its isolator, who must put it back; whoever
// finds PG_lru clear leaves the page alone, trusting that isolator to
// re-check evictability when it puts the page back. That trust is the race.
//
// page_evictable() also asks the page's mapping: AS_UNEVICTABLE lives in
// mapping->flags (SHM_LOCK, ramfs), a word apart from page->flags.

import type { ModelBuilder } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { clearBit, setBit, testBit, type Bit } from "../kernel/bitops.ts";
import { smpMb, smpMbAfterAtomic } from "../kernel/barriers.ts";
import { describeLockWord, spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { misuse } from "../kernel/kernelThread.ts";
import type { Page } from "./page.ts";
import { getPageUnlessZero, putPage } from "./pageRef.ts";
import { branchOn } from "../program/controlDependency.ts";

/** PageXxx() tested to decide what to do next (a control dependency for what follows). */
export const pageTest = (t: ThreadContext, b: Bit): Access<boolean> => branchOn(t, testBit(t, b));

/** page->lru: not linked (isolated, or never added), on an evictable list, on the unevictable list. */
export const NOT_LINKED = 0;
export const EVICTABLE = 1;
export const UNEVICTABLE = 2;
export type LruList = typeof NOT_LINKED | typeof EVICTABLE | typeof UNEVICTABLE;

// Two coarsenings for scenarios that do not need the detail: every access
// costs executions, and under LKMM the engine first guesses the value of
// every read of every run of a thread, which grows as (values)^(reads).
export interface LruOptions {
  /** Whether isolation takes a page reference and putback drops it (default true). Leave them out when no page can be freed. */
  readonly pageRefs?: boolean;
  /**
   * Rescue a page just seen evictable (isolate_lru_page, then
   * putback_lru_page onto an evictable list) in one lru_lock section instead
   * of two (default false). Exact when the page cannot turn unevictable
   * again: the putback would find it evictable, and while it is isolated
   * nobody else could do more than give up on it or rescue it too.
   */
  readonly foldRescue?: boolean;
}

/** The zone's (later the node's, then the lruvec's) LRU lists: their lock, each page's list link, and the mapping flags page_evictable() reads. */
export class Lru {
  readonly lruLock: Loc;
  readonly pageRefs: boolean;
  readonly foldRescue: boolean;
  private readonly links = new Map<Page, Loc>();
  private readonly mappingFlags = new Map<Page, Bit>();

  constructor(
    private readonly m: ModelBuilder,
    opts: LruOptions = {},
  ) {
    this.lruLock = m.location("lru_lock", 0);
    describeLockWord(m, this.lruLock);
    this.pageRefs = opts.pageRefs ?? true;
    this.foldRescue = opts.foldRescue ?? false;
  }

  /** Puts a page under LRU management, linked on `list` (PG_lru must say the same). */
  manage(p: Page, list: LruList): void {
    const onLru = p.flagIn((loc) => this.m.initialValue(loc) as number, "lru");
    if (onLru !== (list !== NOT_LINKED)) throw new Error(`${p}: PG_lru ${onLru ? "set" : "clear"} but the page is ${list === NOT_LINKED ? "not " : ""}linked on a list`);
    const link = this.m.location(`${p.name}.lru`, list);
    this.m.describe(link, (v) => (v === NOT_LINKED ? "not linked" : v === EVICTABLE ? "evictable list" : v === UNEVICTABLE ? "unevictable list" : undefined));
    this.links.set(p, link);
  }

  /** page->lru of a managed page. */
  link(p: Page): Loc {
    const l = this.links.get(p);
    if (l === undefined) throw new Error(`${p} is not under LRU management (Lru.manage)`);
    return l;
  }

  /** Declares a mapping's flags word with its AS_UNEVICTABLE bit, and the pages whose page_mapping() it is. */
  unevictableMapping(name: string, unevictable: boolean, pages: readonly Page[]): Bit {
    const AS_UNEVICTABLE = 3; // any bit: nothing else of mapping->flags is modelled
    const bit: Bit = { loc: this.m.location(`${name}.flags`, unevictable ? 1 << AS_UNEVICTABLE : 0), bit: AS_UNEVICTABLE, name: `AS_UNEVICTABLE(${name})` };
    for (const p of pages) this.mappingFlags.set(p, bit);
    return bit;
  }

  /** AS_UNEVICTABLE of the page's mapping, when the page has a mapping with flags (anonymous pages have none). */
  asUnevictable(p: Page): Bit | undefined {
    return this.mappingFlags.get(p);
  }
}

/** Reads a flag out of a final state (for the checks at quiescence). */
export function flagAt(value: (loc: Loc) => number, b: Bit): boolean {
  return (value(b.loc) & (1 << b.bit)) !== 0;
}

/** page_evictable(page, NULL), v2.6.28–v5.x: not if its mapping is unevictable, not if it is mlocked. */
export function* pageEvictable(t: ThreadContext, lru: Lru, p: Page): Access<boolean> {
  const as = lru.asUnevictable(p);
  if (as !== undefined && (yield* pageTest(t, as))) return false;
  return !(yield* pageTest(t, p.flag("mlocked")));
}

/** list_add / list_del on page->lru (lru_lock held). */
function* linkOn(t: ThreadContext, lru: Lru, p: Page, list: LruList): Access<void> {
  const names = ["list_del", "list_add(evictable)", "list_add(unevictable)"];
  yield* t.write(lru.link(p), list, "once", undefined, `${names[list]}(${p})`);
}

/** isolate_lru_page(), v2.6.28–v4.x: PageLRU tested first without the lock, then again under it; takes a reference. True when it took the page. */
export function* isolateLruPage(t: ThreadContext, lru: Lru, p: Page): Access<boolean> {
  t.step(`isolate_lru_page(${p}): PageLRU?`);
  if (!(yield* pageTest(t, p.flag("lru")))) return false;
  return yield* isolateUnderLock(t, lru, p, `isolate_lru_page(${p})`);
}

/** isolate_lru_pages() / __isolate_lru_page(), v2.6.28–v4.x: reclaim's scan takes the page off its list under lru_lock (no unlocked pre-check). */
export function* isolateLruPages(t: ThreadContext, lru: Lru, p: Page): Access<boolean> {
  return yield* isolateUnderLock(t, lru, p, `isolate_lru_pages(${p})`);
}

function* isolateUnderLock(t: ThreadContext, lru: Lru, p: Page, what: string): Access<boolean> {
  t.step(`${what}: lru_lock`);
  yield* spinLock(t, lru.lruLock);
  let taken = false;
  if ((yield* pageTest(t, p.flag("lru"))) && (!lru.pageRefs || (yield* branchOn(t, getPageUnlessZero(t, p))))) {
    t.step(`${what}: ClearPageLRU`);
    yield* clearBit(t, p.flag("lru"));
    yield* linkOn(t, lru, p, NOT_LINKED);
    taken = true;
  }
  yield* spinUnlock(t, lru.lruLock);
  return taken;
}

/** add_page_to_unevictable_list(), v2.6.28–v4.15: SetPageLRU and list_add under lru_lock. */
export function* addPageToUnevictableList(t: ThreadContext, lru: Lru, p: Page): Access<void> {
  t.step(`add_page_to_unevictable_list(${p})`);
  yield* spinLock(t, lru.lruLock);
  yield* setBit(t, p.flag("lru"));
  yield* linkOn(t, lru, p, UNEVICTABLE);
  yield* spinUnlock(t, lru.lruLock);
}

/** lru_cache_add_lru() then __pagevec_lru_add(), v2.6.28–v3.x: SetPageLRU and list_add under lru_lock (the per-CPU pagevec drained at once; its reference nets out). */
export function* lruCacheAddLru(t: ThreadContext, lru: Lru, p: Page): Access<void> {
  t.step(`lru_cache_add_lru(${p}): evictable`);
  yield* spinLock(t, lru.lruLock);
  yield* setBit(t, p.flag("lru"));
  yield* linkOn(t, lru, p, EVICTABLE);
  yield* spinUnlock(t, lru.lruLock);
}

/**
 * isolate_lru_page() then `putback` of a page its caller has just seen turn
 * evictable: the isolation tests PG_lru without the lock first, so a page
 * someone else holds off the LRU is left to them. (With Lru.foldRescue, one
 * lru_lock section moves it to an evictable list.)
 */
export function* rescueEvictablePage(t: ThreadContext, lru: Lru, p: Page, putback: Putback): Access<void> {
  if (!lru.foldRescue) {
    if (yield* isolateLruPage(t, lru, p)) yield* putback(t, lru, p);
    return;
  }
  t.step(`isolate_lru_page(${p}): PageLRU?`);
  if (!(yield* pageTest(t, p.flag("lru")))) return;
  t.step(`isolate+putback(${p}): to evictable`);
  yield* spinLock(t, lru.lruLock);
  if (yield* pageTest(t, p.flag("lru"))) yield* t.write(lru.link(p), EVICTABLE, "once", undefined, `list_move(evictable)(${p})`);
  yield* spinUnlock(t, lru.lruLock);
}

/** putback_lru_page(), v2.6.28–v2.6.31: the evictability re-check after the unlock has no barrier before it. */
export function putbackLruPageV2631(t: ThreadContext, lru: Lru, p: Page): Access<void> {
  return putbackLruPage(t, lru, p, false);
}

/** putback_lru_page(), v2.6.32–v4.15 (6a7b95481d49 "vmscan: order evictable rescue in LRU putback", Oct 2009): smp_mb() between SetPageLRU and the re-check. */
export function putbackLruPageV2632(t: ThreadContext, lru: Lru, p: Page): Access<void> {
  return putbackLruPage(t, lru, p, true);
}

export type Putback = (t: ThreadContext, lru: Lru, p: Page) => Access<void>;

// Each redo needs the page to have turned evictable while it moved: once per
// flip of its evictability, which these models bound. Past that the model
// itself went wrong; the bound also keeps every run of the thread finite
// when the explorer guesses the values its reads may return (LKMM).
const MAX_REDO = 1;

function* putbackLruPage(t: ThreadContext, lru: Lru, p: Page, barrier: boolean): Access<void> {
  for (let redo = 0; ; redo++) {
    if (redo > MAX_REDO) misuse(t, `putback_lru_page(${p}) redone ${redo} times: the page keeps changing evictability`);
    t.step(`putback_lru_page(${p}): page_evictable?`);
    if (yield* pageEvictable(t, lru, p)) {
      yield* lruCacheAddLru(t, lru, p);
    } else {
      yield* addPageToUnevictableList(t, lru, p);
      if (barrier) {
        t.step("putback_lru_page: smp_mb()");
        yield* smpMb(t);
      }
      // The page may have turned evictable while it moved: if so, take it
      // back off the unevictable list and put it back again.
      t.step(`putback_lru_page(${p}): re-check`);
      if (yield* pageEvictable(t, lru, p)) {
        if (lru.foldRescue) {
          yield* rescueEvictablePage(t, lru, p, putbackLruPageV2632);
        } else if (yield* isolateLruPage(t, lru, p)) {
          t.step(`putback_lru_page(${p}): evictable after all, redo`);
          if (lru.pageRefs) yield* putPage(t, p);
          continue;
        }
      }
    }
    if (lru.pageRefs) {
      t.step(`putback_lru_page(${p}): put_page`);
      yield* putPage(t, p);
    }
    return;
  }
}

/**
 * __pagevec_lru_add_fn(), v4.16–v5.17 (Shakeel Butt's "mm, mlock, vmscan:
 * no more skipping pagevecs" moved the putback re-check and its barrier
 * here; an smp_mb(), later smp_mb__after_atomic()): under lru_lock,
 * SetPageLRU, the barrier, then page_evictable() picks the list. (Its
 * TestClearPageUnevictable comes before SetPageLRU and orders nothing the
 * race needs.)
 */
export function pagevecLruAddFnV511(t: ThreadContext, lru: Lru, p: Page): Access<void> {
  return pagevecLruAddFn(t, lru, p, true);
}

/** __pagevec_lru_add_fn(), v5.18: the same without the barrier (Hugh Dickins, "mm/munlock: delete smp_mb() from __pagevec_lru_add_fn()"). */
export function pagevecLruAddFnV518(t: ThreadContext, lru: Lru, p: Page): Access<void> {
  return pagevecLruAddFn(t, lru, p, false);
}

function* pagevecLruAddFn(t: ThreadContext, lru: Lru, p: Page, barrier: boolean): Access<void> {
  t.step(`__pagevec_lru_add_fn(${p}): SetPageLRU`);
  yield* spinLock(t, lru.lruLock);
  yield* setBit(t, p.flag("lru"));
  if (barrier) {
    t.step("__pagevec_lru_add_fn: smp_mb__after_atomic()");
    yield* smpMbAfterAtomic(t);
  }
  t.step(`__pagevec_lru_add_fn(${p}): evictable?`);
  yield* linkOn(t, lru, p, (yield* pageEvictable(t, lru, p)) ? EVICTABLE : UNEVICTABLE);
  yield* spinUnlock(t, lru.lruLock);
}

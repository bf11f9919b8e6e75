// mlock as Hugh Dickins reworked it for v5.18 ("mm/munlock: ..." series,
// Feb 2022): a page on the unevictable list counts its mlocks in
// mlock_count (kept in the list link it no longer needs); mlock_page() and
// munlock_page() queue the page on a per-CPU mlock pagevec, holding a
// reference, and the drain changes the list and PG_mlocked under lru_lock;
// munlock happens when an rmap goes away (page_remove_rmap() of a VM_LOCKED
// VMA), so truncation munlocks the COW pages it zaps as munmap does, and
// mlock() mlocks the pages a VMA maps under their page table lock.
// The pagevecs are drained at once here (as when full): the reference they
// hold keeps the page alive until the drain either way.

import type { ModelBuilder } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { testAndClearBit, testAndSetBit, setBit } from "../kernel/bitops.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { branchOn } from "../program/controlDependency.ts";
import { EVICTABLE, UNEVICTABLE, pageEvictable, pageTest, type Lru } from "./lru.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { getPage, putPage } from "./pageRef.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

/** page->mlock_count of each page (meaningful while it is on the unevictable list). */
export class MlockCounts {
  private readonly counts = new Map<Page, Loc>();
  constructor(private readonly m: ModelBuilder) {}
  track(p: Page, init: number): void {
    this.counts.set(p, this.m.location(`${p.name}.mlock_count`, init));
  }
  of(p: Page): Loc {
    const c = this.counts.get(p);
    if (c === undefined) throw new Error(`${p} has no mlock_count (MlockCounts.track)`);
    return c;
  }
}

export interface Mlock518 {
  readonly lru: Lru;
  readonly counts: MlockCounts;
}

const onUnevictable = function* (t: ThreadContext, lru: Lru, p: Page): Access<boolean> {
  return (yield* branchOn(t, t.read(lru.link(p), "once"))) === UNEVICTABLE;
};

const relink = (t: ThreadContext, lru: Lru, p: Page, list: typeof EVICTABLE | typeof UNEVICTABLE) =>
  t.write(lru.link(p), list, "once", undefined, `list_move(${list === EVICTABLE ? "evictable" : "unevictable"})(${p})`);

/** mlock_page(), v5.18: TestSetPageMlocked, then through the mlock pagevec to __mlock_page(). */
export function* mlockPage(t: ThreadContext, ml: Mlock518, p: Page): Access<void> {
  t.step(`mlock_page(${p}): TestSetPageMlocked`);
  yield* testAndSetBit(t, p.flag("mlocked"));
  yield* getPage(t, p);
  yield* mlockPageDrain(t, ml, p, "mlock");
}

/** munlock_page(), v5.18: through the mlock pagevec to __munlock_page(), which decides about PG_mlocked. */
export function* munlockPage(t: ThreadContext, ml: Mlock518, p: Page): Access<void> {
  t.step(`munlock_page(${p})`);
  yield* getPage(t, p);
  yield* mlockPageDrain(t, ml, p, "munlock");
}

/** mlock_pagevec(), v5.18, for one page: __mlock_page or __munlock_page, lru_lock dropped at the end, then release_pages(). */
function* mlockPageDrain(t: ThreadContext, ml: Mlock518, p: Page, op: "mlock" | "munlock"): Access<void> {
  const locked = op === "mlock" ? yield* mlockPageLocked(t, ml, p) : yield* munlockPageLocked(t, ml, p);
  if (locked) yield* spinUnlock(t, ml.lru.lruLock);
  t.step(`mlock_pagevec(${p}): release_pages`);
  yield* putPage(t, p);
}

/** __mlock_page(), v5.18: nothing to do while the page is off the LRU; otherwise to the unevictable list, or one more mlock counted there. True when it took lru_lock. */
function* mlockPageLocked(t: ThreadContext, { lru, counts }: Mlock518, p: Page): Access<boolean> {
  t.step(`__mlock_page(${p}): TestClearPageLRU`);
  if (!(yield* branchOn(t, testAndClearBit(t, p.flag("lru"))))) return false;
  yield* spinLock(t, lru.lruLock);
  t.step(`__mlock_page(${p}): page_evictable?`);
  if (yield* pageEvictable(t, lru, p)) {
    // PG_mlocked already cleared by another CPU: if it is on the unevictable list, move it off.
    if (yield* onUnevictable(t, lru, p)) yield* relink(t, lru, p, EVICTABLE);
  } else if (yield* onUnevictable(t, lru, p)) {
    t.step(`__mlock_page(${p}): mlock_count++`);
    if (yield* pageTest(t, p.flag("mlocked"))) {
      const c = yield* t.read(counts.of(p), "once");
      yield* t.write(counts.of(p), c + 1, "once");
    }
  } else {
    t.step(`__mlock_page(${p}): to the unevictable list`);
    yield* relink(t, lru, p, UNEVICTABLE);
    yield* t.write(counts.of(p), (yield* pageTest(t, p.flag("mlocked"))) ? 1 : 0, "once");
  }
  yield* setBit(t, p.flag("lru"));
  return true;
}

/** __munlock_page(), v5.18: count one mlock off; the last one clears PG_mlocked and, if isolated here, moves the page to an evictable list. True when it took lru_lock. */
function* munlockPageLocked(t: ThreadContext, { lru, counts }: Mlock518, p: Page): Access<boolean> {
  t.step(`__munlock_page(${p}): TestClearPageLRU`);
  const isolated = yield* branchOn(t, testAndClearBit(t, p.flag("lru")));
  if (isolated) {
    yield* spinLock(t, lru.lruLock);
    if (yield* onUnevictable(t, lru, p)) {
      t.step(`__munlock_page(${p}): mlock_count--`);
      const c = yield* branchOn(t, t.read(counts.of(p), "once"));
      if (c > 0) yield* t.write(counts.of(p), c - 1, "once");
      if (c > 1) {
        yield* setBit(t, p.flag("lru"));
        return true;
      }
    }
  }
  t.step(`__munlock_page(${p}): TestClearPageMlocked`);
  yield* testAndClearBit(t, p.flag("mlocked"));
  if (isolated) {
    t.step(`__munlock_page(${p}): evictable now?`);
    if ((yield* onUnevictable(t, lru, p)) && (yield* pageEvictable(t, lru, p))) yield* relink(t, lru, p, EVICTABLE);
    yield* setBit(t, p.flag("lru"));
  }
  return isolated;
}

/** munlock_vma_page(), v5.18 (mm/internal.h), called by page_remove_rmap(): munlock if the VMA is VM_LOCKED. */
export function* munlockVmaPageV518(t: ThreadContext, ml: Mlock518, p: Page, v: Vma): Access<void> {
  if (v.locked) yield* munlockPage(t, ml, p);
}

/** mlock_pte_range(), v5.18, via mlock_vma_pages_range() after mlock_fixup() set VM_LOCKED: under the PTL, mlock_page() each page mapped. */
export function* mlockPteRange(t: ThreadContext, mc: Machine, ml: Mlock518, v: Vma, indices: readonly number[]): Access<void> {
  t.step(`mlock_pte_range(${v}): pte lock`);
  yield* spinLock(t, v.ptl);
  for (const i of indices) {
    t.step(`mlock_pte_range(${v}, ${i}): pte present?`);
    const id = yield* branchOn(t, t.read(v.pte[i]!, "once"));
    const p = id === PTE_NONE ? undefined : mc.pageById(id);
    if (p !== undefined) yield* mlockPage(t, ml, p);
  }
  t.step(`mlock_pte_range(${v}): pte unlock`);
  yield* spinUnlock(t, v.ptl);
}

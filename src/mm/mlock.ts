// mlock as of 2.6.28–v5.17 (mm/mlock.c): PG_mlocked is set and cleared with
// fully ordered test-and-set/clear, and the page is then moved between the
// evictable and unevictable lists by isolating it and putting it back.
// Nothing counts how many VM_LOCKED VMAs map a page: whoever clears
// PG_mlocked either re-finds the others (try_to_munlock) or relies on
// reclaim to re-mlock lazily. NR_MLOCK is not modelled: I-FREE's check at
// the free (no page freed with PG_mlocked) is what its skew would show.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { testAndClearBit, testAndSetBit } from "../kernel/bitops.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { isolateLruPage, rescueEvictablePage, type Lru, type Putback } from "./lru.ts";
import { NO_MAPPING, type Page } from "./page.ts";
import type { Machine } from "./machine.ts";
import { lockPage, unlockPage } from "./pageCache.ts";
import { getPage, putPage } from "./pageRef.ts";
import { branchOn } from "../program/controlDependency.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

/** mlock_vma_page(), v2.6.28–v3.x, page locked: TestSetPageMlocked; if newly mlocked, isolate and put back (onto the unevictable list). */
export function* mlockVmaPage(t: ThreadContext, lru: Lru, p: Page, putback: Putback): Access<void> {
  t.step(`mlock_vma_page(${p}): TestSetPageMlocked`);
  if (yield* branchOn(t, testAndSetBit(t, p.flag("mlocked")))) return;
  if (yield* isolateLruPage(t, lru, p)) yield* putback(t, lru, p);
}

/**
 * munlock_vma_page(), v2.6.28–v3.x: TestClearPageMlocked; if it was set,
 * isolate and put back (onto an evictable list). When isolation fails the
 * page is off the LRU in someone else's hands, and that putback must see
 * PG_mlocked clear. Its caller holds the page lock, which putback does not
 * take, so it orders nothing here and is left out; so is try_to_munlock():
 * no other VM_LOCKED VMA maps the page in these models.
 */
export function* munlockVmaPage(t: ThreadContext, lru: Lru, p: Page, putback: Putback): Access<void> {
  t.step(`munlock_vma_page(${p}): TestClearPageMlocked`);
  if (!(yield* branchOn(t, testAndClearBit(t, p.flag("mlocked"))))) return;
  yield* rescueEvictablePage(t, lru, p, putback);
}

/** follow_page(), v2.6.x, for get_user_pages: under the PTL, take a reference on the page the pte maps. */
export function* followPage(t: ThreadContext, mc: Machine, v: Vma, index: number): Access<Page | undefined> {
  t.step(`get_user_pages: follow_page(${v}, ${index})`);
  yield* spinLock(t, v.ptl);
  const id = yield* branchOn(t, t.read(v.pte[index]!, "once"));
  const p = id === PTE_NONE ? undefined : mc.pageById(id);
  if (p !== undefined) yield* getPage(t, p);
  yield* spinUnlock(t, v.ptl);
  return p;
}

/**
 * __mlock_vma_pages_range(), v2.6.28–v2.6.32, VM_LOCKED already set by
 * mlock_fixup(): get_user_pages() pins each page, then each is locked,
 * mlocked if still mapped somewhere (page->mapping), unlocked and released.
 * The pin is the window: the page can be unmapped between the two.
 * (A pte found empty would fault; past i_size that fails, ending mlock().)
 */
export function* mlockVmaPagesRange(t: ThreadContext, mc: Machine, lru: Lru, v: Vma, indices: readonly number[], putback: Putback): Access<void> {
  for (const i of indices) {
    const p = yield* followPage(t, mc, v, i);
    if (p === undefined) return;
    t.step(`__mlock_vma_pages_range: lock_page(${p})`);
    yield* lockPage(t, p);
    t.step(`__mlock_vma_pages_range: ${p}->mapping?`);
    if ((yield* branchOn(t, t.read(p.mapping, "once"))) !== NO_MAPPING) yield* mlockVmaPage(t, lru, p, putback);
    t.step(`__mlock_vma_pages_range: unlock_page(${p}), put_page`);
    yield* unlockPage(t, p);
    yield* putPage(t, p);
  }
}

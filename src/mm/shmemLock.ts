// SHM_UNLOCK of a shmem segment (mm/shmem.c, mm/vmscan.c): clear
// AS_UNEVICTABLE in mapping->flags, then rescue the mapping's pages that sit
// on the unevictable list. The other racer named in 6a7b95481d49's comment:
// it clears a bit in a different word from PG_lru, so whether it needs the
// putback barrier depends on where it tests PG_lru — under lru_lock
// (v2.6.28–v5.10: the lock orders it against putback) or before taking it
// (v5.11+: only barriers order it).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { clearBit, setBit, testAndClearBit, type Bit } from "../kernel/bitops.ts";
import { branchOn } from "../program/controlDependency.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { EVICTABLE, UNEVICTABLE, pageEvictable, pageTest, type Lru } from "./lru.ts";
import type { Page } from "./page.ts";

/** shmem_lock(file, 0, user), v2.6.28–v3.2 (SHM_UNLOCK): mapping_clear_unevictable(), then scan_mapping_unevictable_pages(). */
export function* shmemUnlockV2632(t: ThreadContext, lru: Lru, asUnevictable: Bit, pages: readonly Page[]): Access<void> {
  t.step("shmem_lock(SHM_UNLOCK): mapping_clear_unevictable");
  yield* clearBit(t, asUnevictable);
  yield* scanMappingUnevictablePages(t, lru, pages);
}

/** scan_mapping_unevictable_pages(), v2.6.28–v3.2: PageLRU and PageUnevictable tested under lru_lock. */
export function* scanMappingUnevictablePages(t: ThreadContext, lru: Lru, pages: readonly Page[]): Access<void> {
  t.step("scan_mapping_unevictable_pages: lru_lock");
  yield* spinLock(t, lru.lruLock);
  for (const p of pages) {
    t.step(`scan_mapping_unevictable(${p}): on the unevictable LRU?`);
    if ((yield* pageTest(t, p.flag("lru"))) && (yield* branchOn(t, t.read(lru.link(p), "once"))) === UNEVICTABLE) yield* checkMoveUnevictablePage(t, lru, p);
  }
  yield* spinUnlock(t, lru.lruLock);
}

/** check_move_unevictable_page(), v2.6.28–v3.2, lru_lock held: to an evictable list if evictable now, else rotate and check once more. */
function* checkMoveUnevictablePage(t: ThreadContext, lru: Lru, p: Page): Access<void> {
  t.step(`check_move_unevictable_page(${p}): page_evictable?`);
  if (!(yield* pageEvictable(t, lru, p))) {
    t.step(`check_move_unevictable_page(${p}): rotate, re-check`);
    if (!(yield* pageEvictable(t, lru, p))) return;
  }
  t.step(`check_move_unevictable_page(${p}): to evictable`);
  yield* t.write(lru.link(p), EVICTABLE, "once", undefined, `list_move(evictable)(${p})`);
}

/** shmem_lock(SHM_UNLOCK) then shmem_unlock_mapping(), v5.11–v5.18: mapping_clear_unevictable(), then check_move_unevictable_pages(). */
export function* shmemUnlockV518(t: ThreadContext, lru: Lru, asUnevictable: Bit, pages: readonly Page[]): Access<void> {
  t.step("shmem_lock(SHM_UNLOCK): mapping_clear_unevictable");
  yield* clearBit(t, asUnevictable);
  yield* checkMoveUnevictablePages(t, lru, pages);
}

/**
 * check_move_unevictable_pages(), v5.11–v5.18: TestClearPageLRU() before
 * taking lru_lock (it blocks memcg migration); a page off the LRU is
 * skipped, trusting whoever adds it to see AS_UNEVICTABLE cleared.
 */
export function* checkMoveUnevictablePages(t: ThreadContext, lru: Lru, pages: readonly Page[]): Access<void> {
  for (const p of pages) {
    t.step(`check_move_unevictable_pages(${p}): TestClearPageLRU`);
    if (!(yield* branchOn(t, testAndClearBit(t, p.flag("lru"))))) continue;
    yield* spinLock(t, lru.lruLock);
    t.step(`check_move_unevictable_pages(${p}): move?`);
    if ((yield* pageEvictable(t, lru, p)) && (yield* branchOn(t, t.read(lru.link(p), "once"))) === UNEVICTABLE) {
      t.step(`check_move_unevictable_pages(${p}): to evictable`);
      yield* t.write(lru.link(p), EVICTABLE, "once", undefined, `list_move(evictable)(${p})`);
    }
    yield* setBit(t, p.flag("lru"));
    yield* spinUnlock(t, lru.lruLock);
  }
}

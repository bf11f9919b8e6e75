// munlock(2)'s walk over a VMA, v2.6.28–v2.6.32: munlock_vma_pages_range()
// clears VM_LOCKED and calls __mlock_vma_pages_range(vma, start, end, 0),
// which pins each page with get_user_pages() and, under the page lock,
// munlocks it if it is still mapped (page->mapping), then drops the pin.
// (Later kernels walk with follow_page instead; the per-page steps stay the
// same.) VM_LOCKED is a static property of a model's VMA, so
// clearing it is left out: nothing in these models reads it concurrently.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { branchOn } from "../program/controlDependency.ts";
import type { Lru, Putback } from "./lru.ts";
import type { Machine } from "./machine.ts";
import { followPage, munlockVmaPage } from "./mlock.ts";
import { NO_MAPPING } from "./page.ts";
import { lockPage, unlockPage } from "./pageCache.ts";
import { putPage } from "./pageRef.ts";
import type { Vma } from "./vma.ts";

/** munlock_vma_pages_range() of v2.6.28–v2.6.32 over the given indices of `v`: pin, lock, munlock_vma_page if still mapped, unlock, unpin. */
export function* munlockVmaPagesRange(t: ThreadContext, mc: Machine, lru: Lru, v: Vma, indices: readonly number[], putback: Putback): Access<void> {
  for (const i of indices) {
    const p = yield* followPage(t, mc, v, i);
    if (p === undefined) continue;
    t.step(`__mlock_vma_pages_range(munlock): lock_page(${p})`);
    yield* lockPage(t, p);
    t.step(`__mlock_vma_pages_range(munlock): ${p}->mapping?`);
    if ((yield* branchOn(t, t.read(p.mapping, "once"))) !== NO_MAPPING) yield* munlockVmaPage(t, lru, p, putback);
    t.step(`__mlock_vma_pages_range(munlock): unlock_page(${p}), put_page`);
    yield* unlockPage(t, p);
    yield* putPage(t, p);
  }
}

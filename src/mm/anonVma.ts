// The anon_vma and the reclaim path that walks it (mm/rmap.c, mm/vmscan.c,
// as of v2.6.28–v2.6.31): reclaim's try_to_unmap() on a page mapped by a
// VM_LOCKED VMA does not unmap it but mlocks it ("lazy culling"), while
// holding anon_vma->lock and the page lock but not the page table lock.
// That re-mlock is what Johannes Weiner's RFC patch 2/3 fenced off by
// holding the same anon_vma lock across truncation's zap.

import type { ModelBuilder } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { downReadTrylock, upRead } from "../kernel/rwsem.ts";
import { branchOn } from "../program/controlDependency.ts";
import { isolateLruPages, putbackLruPageV2632, type Lru } from "./lru.ts";
import { mlockVmaPage } from "./mlock.ts";
import type { Page } from "./page.ts";
import { trylockPage, unlockPage } from "./pageCache.ts";
import type { Vma } from "./vma.ts";

/** An anon_vma: the private VMAs whose anonymous (COW) pages it tracks, and its lock (a spinlock until 2.6.36). */
export class AnonVma {
  readonly lock: Loc;
  constructor(
    m: ModelBuilder,
    readonly name: string,
    readonly vmas: readonly Vma[],
  ) {
    this.lock = m.location(`${name}.lock`, 0);
  }
  toString(): string {
    return this.name;
  }
}

export type TryToUnmap = "again" | "mlock";

/**
 * try_to_unmap_one(), v2.6.28–v2.6.32, for a VM_LOCKED VMA: under the PTL
 * find the pte that maps the page; if the VMA is VM_LOCKED, leave it mapped
 * and report SWAP_MLOCK. (Unmapping for swap-out is not modelled: these
 * scenarios' VMAs are all VM_LOCKED.)
 */
export function* tryToUnmapOne(t: ThreadContext, p: Page, v: Vma): Access<TryToUnmap> {
  t.step(`try_to_unmap_one(${p}, ${v}): page_check_address`);
  yield* spinLock(t, v.ptl);
  const mapped = yield* branchOn(t, anyPteMaps(t, p, v));
  yield* spinUnlock(t, v.ptl);
  return mapped && v.locked ? "mlock" : "again";
}

function* anyPteMaps(t: ThreadContext, p: Page, v: Vma): Access<boolean> {
  for (const pte of v.pte) if ((yield* t.read(pte, "once")) === p.id) return true;
  return false;
}

/** try_to_mlock_page(), v2.6.28–v2.6.31: mmap_sem trylock (it must not sleep under anon_vma->lock), VM_LOCKED still set, mlock_vma_page(). */
export function* tryToMlockPage(t: ThreadContext, lru: Lru, p: Page, v: Vma): Access<boolean> {
  t.step(`try_to_mlock_page(${p}): down_read_trylock(mmap_sem)`);
  if (!(yield* downReadTrylock(t, v.mm.mmapLock))) return false;
  if (v.locked) yield* mlockVmaPage(t, lru, p, putbackLruPageV2632);
  t.step(`try_to_mlock_page(${p}): up_read(mmap_sem)`);
  yield* upRead(t, v.mm.mmapLock);
  return v.locked;
}

/** try_to_unmap_anon(), v2.6.28–v2.6.31: under anon_vma->lock (page_lock_anon_vma), each VMA; a VM_LOCKED one mlocks the page and ends the walk. */
export function* tryToUnmapAnon(t: ThreadContext, lru: Lru, p: Page, av: AnonVma): Access<TryToUnmap> {
  t.step(`try_to_unmap_anon(${p}): page_lock_anon_vma`);
  yield* spinLock(t, av.lock);
  let ret: TryToUnmap = "again";
  for (const v of av.vmas) {
    ret = yield* tryToUnmapOne(t, p, v);
    if (ret === "mlock" && (yield* tryToMlockPage(t, lru, p, v))) break;
  }
  t.step(`try_to_unmap_anon(${p}): page_unlock_anon_vma`);
  yield* spinUnlock(t, av.lock);
  return ret;
}

/**
 * shrink_inactive_list() and shrink_page_list(), v2.6.28–v2.6.32, for one
 * anonymous page with swap space: isolate it, trylock it, and if it is
 * still mapped try_to_unmap() it; SWAP_MLOCK culls it to the unevictable
 * list, anything else keeps it (pageout is not modelled); both unlock it
 * and put it back, dropping the isolation reference.
 */
export function* shrinkPageListAnon(t: ThreadContext, lru: Lru, p: Page, av: AnonVma): Access<void> {
  if (!(yield* isolateLruPages(t, lru, p))) return;
  t.step(`shrink_page_list(${p}): trylock_page`);
  const locked = yield* trylockPage(t, p);
  if (locked) {
    t.step(`shrink_page_list(${p}): page_mapped?`);
    if ((yield* branchOn(t, t.read(p.mapcount, "once"))) > 0) {
      const ret = yield* tryToUnmapAnon(t, lru, p, av);
      t.step(`shrink_page_list(${p}): ${ret === "mlock" ? "cull_mlocked" : "keep"}`);
    }
    yield* unlockPage(t, p);
  }
  yield* putbackLruPageV2632(t, lru, p);
}

// Page-cache lookups and the page lock (include/linux/pagemap.h,
// mm/filemap.c): find_get_page takes a speculative reference and re-checks
// the slot; the page lock is PG_locked as a sleeping bit lock.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { lockBit, trylockBit, unlockBit, waitOnBit } from "../kernel/bitLock.ts";
import { NO_PAGE, type AddressSpace } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import { NO_MAPPING, type Page } from "./page.ts";
import { getPageUnlessZero, putPage } from "./pageRef.ts";

export const lockPage = (t: ThreadContext, p: Page): Access<void> => lockBit(t, p.flag("locked"), "lock_page");
export const trylockPage = (t: ThreadContext, p: Page): Access<boolean> => trylockBit(t, p.flag("locked"), "trylock_page");
export const unlockPage = (t: ThreadContext, p: Page): Access<void> => unlockBit(t, p.flag("locked"), "unlock_page");
export const waitOnPageLocked = (t: ThreadContext, p: Page): Access<void> => waitOnBit(t, p.flag("locked"), "wait_on_page_locked");

/** The page in slot `index`, without a reference (what an RCU walk of i_pages sees). */
export function* pageAt(t: ThreadContext, mc: Machine, f: AddressSpace, index: number): Access<Page | undefined> {
  const id = yield* t.read(f.iPages[index]!, "once");
  return id === NO_PAGE ? undefined : mc.pageById(id);
}

/** find_get_page (pagecache_get_page without FGP_LOCK), v2.6.x–5.x: speculative reference, then re-check the slot. */
export function* findGetPage(t: ThreadContext, mc: Machine, f: AddressSpace, index: number): Access<Page | undefined> {
  const p = yield* pageAt(t, mc, f, index);
  if (p === undefined) return undefined;
  if (!(yield* getPageUnlessZero(t, p))) return undefined;
  if ((yield* t.read(f.iPages[index]!, "once")) !== p.id) {
    yield* putPage(t, p);
    return undefined;
  }
  return p;
}

/** find_lock_page, v2.6.x: find_get_page, lock it, and retry if truncation took it meanwhile (here: give up). */
export function* findLockPage(t: ThreadContext, mc: Machine, f: AddressSpace, index: number): Access<Page | undefined> {
  const p = yield* findGetPage(t, mc, f, index);
  if (p === undefined) return undefined;
  yield* lockPage(t, p);
  if ((yield* t.read(p.mapping, "once")) !== f.id) {
    yield* unlockPage(t, p);
    yield* putPage(t, p);
    return undefined;
  }
  return p;
}

/** __delete_from_page_cache, v4.x–5.x, page locked: clear the slot and page->mapping, then drop the cache's reference. */
export function* deleteFromPageCache(t: ThreadContext, f: AddressSpace, p: Page, index: number): Access<void> {
  yield* t.write(f.iPages[index]!, NO_PAGE, "once", undefined, `xa_erase(${f.name}.i_pages[${index}])`);
  yield* t.write(p.mapping, NO_MAPPING, "once", undefined, `${p.name}.mapping = NULL`);
  yield* putPage(t, p);
}

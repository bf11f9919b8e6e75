// A freshly allocated page entering a file's page cache (mm/filemap.c):
// how a page freed by one file's truncation comes back as another file's
// page, the reuse that every ABA race on a struct page needs.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { NO_PAGE, type AddressSpace } from "./addressSpace.ts";
import { NO_MAPPING, type Page } from "./page.ts";
import { lockPage, unlockPage } from "./pageCache.ts";
import { getPage, putPage } from "./pageRef.ts";

/**
 * add_to_page_cache_lru(), v5.x: the new page is locked (__SetPageLocked:
 * nobody else can see it yet), given its mapping and index and the page
 * cache's reference, and stored in the slot if the slot is still empty
 * (under xa_lock: one cmpxchg). Returns whether it was added; on success the
 * page stays locked, as a page being read in or written is, and the caller
 * unlocks it. On failure the page is as it came.
 */
export function* addToPageCacheLru(t: ThreadContext, f: AddressSpace, p: Page, index: number): Access<boolean> {
  t.step(`add_to_page_cache_lru(${p.name}, ${f.name}, ${index})`);
  yield* lockPage(t, p);
  yield* t.write(p.mapping, f.id, "once", undefined, `${p.name}.mapping = ${f.name}`);
  yield* t.write(p.index, index, "once", undefined, `${p.name}.index = ${index}`);
  yield* getPage(t, p);
  const old = yield* t.cmpxchg(f.iPages[index]!, NO_PAGE, p.id, "mb");
  if (old === NO_PAGE) return true;
  yield* putPage(t, p);
  yield* t.write(p.mapping, NO_MAPPING, "once", undefined, `${p.name}.mapping = NULL`);
  yield* unlockPage(t, p);
  return false;
}

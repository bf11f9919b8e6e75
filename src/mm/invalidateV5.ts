// invalidate_inode_pages2_range() as v4.x–v5.x have it (mm/truncate.c): each
// page is looked up with a reference (pagevec_lookup_entries) that is held
// across its lock and its removal, and dropped only at pagevec_release. The
// 2.6-era model in invalidate.ts looks pages up without one, which is
// enough for the fault races it serves but would free a page under its own
// page lock once the allocator checks frees.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { clearBit } from "../kernel/bitops.ts";
import type { AddressSpace } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import { deleteFromPageCache, findGetPage, lockPage, unlockPage } from "./pageCache.ts";
import { putPage } from "./pageRef.ts";
import { unmapMappingRange } from "./truncate.ts";
import { followsWriteback, waitOnPageWriteback } from "./writeback.ts";

/**
 * invalidate_inode_pages2_range(mapping, 0, -1), v4.x–v5.x: per page, with
 * the lookup's reference: lock it, skip it if it is no longer the file's,
 * wait for writeback, unmap it if mapped, then invalidate_complete_page2
 * (delete it from the page cache, drop the cache's reference, clear
 * PG_uptodate); unlock; release the lookup's reference.
 */
export function* invalidateInodePages2Range(t: ThreadContext, mc: Machine, f: AddressSpace): Access<void> {
  for (let i = 0; i < f.iPages.length; i++) {
    t.step(`invalidate_inode_pages2_range: index ${i}`);
    const p = yield* findGetPage(t, mc, f, i);
    if (p === undefined) continue;
    yield* lockPage(t, p);
    if ((yield* t.read(p.mapping, "once")) === f.id) {
      if (followsWriteback(p)) yield* waitOnPageWriteback(t, p);
      if ((yield* t.read(p.mapcount, "once")) > 0) {
        t.step(`invalidate_inode_pages2_range: ${p.name} mapped, unmap it`);
        yield* unmapMappingRange(t, mc, f, i, i + 1, { evenCows: false });
      }
      t.step(`invalidate_complete_page2(${p.name})`);
      yield* deleteFromPageCache(t, f, p, i);
      yield* clearBit(t, p.flag("uptodate"));
    }
    yield* unlockPage(t, p);
    t.step(`pagevec_release(${p.name})`);
    yield* putPage(t, p);
  }
}

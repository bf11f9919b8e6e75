// s7-06: truncation must re-check page->mapping after it sleeps on the page
// lock (the old mm/truncate.c comment on truncate_complete_page: while
// truncate waited for the lock the page may have been reclaimed or
// invalidated, or moved between tmpfs and swap).
//
// Modern truncation holds a reference from its lookup, so reclaim's
// page_ref_freeze cannot take the page; invalidation can still remove it
// from the page cache while truncate sleeps on its lock. The slot is then
// free, and a read can put a new page there. A truncate that went on to
// delete its page without looking at page->mapping erases the new page's
// slot (orphaning it: page->mapping says F, F's cache no longer has it) and
// drops a page-cache reference its page no longer has. The re-check has
// been there since 2.6; `no-recheck` is the protocol without it, the
// counterfactual the comment argues against.

import { model, type Model } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import type { AddressSpace } from "../../mm/addressSpace.ts";
import { truncateInodePages } from "../../mm/truncate.ts";
import { invalidateInodePages2Range } from "../../mm/invalidateV5.ts";
import { deleteFromPageCache, findGetPage, lockPage, unlockPage } from "../../mm/pageCache.ts";
import { putPage } from "../../mm/pageRef.ts";
import { PageAllocator, allocPage } from "../../mm/pageAlloc.ts";
import { addToPageCacheLru } from "../../mm/addToPageCache.ts";

export const I_CACHE = "I-CACHE: a page whose mapping is a file sits in that file's page cache at its index";

/** truncate_inode_pages_range as the comment warns against: lock, then delete, without asking whether the page is still F's. */
function* truncateInodePagesNoRecheck(t: ThreadContext, mc: Machine, f: AddressSpace, from: number): Access<void> {
  for (let i = from; i < f.iPages.length; i++) {
    t.step(`truncate_inode_pages: index ${i}`);
    const p = yield* findGetPage(t, mc, f, i);
    if (p === undefined) continue;
    yield* lockPage(t, p);
    t.step(`truncate_inode_pages: delete ${p.name} (no page->mapping check)`);
    yield* deleteFromPageCache(t, f, p, i);
    yield* unlockPage(t, p);
    yield* putPage(t, p);
  }
}

/**
 * F cached at `pages` indices; truncate_inode_pages(F, 0) vs
 * invalidate_inode_pages2_range(F) vs a read that adds a new page (Q, or
 * whichever page is free first) at index 0. Without the re-check, the
 * first race found is the double removal: truncate deletes the page
 * invalidation already deleted and drops the page cache's reference a
 * second time; with the re-read in between it also erases the new page's slot.
 */
export function recheckMapping(name: string, recheck: boolean, pages: number): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: pages, cached: [...Array(pages).keys()].map((index) => ({ index })) });
    const Q = mc.page("Q");
    const alloc = new PageAllocator(mc, { free: [Q] });
    m.thread("truncate", function* (t) {
      if (recheck) yield* truncateInodePages(t, mc, F, 0);
      else yield* truncateInodePagesNoRecheck(t, mc, F, 0);
    });
    m.thread("invalidate", function* (t) {
      yield* invalidateInodePages2Range(t, mc, F);
    });
    m.thread("read", function* (t) {
      t.step("filemap_read: page not cached, allocate one");
      const q = yield* allocPage(t, alloc);
      if (q === undefined) return;
      if (yield* addToPageCacheLru(t, F, q, 0)) yield* unlockPage(t, q);
      yield* putPage(t, q);
    });
    m.forall(I_CACHE, (s) =>
      mc.pages.every((p) => {
        const mapping = s.int(p.mapping);
        const f = mapping > 0 ? mc.files[mapping - 1] : undefined;
        return f === undefined || s.int(f.iPages[s.int(p.index)]!) === p.id;
      }),
    );
    mc.checkFree();
  });
}

function variant(name: string, summary: string, recheck: boolean, size: "smallest" | "larger"): Variant {
  const full = size === "larger" ? `${name}-larger` : name;
  return {
    name: full,
    summary: size === "larger" ? `${summary}; 2 cached pages` : summary,
    ...expectRace(!recheck),
    memoryModel: "sc",
    size,
    build: () => recheckMapping(`s7-06 ${full}`, recheck, size === "larger" ? 2 : 1),
  };
}

const NO_RECHECK = "truncate_inode_pages deletes the page it locked without re-checking page->mapping (the counterfactual of the old truncate.c comment)";
const FIXED = "v2.6.23–v5.x truncate_inode_pages_range: after lock_page, skip a page whose mapping is no longer the file's";

export const recheckMappingScenario: Scenario = {
  id: "s7-06",
  seed: "s7",
  title: "truncate vs invalidate and a re-read: truncate must re-check page->mapping after sleeping on the page lock",
  invariant: I_CACHE,
  variants: [
    variant("no-recheck", NO_RECHECK, false, "smallest"),
    variant("fixed", FIXED, true, "smallest"),
    variant("no-recheck", NO_RECHECK, false, "larger"),
    variant("fixed", FIXED, true, "larger"),
  ],
};

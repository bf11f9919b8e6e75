// s7-09: the writeback-end wake-up vs truncate and page reuse (Hugh
// Dickins, 073861ed77b6 "mm: fix VM_BUG_ON(PageTail) and
// BUG_ON(PageWriteback)", v5.10, Cc stable v5.8+).
//
// Writeback holds no reference on the page: truncation waits for
// PG_writeback to clear, and then may free it. end_page_writeback clears
// the bit and only then wakes the page's waiters, so between the two the
// page can be truncated, freed, allocated by another file, locked and put
// under writeback again, with write_cache_pages waiting on it. Matthew
// Wilcox's timeline in the commit message: the belated wake_up_page wakes
// that waiter, and since 2a9127fcf229 (v5.8) a woken non-exclusive waiter
// does not look at the bit again: it returns with PG_writeback set and hits
// BUG_ON(PageWriteback). Before v5.8 wake_page_function declined to wake
// while the bit was set again, but the wake-up still touched a reused page
// (Hugh's VM_BUG_ON(PageTail), here I-WB-REUSE). Wilcox first suggested
// weakening that tail check; Hugh's fix instead takes a reference around
// the clear and the wake-up, so the page cannot be freed in between.

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { truncate } from "../../mm/truncate.ts";
import { PageAllocator, allocPage } from "../../mm/pageAlloc.ts";
import { addToPageCacheLru } from "../../mm/addToPageCache.ts";
import { lockPage, unlockPage, findGetPage } from "../../mm/pageCache.ts";
import { putPage } from "../../mm/pageRef.ts";
import { testBit } from "../../kernel/bitops.ts";
import { kernelThread } from "../../kernel/kernelThread.ts";
import {
  declareWriteback,
  endPageWriteback,
  setPageWriteback,
  waitOnPageWriteback,
  I_WB_WAIT,
  type EndWritebackOptions,
  type WritebackWaitRule,
} from "../../mm/writeback.ts";

interface Protocol {
  readonly end: EndWritebackOptions;
  readonly wait: WritebackWaitRule;
}

/** bio(G): 0 until the writer decides, then SUBMITTED or NOTHING (the allocation failed). */
const SUBMITTED = 1;
const NOTHING = 2;

/**
 * F's page P is under writeback; its I/O completes (end_io(F)) while F is
 * truncated to 0. A writer allocates a page for file G (P, once freed),
 * starts its writeback and then, as write_cache_pages does for a sync,
 * locks it again and waits for that writeback, which end_io(G) completes.
 * `fsync`: also a thread waiting on P's first writeback with a reference.
 */
export function wakeupVsReuse(name: string, p: Protocol, fsync: boolean): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: 1, cached: [{ index: 0, flags: ["uptodate", "writeback"] }] });
    const G = mc.file("G", { size: 1 });
    const P = mc.pages[0]!;
    const alloc = new PageAllocator(mc);
    declareWriteback(mc, P, ["truncate", "writer", ...(fsync ? ["fsync"] : [])], p.wait);
    const bio = m.location("bio(G)", 0);

    m.thread("end_io(F)", function* (t) {
      yield* endPageWriteback(t, P, p.end);
    });
    m.thread("truncate", function* (t) {
      yield* truncate(t, mc, F, 0);
    });
    m.thread("writer", function* (t) {
      const page = yield* allocPage(t, alloc);
      if (page === undefined || !(yield* addToPageCacheLru(t, G, page, 0))) {
        if (page !== undefined) yield* putPage(t, page);
        yield* t.write(bio, NOTHING, "release", undefined, "no I/O");
        return;
      }
      yield* setPageWriteback(t, page);
      yield* unlockPage(t, page);
      t.step("submit_bio");
      yield* t.write(bio, SUBMITTED, "release", undefined, "submit_bio");
      t.step("write_cache_pages (WB_SYNC_ALL)");
      yield* lockPage(t, page);
      if (yield* testBit(t, page.flag("writeback"))) yield* waitOnPageWriteback(t, page, p.wait);
      t.step("write_cache_pages: BUG_ON(PageWriteback)");
      t.assert(!(yield* testBit(t, page.flag("writeback"))), `${I_WB_WAIT}: ${page.name} is under writeback again after the wait (BUG_ON(PageWriteback) in write_cache_pages)`);
      yield* unlockPage(t, page);
      yield* putPage(t, page);
    });
    m.thread("end_io(G)", function* (t) {
      kernelThread(t);
      if ((yield* t.await(bio, (v) => v !== 0, "acquire", "wait for the bio")) !== SUBMITTED) return;
      yield* endPageWriteback(t, P, p.end);
    });
    if (fsync)
      m.thread("fsync", function* (t) {
        t.step("filemap_fdatawait");
        const page = yield* findGetPage(t, mc, F, 0);
        if (page === undefined) return;
        yield* waitOnPageWriteback(t, page, p.wait);
        yield* putPage(t, page);
      });
    mc.checkTruncation();
    mc.checkFree();
  });
}

const V58: Protocol = { end: { wake: "wake", holdReference: false }, wait: "once" };
const PRE_V58: Protocol = { end: { wake: "skip-if-set", holdReference: false }, wait: "once" };
const WEAKENED: Protocol = { end: { wake: "wake", holdReference: false, reuseCheck: false }, wait: "once" };
const FIXED: Protocol = { end: { wake: "wake", holdReference: true }, wait: "once" };
const V512: Protocol = { end: { wake: "wake", holdReference: true }, wait: "loop" };

function variant(name: string, summary: string, p: Protocol, race: boolean, size: "smallest" | "larger"): Variant {
  const full = size === "larger" ? `${name}-larger` : name;
  return {
    name: full,
    summary: size === "larger" ? `${summary}; plus an fsync waiting on F's writeback with a reference` : summary,
    ...expectRace(race),
    memoryModel: "sc",
    size,
    build: () => wakeupVsReuse(`s7-09 ${full}`, p, size === "larger"),
  };
}

export const wakeupVsReuseScenario: Scenario = {
  id: "s7-09",
  seed: "s7",
  title: "end_page_writeback's wake-up vs truncate and page reuse: a stale wake-up for the page's next use",
  invariant: I_WB_WAIT,
  variants: [
    variant("buggy", "v5.8–v5.9, after 2a9127fcf229: end_page_writeback holds no reference; a woken waiter does not re-test PG_writeback", V58, true, "smallest"),
    variant("pre-v5.8", "before 2a9127fcf229: wake_page_function declines while PG_writeback is set again, but the wake-up still reaches a freed and reused page (VM_BUG_ON(PageTail))", PRE_V58, true, "smallest"),
    variant("weakened-tail-check", "Matthew Wilcox's suggestion (Aug 2020): avoid the PageWaiters tail check; the stale wake-up still ends the new use's wait (BUG_ON(PageWriteback))", WEAKENED, true, "smallest"),
    variant("fixed", "073861ed77b6 (v5.10) mm: fix VM_BUG_ON(PageTail) and BUG_ON(PageWriteback) — get_page before test_clear_page_writeback, put_page after wake_up_page", FIXED, false, "smallest"),
    variant("v5.12", "073861ed77b6 plus c2407cf7d22d (v5.12): wait_on_page_writeback loops while PG_writeback is set", V512, false, "smallest"),
    variant("buggy", "v5.8–v5.9, after 2a9127fcf229", V58, true, "larger"),
    variant("fixed", "073861ed77b6 (v5.10)", FIXED, false, "larger"),
  ],
};

// s7-06b: reclaim vs a speculative page-cache lookup (e286781d5f2e, v2.6.27,
// "mm: speculative page references"). find_get_page reads the slot under
// rcu_read_lock only and takes its reference with get_page_unless_zero. The
// struct page never goes away (RCU keeps the tree nodes, memmap keeps the
// page), but its identity can: between the slot read and the reference,
// reclaim's page_ref_freeze can take the page out of the page cache and free
// it, and the allocator can hand it to another file (or another index of
// this one). Its count is no longer 0, so get_page_unless_zero succeeds on a
// page that is not F's page at this index any more. The protocol's second
// half is the re-check: after the reference, read the slot again and back off
// if it no longer holds this page (the freeze half, page_ref_freeze against
// a two-step count check, is seed 000's B3 `count-check`).
//
//   lookup F[0]                 reclaim P0             read G[0]
//   rcu: slot -> P0
//                               page_ref_freeze(P0, 2)
//                               delete P0, free it
//                                                      alloc_page -> P0
//                                                      add P0 to G at 0
//   get_page_unless_zero(P0) ✓
//   <- without the re-check: returns G's page as F's page 0 (I-LOOKUP)
//
// `no-recheck` is the lookup without the slot re-check, the counterfactual
// the commit's protocol rules out; `fixed` is find_get_page as merged.

import { model, type Model } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import type { AddressSpace } from "../../mm/addressSpace.ts";
import type { Page } from "../../mm/page.ts";
import { findGetPage, pageAt, unlockPage } from "../../mm/pageCache.ts";
import { getPageUnlessZero, putPage } from "../../mm/pageRef.ts";
import { PageAllocator, allocPage } from "../../mm/pageAlloc.ts";
import { addToPageCacheLru } from "../../mm/addToPageCache.ts";
import { RECLAIM_EXPECTED_REFS, shrinkPageList } from "../../mm/reclaim.ts";

export const I_LOOKUP = "I-LOOKUP: a page the lookup returns for F at index i, while its reference is held, is F's page at i";

/** find_get_page without the re-check: slot, get_page_unless_zero, done. */
function* findGetPageNoRecheck(t: ThreadContext, mc: Machine, f: AddressSpace, index: number): Access<Page | undefined> {
  const p = yield* pageAt(t, mc, f, index);
  if (p === undefined) return undefined;
  if (!(yield* getPageUnlessZero(t, p))) return undefined;
  return p;
}

/**
 * F with pages P0.. cached (P0 isolated by reclaim: its count is page cache
 * + 1); reclaim of P0 vs a lookup of F[0] vs a read that puts a freshly
 * allocated page into G[0]. `larger`: F has a second, empty slot, and a
 * second read puts its page into F[1] (the reused page then is F's, at the
 * wrong index), with a second lookup of F[1].
 */
export function lookupVsReuse(name: string, recheck: boolean, larger: boolean): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: larger ? 2 : 1, cached: [{ index: 0 }] });
    const G = mc.file("G", { size: 1 });
    const P0 = mc.pages[0]!;
    m.initialize(P0.refcount, RECLAIM_EXPECTED_REFS);
    const alloc = new PageAllocator(mc, { free: [] });
    const lookup = (index: number) =>
      function* (t: ThreadContext): Access<void> {
        t.step(`find_get_page(F, ${index}): rcu_read_lock`);
        const p = recheck ? yield* findGetPage(t, mc, F, index) : yield* findGetPageNoRecheck(t, mc, F, index);
        if (p === undefined) return;
        t.step(`lookup uses ${p.name} as F's page ${index}`);
        const mapping = yield* t.read(p.mapping, "once");
        const at = yield* t.read(p.index, "once");
        const owner = mapping > 0 ? `${mc.files[mapping - 1]!.name}'s page ${at}` : "in no page cache (freed or just allocated)";
        t.assert(mapping === F.id && at === index, `${I_LOOKUP}: ${p.name} is ${owner}, not F's page ${index}`);
        yield* putPage(t, p);
      };
    const read = (f: AddressSpace, index: number) =>
      function* (t: ThreadContext): Access<void> {
        t.step(`filemap_read(${f.name}, ${index}): alloc_page`);
        const q = yield* allocPage(t, alloc);
        if (q === undefined) return;
        if (yield* addToPageCacheLru(t, f, q, index)) yield* unlockPage(t, q);
        yield* putPage(t, q);
      };
    m.thread("lookup", lookup(0));
    m.thread("reclaim", function* (t) {
      return { freed: (yield* shrinkPageList(t, mc, F, P0, 0)) ? 1 : 0 };
    });
    m.exists("reclaim frees P0", (s) => s.result("reclaim")?.freed === 1);
    m.thread("readG", read(G, 0));
    if (larger) {
      m.thread("readF1", read(F, 1));
      m.thread("lookup1", lookup(1));
    }
    mc.checkFree();
  });
}

function variant(name: string, summary: string, recheck: boolean, size: "smallest" | "larger"): Variant {
  const full = size === "larger" ? `${name}-larger` : name;
  return {
    name: full,
    summary: size === "larger" ? `${summary}; F has a second slot, a read into F[1] and its lookup` : summary,
    ...expectRace(!recheck),
    memoryModel: "sc",
    size,
    build: () => lookupVsReuse(`s7-06b ${full}`, recheck, size === "larger"),
  };
}

const NO_RECHECK = "find_get_page takes get_page_unless_zero on the slot's page and uses it without reading the slot again (counterfactual)";
const FIXED = "e286781d5f2e (v2.6.27) find_get_page: after page_cache_get_speculative, re-check the slot and retry if the page moved";

export const lookupVsReuseScenario: Scenario = {
  id: "s7-06b",
  seed: "s7",
  title: "reclaim vs speculative page-cache lookup: the reference can land on a freed and reused page, so the slot must be re-checked",
  invariant: I_LOOKUP,
  variants: [
    variant("no-recheck", NO_RECHECK, false, "smallest"),
    variant("fixed", FIXED, true, "smallest"),
    variant("no-recheck", NO_RECHECK, false, "larger"),
    variant("fixed", FIXED, true, "larger"),
  ],
};

// 002-B2: KOSAKI Motohiro's window, which Johannes admitted and the RFC did
// not close: mlock() does not take the anon_vma lock. It pins the page with
// get_user_pages, and mlocks it after truncation has munlocked and unmapped
// it; its own put_page then frees it mlocked.
//
//   mlock                                   truncate (zap, RFC 2/3 + 3/3)
//   gup: pte(M,0) -> A; get_page (ref 2)
//                                           TestClearPageMlocked(A): clear
//                                           clear pte, page_remove_rmap, put_page (ref 1)
//   lock_page; A->mapping still set
//   mlock_vma_page(A): PG_mlocked, unevictable
//   unlock_page; put_page -> A freed with PG_mlocked (I-FREE)
//
// v5.18 closes it: mlock_pte_range() mlocks under the page table lock only
// what a pte still maps, and the zap munlocks under the same lock.

import { model, type Expectation, type Model } from "../../program/model.ts";
import type { Variant } from "../scenario.ts";
import { EVICTABLE, putbackLruPageV2632 } from "../../mm/lru.ts";
import { mlockVmaPagesRange } from "../../mm/mlock.ts";
import { MlockCounts, mlockPteRange } from "../../mm/mlockV518.ts";
import { truncate } from "../../mm/truncate.ts";
import { unmapMappingRangeVmaRfc, zapPteRangeV518 } from "../../mm/cowZap.ts";
import { checkCow, cowMachine } from "./cowSetup.ts";

export type B2Protocol = "rfc" | "v5.18";

export function explicitMlock(protocol: B2Protocol, pages: number, expect: Expectation): Model {
  return model(`002-B2 mlock() vs truncate (${protocol}${pages > 1 ? `, ${pages} pages` : ""})`, (m) => {
    // mlock_fixup() has set VM_LOCKED; the COW pages are not mlocked yet.
    const c = cowMachine(m, { pages, mlocked: false, list: EVICTABLE });
    const counts = new MlockCounts(m);
    for (const a of c.cows) counts.track(a, 0);
    const ml = { lru: c.lru, counts };
    const indices = c.cows.map((_, i) => i);
    m.thread("mlock", function* (t) {
      if (protocol === "rfc") yield* mlockVmaPagesRange(t, c.mc, c.lru, c.M, indices, putbackLruPageV2632);
      else yield* mlockPteRange(t, c.mc, ml, c.M, indices);
    });
    m.thread("truncate", function* (t) {
      const zap = protocol === "rfc" ? unmapMappingRangeVmaRfc(c.mc, { lru: c.lru, anonVmaOf: () => c.anonVma }) : zapPteRangeV518(c.mc, ml);
      yield* truncate(t, c.mc, c.F, 0, zap);
    });
    checkCow(m, c);
    m.expect(expect);
  });
}

const sc = { memoryModel: "sc", size: "smallest" } as const;

export const b2Variants: readonly Variant[] = [
  {
    ...sc,
    name: "rfc",
    summary: "the RFC 1-3/3 (Oct 2009): __mlock_vma_pages_range's gup, mlock_vma_page, put_page around the zap's munlock",
    expect: "race",
    raceKind: "invariant",
    build: () => explicitMlock("rfc", 1, "violation"),
  },
  {
    ...sc,
    name: "fixed",
    summary: "v5.18 munlock rework: mlock_pte_range() and the zap's page_remove_rmap() munlock both under the PTL, mlock_count on the page",
    expect: "verified",
    build: () => explicitMlock("v5.18", 1, "verified"),
  },
  {
    ...sc,
    size: "larger",
    name: "rfc-2-pages",
    summary: "the RFC, two COW pages: mlock() pins and mlocks each in turn while truncation zaps both",
    expect: "race",
    raceKind: "invariant",
    build: () => explicitMlock("rfc", 2, "violation"),
  },
  {
    ...sc,
    size: "larger",
    name: "fixed-2-pages",
    summary: "v5.18, two COW pages mlocked and truncated",
    expect: "verified",
    build: () => explicitMlock("v5.18", 2, "verified"),
  },
];

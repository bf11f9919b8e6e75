// 002-B1: Johannes Weiner's RFC 3/3 munlocks a COW page in zap_pte_range
// (TestClearPageMlocked, isolate, putback). It cannot take the page lock
// there, and reclaim's try_to_unmap(), finding the page mapped by a
// VM_LOCKED VMA, mlocks it again after dropping the page table lock:
//
//   reclaim (A isolated, page locked)       truncate
//   anon_vma lock
//   try_to_unmap_one: pte maps A, VM_LOCKED
//                                           zap_pte_range: TestClearPageMlocked(A)
//                                           clear pte, page_remove_rmap, put_page
//   try_to_mlock_page: mlock_vma_page(A)
//   putback_lru_page(A): unevictable; put_page -> A freed with PG_mlocked (I-FREE)
//
// Patch 2/3 holds the anon_vma lock across the zap, as the rmap walk does.
// A starts mlocked but on an evictable list (mlock_vma_page could not
// isolate it at the time), which is what reclaim's lazy culling is for.

import { model, type Expectation, type Model } from "../../program/model.ts";
import type { Variant } from "../scenario.ts";
import { EVICTABLE } from "../../mm/lru.ts";
import { shrinkPageListAnon } from "../../mm/anonVma.ts";
import { truncate } from "../../mm/truncate.ts";
import { unmapMappingRangeVmaRfc } from "../../mm/cowZap.ts";
import { checkNotStranded, checkPutBack } from "./checks.ts";
import { checkCow, cowMachine } from "./cowSetup.ts";

/** `reclaimers` threads (kswapd, direct reclaim) each try to reclaim the one COW page. */
export function reclaimRemlock(anonVmaLock: boolean, reclaimers: number, expect: Expectation): Model {
  return model(`002-B1 RFC 3/3 ${anonVmaLock ? "with" : "without"} 2/3's anon_vma lock vs ${reclaimers} reclaimer${reclaimers > 1 ? "s" : ""}`, (m) => {
    const c = cowMachine(m, { mlocked: true, list: EVICTABLE });
    const zap = unmapMappingRangeVmaRfc(c.mc, { lru: c.lru, anonVmaOf: anonVmaLock ? () => c.anonVma : undefined });
    m.thread("truncate", function* (t) {
      yield* truncate(t, c.mc, c.F, 0, zap);
    });
    for (let i = 0; i < reclaimers; i++)
      m.thread(reclaimers === 1 ? "reclaim" : `reclaim${i}`, function* (t) {
        yield* shrinkPageListAnon(t, c.lru, c.cows[0]!, c.anonVma);
      });
    checkCow(m, c);
    checkNotStranded(m, c.lru, c.cows);
    checkPutBack(m, c.cows);
    m.expect(expect);
  });
}

const sc = { memoryModel: "sc", size: "smallest" } as const;

export const b1Variants: readonly Variant[] = [
  {
    ...sc,
    name: "rfc-3-only",
    summary: "RFC 3/3 alone: TestClearPageMlocked in zap_pte_range, no anon_vma lock; try_to_unmap re-mlocks the page being zapped",
    expect: "race",
    raceKind: "invariant",
    build: () => reclaimRemlock(false, 1, "violation"),
  },
  {
    ...sc,
    name: "rfc-2+3",
    summary: "RFC 2/3 \"serialize truncation unmap against try_to_unmap()\": the anon_vma lock held across the zap",
    expect: "verified",
    build: () => reclaimRemlock(true, 1, "verified"),
  },
  {
    ...sc,
    size: "larger",
    name: "rfc-3-only-2-reclaimers",
    summary: "RFC 3/3 alone, kswapd and direct reclaim both after the page (3 threads)",
    expect: "race",
    raceKind: "invariant",
    build: () => reclaimRemlock(false, 2, "violation"),
  },
  {
    ...sc,
    size: "larger",
    name: "rfc-2+3-2-reclaimers",
    summary: "RFC 2/3 + 3/3, kswapd and direct reclaim both after the page (3 threads)",
    expect: "verified",
    build: () => reclaimRemlock(true, 2, "verified"),
  },
];

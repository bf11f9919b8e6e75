// Truncation's unmap of private COW pages (mm/memory.c, mm/truncate.c),
// the subject of seed 002. With even_cows, truncation zaps the anonymous
// copies a private VMA made of the file's pages; in a VM_LOCKED VMA those
// are mlocked, and who munlocks them differs:
// - v2.6.28–v5.17 (mm/pageTable.ts zapPteRange): nobody; the page is freed
//   with PG_mlocked set (B0);
// - Johannes Weiner's RFC (Oct 2009, not merged): 1/3 passes the mapping
//   in zap_details so the zap can tell COW pages, 3/3 munlocks them with
//   TestClearPageMlocked then isolate and putback, 2/3 holds the anon_vma
//   lock across the zap against reclaim's re-mlock (B1);
// - v5.18 (Hugh Dickins): page_remove_rmap() munlocks pages of VM_LOCKED
//   VMAs, so every zap does, under the page table lock (B0, B2 fixed).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { testAndClearBit } from "../kernel/bitops.ts";
import type { AnonVma } from "./anonVma.ts";
import { branchOn } from "../program/controlDependency.ts";
import { putbackLruPageV2632, rescueEvictablePage, type Lru } from "./lru.ts";
import type { Machine } from "./machine.ts";
import { munlockVmaPageV518, type Mlock518 } from "./mlockV518.ts";
import type { Page } from "./page.ts";
import { pageRemoveRmap, ptepGetAndClear, tlbFinishMmu, type ZapDetails, type ZapVma } from "./pageTable.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

/** The RFC's zap: its LRU, and for patch 2/3 the anon_vma of each private VMA (none: 3/3 alone). */
export interface RfcZap {
  readonly lru: Lru;
  readonly anonVmaOf?: (v: Vma) => AnonVma | undefined;
}

/**
 * zap_pte_range(), 2.6.32-rc with the RFC's 1/3 and 3/3: under the PTL, a
 * page whose mapping is not the file's is a private COW page; it is skipped
 * unless even_cows (and, with 2/3, unless its anon_vma is locked: "we will
 * get it the second time"), and munlocked before its pte is cleared.
 */
export function* zapPteRangeRfc(t: ThreadContext, mc: Machine, z: RfcZap, v: Vma, from: number, to: number, { evenCows }: ZapDetails, anonVmaLocked: boolean): Access<void> {
  const freed: Page[] = [];
  t.step(`zap_pte_range(${v}): pte lock`);
  yield* spinLock(t, v.ptl);
  for (let i = from; i < Math.min(to, v.pte.length); i++) {
    const id = yield* branchOn(t, t.read(v.pte[i]!, "once"));
    const p = id === PTE_NONE ? undefined : mc.pageById(id);
    if (p === undefined) continue;
    const cow = (yield* branchOn(t, t.read(p.mapping, "once"))) !== v.file.id;
    if (cow && (!evenCows || (z.anonVmaOf !== undefined && !anonVmaLocked))) continue;
    if (cow) {
      t.step(`zap_pte_range(${p}): TestClearPageMlocked`);
      if (yield* branchOn(t, testAndClearBit(t, p.flag("mlocked")))) yield* rescueEvictablePage(t, z.lru, p, putbackLruPageV2632);
    }
    t.step(`zap_pte_range(${v}, ${i}): clear pte, page_remove_rmap(${p})`);
    yield* ptepGetAndClear(t, v, i);
    yield* pageRemoveRmap(t, p);
    freed.push(p);
  }
  yield* spinUnlock(t, v.ptl);
  yield* tlbFinishMmu(t, freed);
}

/** unmap_mapping_range_vma(), 2.6.32-rc with the RFC: 2/3 takes each private VMA's anon_vma lock around its zap. */
export function unmapMappingRangeVmaRfc(mc: Machine, z: RfcZap): ZapVma {
  return function* (t, v, from, to, details) {
    const av = v.shared ? undefined : z.anonVmaOf?.(v);
    if (av !== undefined) {
      t.step(`unmap_mapping_range_vma(${v}): lock ${av}`);
      yield* spinLock(t, av.lock);
    }
    yield* zapPteRangeRfc(t, mc, z, v, from, to, details, av !== undefined);
    if (av !== undefined) {
      t.step(`unmap_mapping_range_vma(${v}): unlock ${av}`);
      yield* spinUnlock(t, av.lock);
    }
  };
}

/** zap_pte_range(), v5.18: COW pages zapped with even_cows; page_remove_rmap() munlocks for a VM_LOCKED VMA, under the PTL. */
export function zapPteRangeV518(mc: Machine, ml: Mlock518): ZapVma {
  return function* (t, v, from, to, { evenCows }) {
    const freed: Page[] = [];
    t.step(`zap_pte_range(${v}): pte lock`);
    yield* spinLock(t, v.ptl);
    for (let i = from; i < Math.min(to, v.pte.length); i++) {
      const id = yield* branchOn(t, t.read(v.pte[i]!, "once"));
      const p = id === PTE_NONE ? undefined : mc.pageById(id);
      if (p === undefined) continue;
      if (!evenCows && (yield* branchOn(t, t.read(p.mapping, "once"))) !== v.file.id) continue;
      t.step(`zap_pte_range(${v}, ${i}): clear pte, page_remove_rmap(${p})`);
      yield* ptepGetAndClear(t, v, i);
      yield* pageRemoveRmap(t, p);
      yield* munlockVmaPageV518(t, ml, p, v);
      freed.push(p);
    }
    yield* spinUnlock(t, v.ptl);
    yield* tlbFinishMmu(t, freed);
  };
}

// 002-B0: the base bug is sequential. mmap(F, MAP_PRIVATE); mlock(); a write
// makes the COW copy A (mlocked, on the unevictable list); ftruncate(F, 0)
// zaps A (even_cows) and frees it with PG_mlocked still set: truncation
// munlocked page-cache pages only.

import { model, type Expectation, type Model } from "../../program/model.ts";
import type { Variant } from "../scenario.ts";
import { truncate } from "../../mm/truncate.ts";
import { UNEVICTABLE } from "../../mm/lru.ts";
import { unmapMappingRangeVmaRfc, zapPteRangeV518 } from "../../mm/cowZap.ts";
import { MlockCounts } from "../../mm/mlockV518.ts";
import { checkCow, cowMachine } from "./cowSetup.ts";

export type B0Protocol = "v2.6.31" | "rfc" | "v5.18";

export function mlockedCowTruncate(protocol: B0Protocol, expect: Expectation): Model {
  return model(`002-B0 truncate a VM_LOCKED private mapping (${protocol})`, (m) => {
    const c = cowMachine(m, { mlocked: true, list: UNEVICTABLE });
    const counts = new MlockCounts(m);
    for (const a of c.cows) counts.track(a, 1);
    m.thread("truncate", function* (t) {
      if (protocol === "v2.6.31") yield* truncate(t, c.mc, c.F, 0);
      else if (protocol === "rfc") yield* truncate(t, c.mc, c.F, 0, unmapMappingRangeVmaRfc(c.mc, { lru: c.lru, anonVmaOf: () => c.anonVma }));
      else yield* truncate(t, c.mc, c.F, 0, zapPteRangeV518(c.mc, { lru: c.lru, counts }));
    });
    checkCow(m, c);
    m.expect(expect);
  });
}

const sc = { memoryModel: "sc", size: "smallest" } as const;

export const b0Variants: readonly Variant[] = [
  {
    ...sc,
    name: "buggy",
    summary: "v2.6.28–v5.17 truncate: zap_pte_range zaps COW pages (even_cows) but only page-cache pages get munlocked",
    expect: "race",
    raceKind: "invariant",
    build: () => mlockedCowTruncate("v2.6.31", "violation"),
  },
  {
    ...sc,
    name: "rfc",
    summary: "Johannes Weiner's RFC 1-3/3 (Oct 2009, not merged): zap_pte_range munlocks COW pages under the anon_vma lock",
    expect: "verified",
    build: () => mlockedCowTruncate("rfc", "verified"),
  },
  {
    ...sc,
    name: "fixed",
    summary: "v5.18 munlock rework (Hugh Dickins): page_remove_rmap() munlocks pages of VM_LOCKED VMAs, so truncation does too",
    expect: "verified",
    build: () => mlockedCowTruncate("v5.18", "verified"),
  },
];

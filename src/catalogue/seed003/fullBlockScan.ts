// 003-B2 on whole paths: the allocator runs the whole alloc_pages(__GFP_COMP)
// of a free block (rmqueue off the free list, prep_new_page's refcount,
// prep_compound_page over every tail) while the PFN scanner walks the whole
// block in pfn order, head first, doing isolate_migratepages_block's racy
// page_count() on each struct page with no reference held. The cut-down
// variants (firstPagePublication.ts) look at the last-prepped tail alone;
// here the scanner also meets tails before and after the allocator has
// reached them, and the head (never a tail, so compound_head returns it).

import { model, type Model } from "../../program/model.ts";
import { Machine } from "../../mm/machine.ts";
import {
  COMPOUND_V3_14,
  COMPOUND_V4_4,
  checkTailsConsistent,
  compoundHeadRmbAfterTest,
  compoundHeadV3_13,
  declareCompoundPage,
  prepCompoundPageV3_14,
  type CompoundKernel,
} from "../../mm/compound.ts";
import { FreeArea, allocPagesCompound } from "../../mm/buddy.ts";
import { isolateMigratepagesBlock } from "../../mm/pfnScanner.ts";
import { expectRace, type ScenarioModel, type Variant } from "../scenario.ts";

export function fullBlockScan(name: string, kernel: CompoundKernel, order: number, expect: "violation" | "verified"): Model {
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const c = declareCompoundPage(mc, { order, encoding: kernel.encoding, allocated: false });
    const area = new FreeArea(mc, order, c.head.id);
    m.thread("T_alloc", function* (t) {
      return { allocated: (yield* allocPagesCompound(t, kernel, area, c)) ? 1 : 0 };
    });
    m.thread("T_scan", function* (t) {
      return yield* isolateMigratepagesBlock(t, mc, [c.head, ...c.tails], kernel.compoundHead, [c.head]);
    });
    // The witness: some tail is resolved to its head (the scanner ran behind the allocator there).
    m.exists("the scanner finds a tail's head", (s) => c.tails.some((p) => s.result("T_scan")?.[p.name] === c.head.id));
    checkTailsConsistent(mc, c);
    m.expect(expect);
  });
}

const NO_BARRIERS: CompoundKernel = { ...COMPOUND_V3_14, compoundHead: compoundHeadV3_13, prepCompoundPage: (t, c) => prepCompoundPageV3_14(t, c, { wmb: false }) };
const MP_BARRIERS: CompoundKernel = { ...COMPOUND_V3_14, compoundHead: compoundHeadRmbAfterTest };

function variant(name: string, summary: string, kernel: CompoundKernel, memoryModel: ScenarioModel, expect: "race" | "verified", order: number, size: Variant["size"] = "smallest"): Variant {
  return {
    name,
    summary,
    memoryModel,
    size,
    ...expectRace(expect === "race"),
    build: () => fullBlockScan(`003-B2-${name}`, kernel, order, expect === "race" ? "violation" : "verified"),
  };
}

const WHOLE = "whole paths: alloc_pages(__GFP_COMP) of the free block vs the PFN scanner's page_count() on every pfn of it, head first";

export const fullBlockScanVariants: readonly Variant[] = [
  variant("full-no-barriers", `${WHOLE}; 668f9abbd433's store order without barriers (MP)`, NO_BARRIERS, "lkmm", "race", 1),
  variant("full-wmb-rmb-668f9abbd433", `${WHOLE}; 668f9abbd433 as merged: nothing orders the PageTail test before the first_page load`, COMPOUND_V3_14, "lkmm", "race", 1),
  variant("full-wmb-rmb-668f9abbd433-tso", `${WHOLE}; 668f9abbd433 as merged, on x86-TSO`, COMPOUND_V3_14, "tso", "verified", 1),
  variant("full-wmb-rmb-668f9abbd433-sc", `${WHOLE}; 668f9abbd433 as merged, under SC`, COMPOUND_V3_14, "sc", "verified", 1),
  variant("full-mp-barriers", `${WHOLE}; 668f9abbd433 plus the reader's smp_rmb before the first_page load (not a kernel commit)`, MP_BARRIERS, "lkmm", "verified", 1),
  variant("full-one-word", `${WHOLE}; 1d798ca3f164 (v4.4): one WRITE_ONCE, one READ_ONCE`, COMPOUND_V4_4, "lkmm", "verified", 1),
  variant("full-mp-barriers-order2", `${WHOLE}; 668f9abbd433 plus the reader's smp_rmb (the full MP pair), order-2 block (4 struct pages)`, MP_BARRIERS, "lkmm", "verified", 2, "larger"),
  variant("full-one-word-order2", `${WHOLE}; 1d798ca3f164, order-2 block (4 struct pages)`, COMPOUND_V4_4, "lkmm", "verified", 2, "larger"),
];

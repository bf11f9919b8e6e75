// 003-B2: publication order in prep_compound_page (David Rientjes, 2014,
// 668f9abbd433 "mm: close PageTail race"; the smp_rmb Hugh found in the
// disassembly). A pfn scanner runs compound_head() on a page that is being
// made a tail right now: if it sees PG_tail set but first_page not yet
// written, page_count() dereferences NULL.
//
// Before 668f9abbd433 the writer even set PG_tail first: a race under SC.
// 668f9abbd433 writes first_page, smp_wmb, then PG_tail; but its reader
// has no barrier between the PageTail test and the first_page load (its
// smp_rmb comes after the load, for the re-check that guards against a
// split), so LKMM still lets that load be satisfied early and return NULL.
// x86 (TSO) keeps loads in order, which is where the fix was tested. The
// one-word encoding of 1d798ca3f164 needs no barrier at all.

import { model, type Model } from "../../program/model.ts";
import { Machine } from "../../mm/machine.ts";
import {
  COMPOUND_V3_13,
  COMPOUND_V3_14,
  COMPOUND_V4_4,
  compoundHeadRmbAfterTest,
  compoundHeadV3_13,
  checkTailsConsistent,
  declareCompoundPage,
  prepCompoundPageV3_14,
  type CompoundKernel,
} from "../../mm/compound.ts";
import { FreeArea, allocPagesCompound } from "../../mm/buddy.ts";
import { isolateMigratepagesBlock } from "../../mm/pfnScanner.ts";
import { expectRace, type Scenario, type ScenarioModel, type Variant } from "../scenario.ts";

export interface PublicationConfig {
  readonly kernel: CompoundKernel;
  readonly order: number;
  /** Tail pfns the scanner walks (from the last tail down: the one prepped last). */
  readonly pfns: number;
}

export function firstPagePublication(name: string, cfg: PublicationConfig, expect: "violation" | "verified"): Model {
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const k = cfg.kernel;
    const c = declareCompoundPage(mc, { order: cfg.order, encoding: k.encoding, allocated: false });
    const area = new FreeArea(mc, cfg.order, c.head.id);

    m.thread("T_alloc", function* (t) {
      yield* allocPagesCompound(t, k, area, c);
    });
    m.thread("T_scan", function* (t) {
      const heads = yield* isolateMigratepagesBlock(t, mc, c.tails.slice(-cfg.pfns).reverse(), k.compoundHead, [c.head]);
      return heads;
    });

    // The witness: the scanner does resolve a tail to its compound head in some execution.
    m.exists("the scanner finds a tail's head", (s) => Object.values(s.result("T_scan") ?? {}).some((id) => id === c.head.id));
    checkTailsConsistent(mc, c);
    m.expect(expect);
  });
}

/** 668f9abbd433's store order without its smp_wmb, read by the unchecked pre-668f9abbd433 compound_head: plain message passing. */
const NO_BARRIERS: CompoundKernel = {
  ...COMPOUND_V3_14,
  compoundHead: compoundHeadV3_13,
  prepCompoundPage: (t, c) => prepCompoundPageV3_14(t, c, { wmb: false }),
};

/** The reader's barrier in the message-passing position, but no smp_wmb on the writer. */
const RMB_ONLY: CompoundKernel = { ...NO_BARRIERS, compoundHead: compoundHeadRmbAfterTest };

/** Both halves of the message-passing pair: 668f9abbd433 plus an smp_rmb between the PageTail test and the first_page load. */
const MP_BARRIERS: CompoundKernel = { ...COMPOUND_V3_14, compoundHead: compoundHeadRmbAfterTest };

function variant(name: string, summary: string, kernel: CompoundKernel, memoryModel: ScenarioModel, expect: "race" | "verified", more: Partial<PublicationConfig> & { size?: Variant["size"] } = {}): Variant {
  const cfg: PublicationConfig = { kernel, order: more.order ?? 1, pfns: more.pfns ?? 1 };
  return {
    name,
    summary,
    memoryModel,
    size: more.size ?? "smallest",
    ...expectRace(expect === "race"),
    build: () => firstPagePublication(`003-B2-${name}`, cfg, expect === "race" ? "violation" : "verified"),
  };
}

export const firstPagePublicationScenario: Scenario = {
  id: "003-B2",
  seed: "003",
  title: "prep_compound_page publishes first_page and PG_tail vs an unreferenced compound_head() (MP)",
  invariant: "I-HEAD",
  variants: [
    variant("pre-668f9abbd433", "before 668f9abbd433 (v3.13): __SetPageTail, then first_page; races even under SC", COMPOUND_V3_13, "sc", "race"),
    variant("no-barriers", "668f9abbd433's order (first_page, then PG_tail) without its smp_wmb/smp_rmb: MP with no barriers", NO_BARRIERS, "lkmm", "race"),
    variant("no-barriers-tso", "668f9abbd433's order without its barriers, on x86-TSO: stores and loads keep program order, so the order alone suffices in hardware", NO_BARRIERS, "tso", "verified"),
    variant("wmb-rmb-668f9abbd433", "668f9abbd433 as merged (v3.14–4.3): smp_wmb in prep, smp_rmb after the first_page load; LKMM may load first_page before the PageTail test", COMPOUND_V3_14, "lkmm", "race"),
    variant("wmb-rmb-668f9abbd433-tso", "668f9abbd433 as merged, on x86-TSO (where its smp_wmb/smp_rmb are compiler barriers)", COMPOUND_V3_14, "tso", "verified"),
    variant("rmb-only", "668f9abbd433's reader with an smp_rmb between the PageTail test and the first_page load, writer without smp_wmb", RMB_ONLY, "lkmm", "race"),
    variant("mp-barriers", "668f9abbd433 plus the reader's missing smp_rmb before the first_page load: the full MP pair (not a kernel commit)", MP_BARRIERS, "lkmm", "verified"),
    variant("one-word", "1d798ca3f164 \"mm: make compound_head() robust\" (v4.4): one WRITE_ONCE, one READ_ONCE, no barriers", COMPOUND_V4_4, "lkmm", "verified"),
    variant("mp-barriers-order3", "668f9abbd433 plus the reader's missing smp_rmb, order-3 page (8 struct pages), the scanner walks all 7 tails", MP_BARRIERS, "lkmm", "verified", { order: 3, pfns: 7, size: "larger" }),
    variant("one-word-order3", "1d798ca3f164, order-3 page (8 struct pages), the scanner walks all 7 tails", COMPOUND_V4_4, "lkmm", "verified", { order: 3, pfns: 7, size: "larger" }),
    variant("wmb-rmb-668f9abbd433-order2", "668f9abbd433 as merged, order-2 page (4 struct pages), the scanner walks all 3 tails", COMPOUND_V3_14, "lkmm", "race", { order: 2, pfns: 3, size: "larger" }),
  ],
};

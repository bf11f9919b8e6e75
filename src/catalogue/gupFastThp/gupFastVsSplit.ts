// s7-02: GUP-fast vs THP split (the generic GUP-fast of 2667f50e8b81,
// v3.18, and the THP refcount rework's 7aef4172c795, "mm: handle
// PTE-mapped tail pages in gerneric fast gup implementaiton", v4.5).
//
// GUP-fast reads a huge pmd with no lock and takes a speculative reference
// on its head page, meaning the tail subpage it was asked for. Between the
// read and the reference, split_huge_page can unmap the THP, freeze its
// count, split it and map head and tail as small pages, each with its own
// count. The reference then lands on the head, a small page now, while
// GUP-fast hands out the former tail: its eventual put_page goes to the
// tail, which never got that reference, and frees it while a pte still
// maps it. GUP-fast's defence is the re-read of the pmd after taking the
// reference: changed, so back off. The split's defence against a
// reference taken before the freeze is the freeze itself (it fails and the
// split backs off). The buggy variant drops the re-read: a counterfactual,
// the generic GUP-fast has re-checked since 2667f50e8b81.

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { anonymousVma, checkMapcount } from "../../mm/anonymous.ts";
import { HugePmd } from "../../mm/hugePmd.ts";
import { checkFreeCompound, declareThp, putUserPage, splitHugePage } from "../../mm/thpSplit.ts";
import { getUserPagesFast } from "../../mm/gupFast.ts";

interface Config {
  /** GUP-fast callers, each asking for the tail. */
  readonly gups: number;
}

const SMALLEST: Config = { gups: 1 };
const LARGER: Config = { gups: 2 };

export function gupFastVsSplit(name: string, recheck: boolean, c: Config): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const mm = mc.mm();
    const head = mc.page("H", { flags: ["head", "uptodate"] });
    const tail = mc.page("T", { flags: ["tail", "uptodate"] });
    const pmd = new HugePmd(mc, "heap", mm, head);
    const table = anonymousVma(mc, "heap.ptes", mm, 2);
    // The splitter (reclaim, khugepaged, a partial munmap) holds its own reference.
    const thp = declareThp(mc, pmd, head, tail, table, 1);
    for (let i = 1; i <= c.gups; i++)
      m.thread(c.gups === 1 ? "gup_fast" : `gup_fast${i}`, function* (t) {
        const page = yield* getUserPagesFast(t, mc, thp, 1, { recheck });
        if (page === undefined) return;
        t.step(`I/O to ${page.name}, then put_page`);
        yield* putUserPage(t, mc, page);
      });
    m.thread("split", function* (t) {
      yield* splitHugePage(t, thp);
    });
    checkMapcount(mc);
    checkFreeCompound(mc);
  });
}

function variant(name: string, summary: string, recheck: boolean, size: "smallest" | "larger"): Variant {
  const larger = size === "larger";
  return {
    name: larger ? `${name}-larger` : name,
    summary: larger ? `${summary}; two GUP-fast callers` : summary,
    ...expectRace(!recheck),
    memoryModel: "sc",
    size,
    build: () => gupFastVsSplit(`s7-02 ${name}${larger ? "-larger" : ""}`, recheck, larger ? LARGER : SMALLEST),
  };
}

const BUGGY = "gup_huge_pmd without the re-read of the pmd after try_get_compound_head (counterfactual; 2667f50e8b81 has it)";
const FIXED = "v4.5+ (7aef4172c795 and the THP refcount rework): reference on the compound head, pmd re-checked; split_huge_page freezes the head's count";

export const gupFastVsSplitScenario: Scenario = {
  id: "s7-02",
  seed: "s7",
  title: "GUP-fast vs THP split: the speculative reference lands on a page that is no longer the tail's head",
  invariant: "I-FREE",
  variants: [variant("no-recheck", BUGGY, false, "smallest"), variant("fixed", FIXED, true, "smallest"), variant("no-recheck", BUGGY, false, "larger"), variant("fixed", FIXED, true, "larger")],
};

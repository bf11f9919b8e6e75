// GUP-fast against khugepaged's collapse_huge_page: the pin lands on a page
// the collapse then frees.
//
// Commit: 70cbc3cc78a9 "mm: gup: fix the fast GUP race against THP
// collapse" (Yang Shi, 2022). khugepaged clears the pmd, refuses pages with
// more references than mappings, then copies the pages into the huge page,
// clears their ptes and frees them. GUP-fast takes its reference without
// locks and re-checked only the pte, which is still in place after the
// reference check: the pin survives on a page no longer mapped. The fix
// re-checks the pmd too. Under LKMM the two sides are store buffering, so
// the pmd re-check also needs pmdp_collapse_flush's barrier.
//
// Expected verdicts:
//   gup-fast-vs-collapse-pte-recheck          sc violation, lkmm violation
//   gup-fast-vs-collapse-pmd-recheck          sc verified,  lkmm verified
//   gup-fast-vs-collapse-pmd-recheck-no-flush sc verified,  lkmm violation (the barrier is needed too)

import { model, type Model } from "../src/index.ts";
import { ANON_MAPPING, Machine, PteTable, collapseHugePage, gupFastPteRange, type GupFastRecheck } from "../src/mm/index.ts";

function gupFastVsCollapse(name: string, recheck: GupFastRecheck, flushBarrier: boolean): Model {
  return model(`gup-fast-vs-collapse-${name}`, (m) => {
    const racy = recheck === "pte" || !flushBarrier;
    m.expect({ sc: recheck === "pte" ? "violation" : "verified", lkmm: racy ? "violation" : "verified" });
    const mc = new Machine(m);
    const small = mc.page("P", { mapping: ANON_MAPPING, refcount: 1, mapcount: 1 });
    const huge = mc.page("H", { refcount: 1 });
    const pt = new PteTable(mc, "T", 1, { ptes: () => small.id });

    m.thread("gup_fast", function* (t) {
      return { pinned: (yield* gupFastPteRange(t, mc, pt, 0, recheck)) === small ? 1 : 0 };
    });
    m.thread("khugepaged", function* (t) {
      return { collapsed: (yield* collapseHugePage(t, mc, pt, huge, { flushBarrier })) ? 1 : 0 };
    });

    m.forall("a page GUP-fast pinned is not collapsed away under the pin", (s) =>
      !(s.result("gup_fast")?.pinned === 1 && s.result("khugepaged")?.collapsed === 1));
    m.exists("GUP-fast pins the page", (s) => s.result("gup_fast")?.pinned === 1);
    m.exists("khugepaged collapses", (s) => s.result("khugepaged")?.collapsed === 1);
  });
}

export default [
  gupFastVsCollapse("pte-recheck", "pte", true),
  gupFastVsCollapse("pmd-recheck", "pmd-and-pte", true),
  gupFastVsCollapse("pmd-recheck-no-flush", "pmd-and-pte", false),
];

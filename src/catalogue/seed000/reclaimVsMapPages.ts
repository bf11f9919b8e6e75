// 000-B3: Kirill's second objection (15 Oct 2020) and Linus's answer, a
// regression test that the checker does NOT report a benign outcome.
//
// Kirill: with the mapcount protocol, reclaim can lock the page, see
// page_mapped() == 0 (try_to_unmap returns at once and never takes the
// PTL), and the fault then raises the mapcount and maps the page with the
// lock re-test passing, since reclaim has unlocked meanwhile. Linus: that
// is no worse than a trylock that succeeded after reclaim's unlock; map_pages
// only fills empty ptes, and what really keeps reclaim from freeing a page
// the fault is mapping is __remove_mapping's page_ref_freeze(), which fails
// while the fault holds its speculative reference (and once it succeeds,
// the fault's get_page_unless_zero fails). Both are RMWs on _refcount.
//
// The `count-check` variant drops exactly that: reclaim reads page_count()
// and zeroes it in two steps (as before lookups went lockless), and the
// fault's reference slips in between: reclaim frees a page in use.

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { filemapMapPagesMapcount, filemapMapPagesV512 } from "../../mm/faultAround.ts";
import { RECLAIM_EXPECTED_REFS, shrinkPageList, type RefExclusion } from "../../mm/reclaim.ts";
import { PTE_NONE } from "../../mm/vma.ts";

export const RECLAIM_FREE = "I-FREE (reclaim): reclaim frees only a page that no pte maps and nobody else references";

type Fault = "proposal" | "v5.12";

/** One cached page P of F, isolated by reclaim (count 2), one private VMA; fault-around on it against shrink_page_list(P). */
function reclaimVsFault(name: string, fault: Fault, how: RefExclusion, expect: "violation" | "verified"): Model {
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
    const M = mc.vma("M", mc.mm(), F, { shared: false });
    const P = mc.pages[0]!;
    m.initialize(P.refcount, RECLAIM_EXPECTED_REFS);
    m.thread("fault", function* (t) {
      t.step(`do_fault_around(${M.name})`);
      const mapped =
        fault === "v5.12"
          ? yield* filemapMapPagesV512(t, mc, M, 0, 1)
          : yield* filemapMapPagesMapcount(t, mc, M, 0, 1, { increment: "atomic_inc+mb", rmbBeforeRecheck: true, recheck: "after-inc" });
      return { mapped };
    });
    m.thread("reclaim", function* (t) {
      return { freed: (yield* shrinkPageList(t, mc, F, P, 0, how)) ? 1 : 0 };
    });
    // A freed page has count 0 at the end: anyone who took a reference after the "freeze" left it above 0 or mapped it.
    m.forall(RECLAIM_FREE, (s) => s.result("reclaim")?.freed !== 1 || (s.int(P.refcount) === 0 && s.int(P.mapcount) === 0 && s.int(M.pte[0]!) === PTE_NONE));
    mc.checkTruncation();
    mc.checkFree();
    m.expect(expect);
  });
}

const variant = (name: string, summary: string, fault: Fault, how: RefExclusion, race: boolean): Variant => ({
  name,
  summary,
  ...expectRace(race),
  memoryModel: "sc",
  size: "smallest",
  build: () => reclaimVsFault(`000-B3 ${name}`, fault, how, race ? "violation" : "verified"),
});

export const reclaimVsMapPagesScenario: Scenario = {
  id: "000-B3",
  seed: "000",
  title: "Kirill's try_to_unmap objection: lock-free map_pages vs reclaim is benign (page_ref_freeze)",
  invariant: RECLAIM_FREE,
  variants: [
    variant("benign", "Linus's mapcount protocol vs shrink_page_list: try_to_unmap skips an unmapped page, __remove_mapping's page_ref_freeze excludes the speculative reference", "proposal", "freeze", false),
    variant("fixed", "f9ce0be71d1f (v5.12) next_uptodate_page vs shrink_page_list with page_ref_freeze", "v5.12", "freeze", false),
    variant("count-check", "the mapcount protocol vs a __remove_mapping that tests page_count() and then zeroes it (no page_ref_freeze): reclaim frees a page the fault references", "proposal", "count-check", true),
  ],
};

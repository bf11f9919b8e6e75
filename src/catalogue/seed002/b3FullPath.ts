// 002-B3 on whole paths: the putback side is a whole isolate-and-put-back
// (isolate_lru_page with its unlocked PageLRU test and its page reference,
// then putback_lru_page, which drops that reference), as a failed migration
// or reclaim's cull does it; the munlock side is munlock(2)'s walk
// (munlock_vma_pages_range: get_user_pages' pin under the PTL, lock_page,
// page->mapping?, munlock_vma_page, unlock_page, put_page). The page is the
// COW copy A of a VM_LOCKED private mapping, mlocked, on the unevictable
// list. The cut-down variants (b3PutbackOrdering.ts) run putback on an
// already isolated page and fold the rescue into one lru_lock section;
// here every lock, reference and re-check of both paths is in.

import { model, type Expectation, type Model } from "../../program/model.ts";
import { expectRace, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { ANON_MAPPING, type FlagLayout } from "../../mm/page.ts";
import { Lru, UNEVICTABLE, isolateLruPage, putbackLruPageV2631, putbackLruPageV2632, type Putback } from "../../mm/lru.ts";
import { munlockVmaPagesRange } from "../../mm/munlockRange.ts";
import { PTE_NONE } from "../../mm/vma.ts";
import { trackingDependencies } from "../../program/controlDependency.ts";
import { checkNotStranded, checkPutBack } from "./checks.ts";

export interface FullPathPutback {
  readonly putback: "v2.6.31" | "v2.6.32";
  readonly layout: FlagLayout;
}

export function putbackFullPath(o: FullPathPutback, expect: Expectation): Model {
  return model(`002-B3 isolate+putback_lru_page (${o.putback}) vs munlock(2) (${o.layout} flags)`, (m) => {
    const mc = new Machine(m, { flags: o.layout });
    const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
    // A: mapped by M's pte (its one reference), mlocked, on the unevictable list.
    const A = mc.page("A", { mapping: ANON_MAPPING, index: 0, refcount: 1, mapcount: 1, flags: ["mlocked", "lru"] });
    const M = mc.vma("M", mc.mm(), F, { shared: false, locked: true, ptes: (i) => (i === 0 ? A.id : PTE_NONE) });
    const lru = new Lru(m);
    lru.manage(A, UNEVICTABLE);
    const putback: Putback = o.putback === "v2.6.31" ? putbackLruPageV2631 : putbackLruPageV2632;

    m.thread(
      "isolator",
      trackingDependencies(function* (t) {
        if (yield* isolateLruPage(t, lru, A)) yield* putback(t, lru, A);
      }),
    );
    m.thread(
      "munlock",
      trackingDependencies(function* (t) {
        yield* munlockVmaPagesRange(t, mc, lru, M, [0], putback);
      }),
    );
    checkNotStranded(m, lru, [A]);
    checkPutBack(m, [A]);
    mc.checkFree();
    // The witness: the isolator does take the page and put it back in some execution.
    m.exists("the isolator's putback moves A", (s) => s.int(lru.link(A)) !== UNEVICTABLE);
    m.expect(expect);
  });
}

const variant = (name: string, summary: string, memoryModel: Variant["memoryModel"], o: FullPathPutback, race: boolean, size: Variant["size"] = "smallest"): Variant => ({
  name,
  summary,
  memoryModel,
  size,
  ...expectRace(race),
  build: () => putbackFullPath(o, race ? "violation" : "verified"),
});

export const b3FullPathVariants: readonly Variant[] = [
  variant(
    "full-buggy",
    "whole paths: isolate_lru_page + putback_lru_page() of v2.6.31 vs munlock(2)'s munlock_vma_pages_range, one location per flag: the SB outcome strands A",
    "lkmm",
    { putback: "v2.6.31", layout: "split" },
    true,
  ),
  variant("full-fixed", "whole paths with 6a7b95481d49's smp_mb() in putback_lru_page (v2.6.32)", "lkmm", { putback: "v2.6.32", layout: "split" }, false, "larger"),
  variant("full-buggy-sc", "whole paths, v2.6.31 putback, under SC", "sc", { putback: "v2.6.31", layout: "split" }, false),
  variant("full-buggy-tso", "whole paths, v2.6.31 putback, on x86-TSO: SetPageLRU is a locked instruction", "tso", { putback: "v2.6.31", layout: "split" }, false),
];

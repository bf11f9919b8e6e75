// s7-08: MADV_DONTNEED vs NUMA balancing on a huge pmd (ced108037c2a, "thp:
// fix MADV_DONTNEED vs. numa balancing race", Kirill A. Shutemov, April 2017).
//
// Both run under mmap_lock taken for read. NUMA balancing's
// change_huge_pmd(prot_numa) took the huge pmd with
// pmdp_huge_get_and_clear and set it again PROT_NONE, under the pmd lock;
// in between the pmd is none. zap_pmd_range looks at the pmd without the
// lock, sees none, and skips it: MADV_DONTNEED returns, the pmd comes back,
// and the application reads its old data where it must read zeroes. The
// fix takes the pmd with pmdp_invalidate, which leaves it huge (not
// present), so the zap takes the pmd lock, waits, and zaps what
// change_huge_pmd wrote. 58ceeb6bec86 (MADV_FREE) and 5b7abeae3af8 (clear
// soft dirty) fixed the same pattern elsewhere in the same series.

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { ANON_MAPPING } from "../../mm/page.ts";
import { HugePmd, I_DONTNEED, changeHugePmd, type ChangePmdRule } from "../../mm/hugePmd.ts";
import { madviseDontneedHuge } from "../../mm/madvise.ts";

interface Config {
  /** How many NUMA-balancing passes (task_numa_work) run over the pmd. */
  readonly numaPasses: number;
}

const SMALLEST: Config = { numaPasses: 1 };
const LARGER: Config = { numaPasses: 2 };

export function dontneedVsNuma(name: string, rule: ChangePmdRule, c: Config): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const thp = mc.page("THP", { mapping: ANON_MAPPING, refcount: 1, mapcount: 1, flags: ["uptodate", "head"] });
    const mm = mc.mm();
    const h = new HugePmd(mc, "heap", mm, thp);
    m.thread("numa", function* (t) {
      for (let i = 0; i < c.numaPasses; i++) yield* changeHugePmd(t, h, rule);
    });
    m.thread("madvise", function* (t) {
      yield* madviseDontneedHuge(t, h);
    });
    h.checkUnmapped();
    m.forall("the THP is freed once the pmd is zapped", (s) => s.int(h.pmd) !== 0 || s.int(thp.refcount) === 0);
  });
}

function variant(name: string, summary: string, rule: ChangePmdRule, race: boolean, size: "smallest" | "larger"): Variant {
  const larger = size === "larger";
  return {
    name: larger ? `${name}-larger` : name,
    summary: larger ? `${summary}; two NUMA-balancing passes` : summary,
    ...expectRace(race),
    memoryModel: "sc",
    size,
    build: () => dontneedVsNuma(`s7-08 ${name}${larger ? "-larger" : ""}`, rule, larger ? LARGER : SMALLEST),
  };
}

const BUGGY = "v4.0–v4.10: change_huge_pmd clears the pmd (pmdp_huge_get_and_clear) before setting it PROT_NONE";
const FIXED = "ced108037c2a (April 2017) thp: fix MADV_DONTNEED vs. numa balancing race — pmdp_invalidate keeps the pmd huge";

export const dontneedVsNumaScenario: Scenario = {
  id: "s7-08",
  seed: "s7",
  title: "MADV_DONTNEED vs NUMA balancing: the zap skips a huge pmd cleared for a moment, and it comes back",
  invariant: I_DONTNEED,
  variants: [
    variant("buggy", BUGGY, "clear-and-set", true, "smallest"),
    variant("fixed", FIXED, "invalidate", false, "smallest"),
    variant("buggy", BUGGY, "clear-and-set", true, "larger"),
    variant("fixed", FIXED, "invalidate", false, "larger"),
  ],
};

// s7-07b: two swap-ins of one pte, do_swap_page's pte_same() re-check.
//
// Two threads of a process fault on the same swapped-out address. Each read
// the swap entry from the pte without the PTL, each finds the page in the
// swap cache (the first read it in; a page swapped in usually stays in the
// swap cache). The first maps it and frees its entry; the second, under the
// PTL, must notice that the pte no longer holds the entry it read and back
// out ("Back out if somebody else already faulted in this pte"). Without the
// re-check it maps the page a second time over the first mapping and frees
// the entry again: swap_map underflows ("swap_free: Unused swap offset
// entry") and the page's mapcount counts a pte that does not exist.
//
// The re-check has been in do_swap_page since the page-table lock was taken
// per fault (2.6 era, before the kernel's git history); the buggy variant
// is the path without it, not a kernel release, and no commit id could be
// verified for the check's introduction.

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { PageAllocator } from "../../mm/pageAlloc.ts";
import { anonymousVma, checkMapcount, I_MAPCOUNT } from "../../mm/anonymous.ts";
import { SwapDevice } from "../../mm/swapDevice.ts";
import { swapInFault } from "../../mm/swapIn.ts";

interface Config {
  readonly faults: number;
}

const SMALLEST: Config = { faults: 2 };
const LARGER: Config = { faults: 3 };

export function swapinPteSame(name: string, recheck: boolean, c: Config): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const v = anonymousVma(mc, "anon", mc.mm(), 1);
    const free = [...Array(c.faults).keys()].map((i) => mc.page(`F${i}`));
    const a = new PageAllocator(mc, { free });
    const si = new SwapDevice(mc, "swap", 1);
    si.swappedOut(v, 0, 0);
    for (let i = 1; i <= c.faults; i++)
      m.thread(`fault${i}`, function* (t) {
        yield* swapInFault(t, a, si, v, 0, { guard: "get_swap_device", recheck });
      });
    checkMapcount(mc);
    mc.checkFree();
  });
}

function variant(name: string, summary: string, recheck: boolean, size: "smallest" | "larger"): Variant {
  const larger = size === "larger";
  return {
    name: larger ? `${name}-larger` : name,
    summary: larger ? `${summary}; three threads faulting` : summary,
    ...expectRace(!recheck),
    memoryModel: "sc",
    size,
    build: () => swapinPteSame(`s7-07b ${name}${larger ? "-larger" : ""}`, recheck, larger ? LARGER : SMALLEST),
  };
}

const BUGGY = "do_swap_page without the pte_same() re-check under the PTL (hypothetical: the check predates git)";
const FIXED = "do_swap_page as in every kernel since 2.6: pte_same(*pte, orig_pte) under the PTL, else back out";

export const swapinPteSameScenario: Scenario = {
  id: "s7-07b",
  seed: "s7",
  title: "two swap-ins of one pte: the second must see the first's mapping (pte_same)",
  invariant: I_MAPCOUNT,
  variants: [variant("no-recheck", BUGGY, false, "smallest"), variant("fixed", FIXED, true, "smallest"), variant("no-recheck", BUGGY, false, "larger"), variant("fixed", FIXED, true, "larger")],
};

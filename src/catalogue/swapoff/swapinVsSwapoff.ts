// s7-07: swap-in vs swapoff, swap_map freed under a fault (eb085574a752,
// "mm, swap: fix race between swapoff and some swap operations", Huang Ying,
// v5.1).
//
// do_swap_page reads the swap entry from the pte with no lock held and goes
// on to read the page in: read_swap_cache_async → swapcache_prepare →
// __swap_duplicate reads si->swap_map[offset]. Meanwhile swapoff brings the
// page back itself (unuse_pte), finds every slot unused and frees swap_map:
// the fault's read is a use-after-free (the commit's NULL-pointer
// dereference, since swapoff also sets p->swap_map = NULL). The fix,
// get_swap_device(), checks SWP_VALID inside rcu_read_lock(); swapoff clears
// SWP_VALID and synchronize_rcu()s before freeing, so a swap operation
// either sees the device invalid and gives up or finishes before the free.
// (2799e77529c2, "swap: fix do_swap_page() race with swapoff", 2021, later
// extended the protection to the whole of do_swap_page, with a percpu_ref
// instead of RCU because that section sleeps.)

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { declareRcuReaders } from "../../kernel/rcu.ts";
import { Machine } from "../../mm/machine.ts";
import { PageAllocator } from "../../mm/pageAlloc.ts";
import { anonymousVma, checkMapcount } from "../../mm/anonymous.ts";
import { I_SWAP, SwapDevice, type SwapGuard } from "../../mm/swapDevice.ts";
import { swapInFault } from "../../mm/swapIn.ts";
import { swapoff } from "../../mm/swapoff.ts";

interface Config {
  /** Pages of the anonymous VMA, each swapped out to its own slot; the fault touches each. */
  readonly pages: number;
}

const SMALLEST: Config = { pages: 1 };
const LARGER: Config = { pages: 2 };

export function swapinVsSwapoff(name: string, guard: SwapGuard, c: Config): Model {
  return model(name, (m) => {
    declareRcuReaders(m);
    const mc = new Machine(m);
    const v = anonymousVma(mc, "anon", mc.mm(), c.pages);
    // One page for each reader of each slot: the fault and swapoff may both read a slot in.
    const free = [...Array(2 * c.pages).keys()].map((i) => mc.page(`F${i}`));
    const a = new PageAllocator(mc, { free });
    const si = new SwapDevice(mc, "swap", c.pages);
    for (let i = 0; i < c.pages; i++) si.swappedOut(v, i, i);
    m.thread("fault", function* (t) {
      for (let i = 0; i < c.pages; i++) yield* swapInFault(t, a, si, v, i, { guard });
    });
    m.thread("swapoff", function* (t) {
      yield* swapoff(t, a, si, guard);
    });
    checkMapcount(mc);
    mc.checkFree();
  });
}

function variant(name: string, summary: string, guard: SwapGuard, race: boolean, size: "smallest" | "larger"): Variant {
  const larger = size === "larger";
  return {
    name: larger ? `${name}-larger` : name,
    summary: larger ? `${summary}; 2 pages swapped out, the fault touching both` : summary,
    ...expectRace(race),
    memoryModel: "sc",
    size,
    build: () => swapinVsSwapoff(`s7-07 ${name}${larger ? "-larger" : ""}`, guard, larger ? LARGER : SMALLEST),
  };
}

const BUGGY = "v4.x–v5.0: __swap_duplicate reads si->swap_map with nothing holding off swapoff";
const FIXED = "eb085574a752 (v5.1) mm, swap: fix race between swapoff and some swap operations — get_swap_device(): SWP_VALID under rcu_read_lock, swapoff waits a grace period";

export const swapinVsSwapoffScenario: Scenario = {
  id: "s7-07",
  seed: "s7",
  title: "swap-in vs swapoff: the fault reads swap_map after swapoff freed it",
  invariant: I_SWAP,
  variants: [
    variant("buggy", BUGGY, "none", true, "smallest"),
    variant("fixed", FIXED, "get_swap_device", false, "smallest"),
    variant("buggy", BUGGY, "none", true, "larger"),
    variant("fixed", FIXED, "get_swap_device", false, "larger"),
  ],
};

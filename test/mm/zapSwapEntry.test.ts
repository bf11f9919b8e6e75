// zap_pte_range on a swap entry frees the entry's slot
// (free_swap_and_cache): MADV_DONTNEED of a swapped-out page leaves
// swap_map at 0, and a page left in the swap cache for that slot with no
// pte mapping it leaves the swap cache too. Checked against a concurrent
// fault on the same entry: either the fault maps the page first (the zap
// then drops the mapping) or the zap frees the slot first and the fault
// finds a none pte.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import type { FinalState } from "../../src/program/model.ts";
import { Machine, PageAllocator, SWAP_HAS_CACHE, SwapDevice, anonPage, anonymousVma, checkMapcount, madviseDontneed, swapInFault } from "../../src/mm/index.ts";

/** anon[0] swapped out to slot 0; `cached`: the slot's page A still in the swap cache (swap_map 1|HAS_CACHE), else not. */
function dontneedOnSwapEntry(cached: boolean, fault: boolean) {
  return model(`MADV_DONTNEED on a swap entry${cached ? ", its page in the swap cache" : ""}${fault ? ", vs a fault" : ""}`, (m) => {
    const mc = new Machine(m);
    const v = anonymousVma(mc, "anon", mc.mm(), 1);
    const si = new SwapDevice(mc, "swap", 1);
    si.swappedOut(v, 0, 0);
    const F = mc.page("F");
    const a = new PageAllocator(mc, { free: [F] });
    const A = cached ? anonPage(mc, "A", 0) : undefined;
    if (A !== undefined) {
      // In the swap cache: the cache's reference and SWAP_HAS_CACHE.
      m.initialize(A.refcount, 1);
      m.initialize(si.swapCache[0]!, A.id);
      m.initialize(si.swapMap[0]!, (m.initialValue(si.swapMap[0]!) as number) | SWAP_HAS_CACHE);
    }
    m.thread("madvise", function* (t) {
      yield* madviseDontneed(t, mc, v, 0, 1);
    });
    if (fault)
      m.thread("fault", function* (t) {
        yield* swapInFault(t, a, si, v, 0, { guard: "none" });
      });
    // A page the fault mapped stays in the swap cache after the zap unmaps it (reclaim would free it later); nothing else holds the slot.
    const slotFree = (s: FinalState) => s.int(si.swapMap[0]!) === 0 && s.int(si.swapCache[0]!) === 0 && (A === undefined || s.int(A.refcount) === 0);
    const heldByCacheOnly = (s: FinalState) => s.int(si.swapMap[0]!) === SWAP_HAS_CACHE && s.int(si.swapCache[0]!) !== 0;
    if (!fault) m.forall("the slot is free, its swap cache empty, its page freed", slotFree);
    else {
      m.forall("no entry references the slot: it is free, or held by the swap cache alone", (s) => slotFree(s) || heldByCacheOnly(s));
      m.exists("the zap came first and freed the slot", slotFree);
      m.exists("the fault came first; the page it mapped stays cached", heldByCacheOnly);
    }
    checkMapcount(mc);
    mc.checkFree();
  });
}

test("MADV_DONTNEED frees a swap entry's slot, and the slot's unmapped swap-cache page (SC, TSO, LKMM)", () => {
  for (const cached of [false, true])
    for (const fault of [false, true])
      for (const name of ["sc", "tso", "lkmm"] as const) {
        const r = explore(dontneedOnSwapEntry(cached, fault), { memoryModel: memoryModelNamed(name), stopOnViolation: false });
        assert.equal(r.violationCount, 0, `${name} cached=${cached} fault=${fault}: ${r.violations[0]?.outcome.violation?.message}`);
        assert.ok(r.exhaustive && r.executions > 0);
        assert.ok(r.existsCounts.every((n) => n > 0), `${name} cached=${cached}: both orders happen (${r.existsCounts})`);
      }
});

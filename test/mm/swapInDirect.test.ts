// Swap-in that skips the swap cache on a SWP_SYNCHRONOUS_IO device, before
// and after 13ddaf26be32 ("mm/swap: fix race when skipping swapcache").
// Two faults on one swap entry: cpu0's write fault reads the page in,
// stores version 2 and swaps it out again through reclaim, which reuses the
// freed slot; cpu1's read fault read the old slot meanwhile. Unguarded,
// cpu1's pte_same() passes on the reused entry and it maps its stale copy:
// the store is lost. With the SWAP_HAS_CACHE claim, a fault that would
// read the slot backs off while another holds it, and the slot cannot be
// reused before the claim is cleared. The race is found under SC, TSO and
// LKMM; the fix is verified under SC and TSO (under LKMM its exhaustive run
// takes minutes: the spinlocks' many orders).

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { spinLock, spinUnlock } from "../../src/kernel/index.ts";
import {
  Machine,
  PageAllocator,
  SwapDevice,
  anonymousVma,
  checkMapcount,
  dataSeenAt,
  declarePageData,
  declareSwapData,
  getPage,
  loadFromAnon,
  ptePageId,
  ptePresent,
  shrinkAnonPage,
  storeToAnon,
  type SkipSwapcache,
} from "../../src/mm/index.ts";

function twoSwapIns(skip: SkipSwapcache) {
  return model(`two swap-ins skipping the swap cache, ${skip}`, (m) => {
    const mc = new Machine(m);
    const v = anonymousVma(mc, "anon", mc.mm(), 1);
    const pages = [mc.page("P0"), mc.page("P1")];
    const a = new PageAllocator(mc, { free: pages });
    const si = new SwapDevice(mc, "swap", 1);
    si.swappedOut(v, 0, 0);
    declarePageData(mc, pages);
    declareSwapData(si, () => 1);
    // A fault that backs off is retried once: enough for the other fault to finish.
    const opts = { guard: "none", synchronousIo: skip, attempts: 2 } as const;

    m.thread("cpu0", function* (t) {
      if (!(yield* storeToAnon(t, a, si, v, 0, 2, opts))) return { stored: 0 };
      // Reclaim isolates the page the store went to and swaps it out.
      yield* spinLock(t, v.ptl);
      const pte = yield* t.read(v.pte[0]!, "once");
      const p = ptePresent(pte) ? mc.pageById(ptePageId(pte))! : undefined;
      if (p !== undefined) yield* getPage(t, p);
      yield* spinUnlock(t, v.ptl);
      const swapped = p !== undefined && (yield* shrinkAnonPage(t, si, p, [{ vma: v, index: 0 }]));
      return { stored: 1, swapped: swapped ? 1 : 0 };
    });
    m.thread("cpu1", function* (t) {
      return { loaded: (yield* loadFromAnon(t, a, si, v, 0, opts)) ?? -1 };
    });

    m.forall("cpu0's store is not lost", (s) => s.result("cpu0")!.stored === 0 || dataSeenAt(s, mc, si, v, 0) === 2);
    m.exists("cpu0 swapped its page out and cpu1 read it back", (s) => s.result("cpu0")!.swapped === 1 && s.result("cpu1")!.loaded === 2);
    m.exists("cpu1 loaded the old data before cpu0's store", (s) => s.result("cpu0")!.stored === 1 && s.result("cpu1")!.loaded === 1);
    checkMapcount(mc);
    mc.checkFree();
  });
}

test("before 13ddaf26be32: the second swap-in maps its stale copy over the reused entry (SC, TSO, LKMM)", () => {
  for (const name of ["sc", "tso", "lkmm"]) {
    const r = explore(twoSwapIns("unguarded"), { memoryModel: memoryModelNamed(name) });
    assert.match(r.violations[0]?.outcome.violation?.message ?? "", /store is not lost/, name);
  }
});

test("13ddaf26be32: swapcache_prepare before the direct read keeps the second swap-in and the slot's reuse out (SC, TSO)", () => {
  const counts: number[] = [];
  for (const name of ["sc", "tso"]) {
    const r = explore(twoSwapIns("swapcache_prepare"), { memoryModel: memoryModelNamed(name), stopOnViolation: false });
    assert.equal(r.violationCount, 0, `${name}: ${r.violations[0]?.outcome.violation?.message}`);
    assert.ok(r.exhaustive, name);
    assert.ok(r.existsCounts.every((n) => n > 0), `${name}: every witness holds somewhere (${r.existsCounts})`);
    counts.push(r.executions);
  }
  // TSO adds no execution to SC's here.
  assert.equal(counts[0], counts[1]);
});

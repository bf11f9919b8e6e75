// try_to_free_swap keeps a page in the swap cache while it is under
// writeback. Reclaim swaps A out of anonA; a load faults A back from the
// swap cache with swap full (vm_swap_full: the page leaves the swap cache
// once no entry references its slot); a second reclaim swaps B out of
// anonB to the device's one slot. Were the slot freed while A's write to
// it is in flight, the second reclaim could take it, write B, and A's late
// write would land over B: B's data lost. The kernel's PageWriteback check
// keeps the slot A's until the write ends, so B's swap-out finds no slot
// (or finds it after A's write, freed). Verdicts under SC and TSO.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import {
  Machine,
  PageAllocator,
  SwapDevice,
  anonPage,
  anonymousVma,
  checkMapcount,
  dataSeenAt,
  declarePageData,
  declareSwapData,
  isolatedForReclaim,
  loadFromAnon,
  mkPte,
  ptePageId,
  shrinkAnonPage,
} from "../../src/mm/index.ts";

function swapFullFaultVsTwoSwapOuts() {
  return model("swap-out of A, a swap-full fault on A, swap-out of B to the same slot", (m) => {
    const mc = new Machine(m);
    const A = anonPage(mc, "A");
    const B = anonPage(mc, "B");
    isolatedForReclaim(mc, A);
    isolatedForReclaim(mc, B);
    const F = mc.page("F");
    const a = new PageAllocator(mc, { free: [F] });
    const mm = mc.mm();
    const vA = anonymousVma(mc, "anonA", mm, 1, { ptes: () => mkPte(A.id, { write: true, dirty: true }) });
    const vB = anonymousVma(mc, "anonB", mm, 1, { ptes: () => mkPte(B.id, { write: true, dirty: true }) });
    const si = new SwapDevice(mc, "swap", 1);
    si.registerVma(vA);
    si.registerVma(vB);
    declarePageData(mc, [A, B, F], (p) => (p === A ? 1 : p === B ? 2 : 0));
    declareSwapData(si);
    m.thread("reclaimA", function* (t) {
      return { freed: (yield* shrinkAnonPage(t, si, A, [{ vma: vA, index: 0 }])) ? 1 : 0 };
    });
    m.thread("user", function* (t) {
      return { value: (yield* loadFromAnon(t, a, si, vA, 0, { guard: "none", swapFull: true })) ?? -1 };
    });
    m.thread("reclaimB", function* (t) {
      return { freed: (yield* shrinkAnonPage(t, si, B, [{ vma: vB, index: 0 }])) ? 1 : 0 };
    });
    m.forall("no write is lost: anonA reads 1 and anonB reads 2", (s) => [1, -1].includes(s.result("user")!.value as number) && dataSeenAt(s, mc, si, vA, 0) === 1 && dataSeenAt(s, mc, si, vB, 0) === 2);
    m.exists("B was swapped out to the slot", (s) => s.result("reclaimB")!.freed === 1);
    m.exists("the load mapped A back from the swap cache", (s) => ptePageId(s.int(vA.pte[0]!)) === A.id && s.result("user")!.value === 1);
    checkMapcount(mc);
    mc.checkFree();
  });
}

test("a swap-full fault does not free a slot under writeback, so another swap-out's data is never overwritten (SC, TSO)", () => {
  for (const name of ["sc", "tso"] as const) {
    const r = explore(swapFullFaultVsTwoSwapOuts(), { memoryModel: memoryModelNamed(name), stopOnViolation: false });
    assert.equal(r.violationCount, 0, `${name}: ${r.violations[0]?.outcome.violation?.message}`);
    assert.ok(r.exhaustive, name);
    assert.ok(r.existsCounts.every((n) => n > 0), `${name}: every outcome happens (${r.existsCounts})`);
  }
});

// The TLB: an access goes through a cached entry, stale or not; a zap
// flushes before it frees (the mmu_gather), and freeing before the flush is
// I-TLB; a flush and an access do not interleave.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { spinLock, spinUnlock } from "../../src/kernel/index.ts";
import { Machine, Tlb, TLB_EMPTY, flushTlbRange, ptepGetAndClear, pageRemoveRmap, putPage, tlbFinishGather, tlbGatherMmu, tlbRemovePage, userAccess, zapPteRange } from "../../src/mm/index.ts";

function unmapVsAccess(name: string, freeFirst: boolean) {
  return model(name, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
    const mm = mc.mm();
    const M = mc.vma("M", mm, F, { mapped: [0] });
    const tlb = new Tlb(mc, mm);
    tlb.cover(M, { loaded: [0] });
    const P = mc.pages[0]!;
    m.thread("unmap", function* (t) {
      // zap_pte_range with its mmu_gather, by hand, so the order of flush and free can be varied.
      const g = tlbGatherMmu(M, 0, 1);
      yield* spinLock(t, M.ptl);
      yield* ptepGetAndClear(t, M, 0);
      yield* pageRemoveRmap(t, P);
      tlbRemovePage(g, P);
      yield* spinUnlock(t, M.ptl);
      // Drop the page cache's reference too, so the gather's put is the last.
      yield* putPage(t, P);
      if (freeFirst) {
        yield* putPage(t, P);
        yield* flushTlbRange(t, M, 0, 1);
      } else yield* tlbFinishGather(t, g);
    });
    m.thread("user", function* (t) {
      return { got: (yield* userAccess(t, tlb, M, 0))?.id ?? 0 };
    });
  });
}

test("tlb_gather_mmu / tlb_finish_mmu: flush, then free — no access ever reaches a freed page", () => {
  const r = explore(unmapVsAccess("gather", false));
  assert.equal(r.violations.length, 0);
  assert.ok(r.exhaustive && r.executions > 1);
});

test("freeing before the flush leaves a TLB entry to a freed page (I-TLB)", () => {
  const r = explore(unmapVsAccess("free first", true));
  assert.match(r.violations[0]!.outcome.violation!.message, /I-TLB: .*P0 freed while the TLB of mm still maps M\[0\] to it/);
});

test("zap_pte_range flushes the mm's TLB before dropping the references; an empty entry is filled by the page-table walk", () => {
  const r = explore(
    model("zap", (m) => {
      const mc = new Machine(m);
      const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
      const mm = mc.mm();
      const M = mc.vma("M", mm, F, { mapped: [0] });
      const tlb = new Tlb(mc, mm);
      const entries = tlb.cover(M);
      m.thread("user", function* (t) {
        return { got: (yield* userAccess(t, tlb, M, 0))?.id ?? 0 };
      });
      m.thread("zap", function* (t) {
        yield* zapPteRange(t, mc, M, 0, 1, { evenCows: true });
      });
      m.forall("the entry is empty after the zap", (s) => s.int(entries[0]!) === TLB_EMPTY);
      m.exists("the walk filled the entry", (s) => s.result("user")?.got === mc.pages[0]!.id);
    }),
  );
  assert.equal(r.violations.length, 0);
  assert.ok([...r.existsCounts.values()][0]! > 0);
});

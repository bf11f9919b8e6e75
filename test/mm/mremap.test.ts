// move_ptes / move_page_tables: the pte moves with its reference and
// mapcount; where the old range's flush happens depends on the version.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { Machine, PTE_NONE, TLB_EMPTY, Tlb, movePageTables, movePtes } from "../../src/mm/index.ts";

test("move_ptes: the flush under the PTLs happens for any present pte (v4.19), only a dirty one (v4.9), or never (before v4.9)", () => {
  for (const [flush, dirty, flushedUnderPtl] of [
    ["present-under-ptl", 0, true],
    ["dirty-under-ptl", 1, true],
    ["dirty-under-ptl", 0, false],
    ["after-unlock", 1, false],
  ] as const) {
    const r = explore(
      model(`${flush} ${dirty}`, (m) => {
        const mc = new Machine(m);
        const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
        const mm = mc.mm();
        const oldV = mc.vma("old", mm, F, { mapped: [0] });
        const newV = mc.vma("new", mm, F);
        const oldTlb = new Tlb(mc, mm).cover(oldV, { loaded: [0] });
        const dirtyBits = m.array("pte_dirty(old)", 1, dirty);
        m.thread("mremap", function* (t) {
          const owed = yield* movePtes(t, oldV, newV, 0, 1, { flush, dirty: dirtyBits });
          return { owed: owed ? 1 : 0, stale: yield* t.read(oldTlb[0]!, "once") };
        });
        m.forall("flushed under the PTLs exactly when the version says, and owes the flush otherwise", (s) =>
          flushedUnderPtl ? s.result("mremap")?.stale === TLB_EMPTY && s.result("mremap")?.owed === 0 : s.result("mremap")?.stale !== TLB_EMPTY && s.result("mremap")?.owed === 1,
        );
        m.forall("the pte moved; reference and mapcount unchanged", (s) => s.int(oldV.pte[0]!) === PTE_NONE && s.int(newV.pte[0]!) !== PTE_NONE && s.int(mc.pages[0]!.mapcount) === 1 && s.int(mc.pages[0]!.refcount) === 2);
      }),
    );
    assert.equal(r.violations.length, 0, `${flush} dirty=${dirty}: ${r.violations[0]?.outcome.violation?.message}`);
  }
});

test("move_page_tables: whatever the version, the old range is flushed by the time it returns", () => {
  for (const flush of ["after-unlock", "dirty-under-ptl", "present-under-ptl"] as const) {
    const r = explore(
      model(flush, (m) => {
        const mc = new Machine(m);
        const F = mc.file("F", { size: 2, cached: [{ index: 0 }, { index: 1 }] });
        const mm = mc.mm();
        const oldV = mc.vma("old", mm, F, { mapped: [0, 1] });
        const newV = mc.vma("new", mm, F);
        const oldTlb = new Tlb(mc, mm).cover(oldV, { loaded: [0, 1] });
        m.thread("mremap", function* (t) {
          yield* movePageTables(t, oldV, newV, 0, 2, { flush });
        });
        m.forall("old TLB entries flushed", (s) => oldTlb.every((e) => s.int(e) === TLB_EMPTY));
      }),
    );
    assert.equal(r.violations.length, 0, flush);
  }
});

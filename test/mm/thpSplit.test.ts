// split_huge_page and GUP-fast: a split alone turns the THP into two small
// pages, each mapped by its pte with its own count; a reference taken before
// the freeze makes the split back off; GUP-fast pins through a huge pmd or
// through the ptes of a split one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { HugePmd, Machine, PMD_TABLE, anonymousVma, checkMapcount, checkFreeCompound, declareThp, getPageUnlessZero, getUserPagesFast, ptePageId, putUserPage, splitHugePage } from "../../src/mm/index.ts";
import type { ModelBuilder } from "../../src/program/model.ts";

function thpOf(m: ModelBuilder) {
  const mc = new Machine(m);
  const mm = mc.mm();
  const head = mc.page("H", { flags: ["head"] });
  const tail = mc.page("T", { flags: ["tail"] });
  const pmd = new HugePmd(mc, "heap", mm, head);
  const table = anonymousVma(mc, "heap.ptes", mm, 2);
  return { mc, thp: declareThp(mc, pmd, head, tail, table, 1) };
}

test("split_huge_page alone: two small pages, each mapped once with its own count; the pmd points to the page table", () => {
  const r = explore(
    model("split", (m) => {
      const { mc, thp } = thpOf(m);
      m.thread("split", function* (t) {
        return { split: (yield* splitHugePage(t, thp)) ? 1 : 0 };
      });
      m.forall("split, H and T independent", (s) =>
        s.result("split")?.split === 1 && s.int(thp.pmd.pmd) === PMD_TABLE && s.int(thp.tail.compoundHead) === 0 && s.int(thp.head.refcount) === 1 && s.int(thp.tail.refcount) === 1 && ptePageId(s.int(thp.table.pte[1]!)) === thp.tail.id,
      );
      checkMapcount(mc);
      checkFreeCompound(mc);
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
});

test("a reference taken before the freeze makes split_huge_page back off to a PTE-mapped THP", () => {
  const r = explore(
    model("pinned split", (m) => {
      const { mc, thp } = thpOf(m);
      m.thread("pin", function* (t) {
        yield* getPageUnlessZero(t, thp.head);
      });
      m.thread("split", function* (t) {
        return { split: (yield* splitHugePage(t, thp)) ? 1 : 0 };
      });
      m.exists("the pin came first and the split backed off", (s) => s.result("split")?.split === 0 && s.int(thp.tail.compoundHead) !== 0);
      m.forall("if it backed off, T is still H's tail; if it split, the pin is on H", (s) => (s.result("split")?.split === 0) === ((s.int(thp.tail.compoundHead) & 1) === 1));
      checkMapcount(mc);
      checkFreeCompound(mc);
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.ok([...r.existsCounts.values()][0]! > 0);
});

test("GUP-fast pins the tail through the huge pmd, holding the reference on the head, and put_page returns it there", () => {
  const r = explore(
    model("gup-fast", (m) => {
      const { thp, mc } = thpOf(m);
      m.thread("gup", function* (t) {
        const p = yield* getUserPagesFast(t, mc, thp, 1, { recheck: true });
        const pinned = yield* t.read(thp.head.refcount, "once");
        if (p !== undefined) yield* putUserPage(t, mc, p);
        return { got: p?.id ?? 0, pinned };
      });
      m.forall("got T with H's count raised, then back to 2", (s) => s.result("gup")?.got === thp.tail.id && s.result("gup")?.pinned === 3 && s.int(thp.head.refcount) === 2);
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
});

// Anonymous memory: first-touch faults, COW on a write to a shared or file
// page, and the pte encoding they use.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import {
  ANON_MAPPING,
  Machine,
  PageAllocator,
  anonPage,
  anonymousVma,
  checkMapcount,
  doAnonymousPage,
  doCowFault,
  handleMmFault,
  mapReadOnly,
  mkPte,
  ptePageId,
  pteWrite,
  pteDirty,
  pteSame,
  swpEntryToPte,
  isSwapPte,
  pteSwapOffset,
  VM_FAULT_WRITE,
} from "../../src/mm/index.ts";

test("pte encoding: page, write and dirty bits, swap entries, pte_same", () => {
  const pte = mkPte(3, { write: true, dirty: true });
  assert.equal(ptePageId(pte), 3);
  assert.ok(pteWrite(pte) && pteDirty(pte));
  assert.ok(!pteWrite(mkPte(3)) && !pteDirty(mkPte(3)));
  assert.equal(mkPte(3), 3, "a clean read-only pte is the page id the file paths install");
  assert.ok(isSwapPte(swpEntryToPte(0)) && pteSwapOffset(swpEntryToPte(2)) === 2);
  assert.equal(ptePageId(swpEntryToPte(0)), 0);
  assert.ok(pteSame(pte, mkPte(3, { write: true, dirty: true })) && !pteSame(pte, mkPte(3, { dirty: true })));
});

test("do_anonymous_page: two threads touching one address install one page; the loser's page goes back to the free list", () => {
  const r = explore(
    model("two first touches", (m) => {
      const mc = new Machine(m);
      const v = anonymousVma(mc, "heap", mc.mm(), 1);
      const A = mc.page("A");
      const B = mc.page("B");
      const a = new PageAllocator(mc, { free: [A, B] });
      for (const name of ["t1", "t2"])
        m.thread(name, function* (t) {
          return { won: (yield* doAnonymousPage(t, a, v, 0)) ? 1 : 0 };
        });
      m.forall("one winner", (s) => (s.result("t1")!.won as number) + (s.result("t2")!.won as number) === 1);
      m.forall("the pte is writable and dirty, its page anonymous, the other page free", (s) => {
        const pte = s.int(v.pte[0]!);
        const mapped = mc.pageById(ptePageId(pte))!;
        const other = mapped === A ? B : A;
        return pteWrite(pte) && pteDirty(pte) && s.int(mapped.mapping) === ANON_MAPPING && s.int(mapped.refcount) === 1 && s.int(other.refcount) === 0 && (s.int(a.freeList) & (1 << other.id)) !== 0;
      });
      checkMapcount(mc);
      mc.checkFree();
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.ok(r.exhaustive && r.executions >= 2);
});

test("do_wp_page: a page mapped twice is copied for the writer, a page mapped once is reused in place", () => {
  const r = explore(
    model("cow after fork", (m) => {
      const mc = new Machine(m);
      const S = anonPage(mc, "S", 2);
      const parent = anonymousVma(mc, "parent", mc.mm("parent"), 1, { ptes: () => mkPte(S.id) });
      const child = anonymousVma(mc, "child", mc.mm("child"), 1, { ptes: () => mkPte(S.id) });
      const C = mc.page("C");
      // Both may read mapcount 2 before either copies: then both copy.
      const D = mc.page("D");
      const a = new PageAllocator(mc, { free: [C, D] });
      for (const [name, v] of [["parent", parent], ["child", child]] as const)
        m.thread(name, function* (t) {
          const ret = yield* handleMmFault(t, mc, a, v, 0, true);
          return { ret };
        });
      m.forall("both ptes end writable, on different pages", (s) => {
        const p = s.int(parent.pte[0]!);
        const c = s.int(child.pte[0]!);
        return pteWrite(p) && pteWrite(c) && ptePageId(p) !== ptePageId(c);
      });
      m.forall("both faults broke COW", (s) => s.result("parent")?.ret === VM_FAULT_WRITE && s.result("child")?.ret === VM_FAULT_WRITE);
      m.exists("the parent copied and the child reused S", (s) => ptePageId(s.int(parent.pte[0]!)) === C.id && ptePageId(s.int(child.pte[0]!)) === S.id);
      checkMapcount(mc);
      mc.checkFree();
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.ok(r.exhaustive && [...r.existsCounts.values()][0]! > 0);
});

test("do_wp_page's pte_same: two write faults copy at once, the second copy finds the pte changed and is freed", () => {
  const r = explore(
    model("two writers copy", (m) => {
      const mc = new Machine(m);
      const S = anonPage(mc, "S", 2);
      const v = anonymousVma(mc, "v", mc.mm(), 1, { ptes: () => mkPte(S.id) });
      anonymousVma(mc, "other", mc.mm("other"), 1, { ptes: () => mkPte(S.id) });
      const C = mc.page("C");
      const D = mc.page("D");
      const a = new PageAllocator(mc, { free: [C, D] });
      for (const name of ["w1", "w2"])
        m.thread(name, function* (t) {
          yield* handleMmFault(t, mc, a, v, 0, true);
        });
      m.forall("v ends writable on a copy; S keeps only the other mapping", (s) => pteWrite(s.int(v.pte[0]!)) && ptePageId(s.int(v.pte[0]!)) !== S.id && s.int(S.refcount) === 1);
      m.exists("both copied: one copy went back to the free list", (s) => s.int(C.refcount) + s.int(D.refcount) === 1 && s.int(a.freeList) !== 0);
      checkMapcount(mc);
      mc.checkFree();
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.ok(r.exhaustive && [...r.existsCounts.values()][0]! > 0);
});

test("do_cow_fault: a write to a none pte of a private file mapping gets an anonymous copy, dirty, writable only with VM_WRITE", () => {
  for (const readOnly of [false, true]) {
    const r = explore(
      model(`cow fault ${readOnly}`, (m) => {
        const mc = new Machine(m);
        const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
        const vma = mc.vma("priv", mc.mm(), F, { shared: false });
        const v = readOnly ? mapReadOnly(vma) : vma;
        const C = mc.page("C");
        const a = new PageAllocator(mc, { free: [C] });
        m.thread("writer", function* (t) {
          return { ret: yield* doCowFault(t, mc, a, v, 0) };
        });
        m.forall("the pte maps the copy, dirty, writable as the VMA allows; the file page is untouched", (s) => {
          const pte = s.int(v.pte[0]!);
          return ptePageId(pte) === C.id && pteDirty(pte) && pteWrite(pte) === !readOnly && s.int(C.mapping) === ANON_MAPPING && s.int(mc.pages[0]!.refcount) === 1;
        });
        checkMapcount(mc);
      }),
    );
    assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
    assert.ok(r.exhaustive);
  }
});

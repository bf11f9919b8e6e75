// A COW copy carries the page's data (copy_user_highpage): do_wp_page's
// copy of an anonymous page two ptes share, and do_cow_fault's copy of a
// file page into a private mapping, each leave the copy holding what the
// original held, and the original unchanged.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { spinLock } from "../../src/kernel/spinlock.ts";
import { Machine, PageAllocator, anonPage, anonymousVma, declarePageData, doCowFault, doWpPage, mkPte, pageData, ptePageId } from "../../src/mm/index.ts";

const wpPageCopy = model("do_wp_page copies a shared anonymous page's data", (m) => {
  const mc = new Machine(m);
  const A = anonPage(mc, "A", 2);
  const C = mc.page("C");
  const a = new PageAllocator(mc, { free: [C] });
  const mm = mc.mm();
  const v0 = anonymousVma(mc, "anon0", mm, 1, { ptes: () => mkPte(A.id) });
  anonymousVma(mc, "anon1", mm, 1, { ptes: () => mkPte(A.id) });
  declarePageData(mc, [A, C], (p) => (p === A ? 5 : 0));
  m.thread("writer", function* (t) {
    yield* spinLock(t, v0.ptl);
    const orig = yield* t.read(v0.pte[0]!, "once");
    yield* doWpPage(t, mc, a, v0, 0, orig);
  });
  m.forall("anon0 maps the copy, which holds A's data", (s) => ptePageId(s.int(v0.pte[0]!)) === C.id && s.int(pageData(C)) === 5 && s.int(pageData(A)) === 5);
});

const cowFaultCopy = model("do_cow_fault copies the file page's data", (m) => {
  const mc = new Machine(m);
  const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
  const P = mc.pages[0]!;
  const C = mc.page("C");
  const a = new PageAllocator(mc, { free: [C] });
  const v = mc.vma("M", mc.mm(), F, { shared: false });
  declarePageData(mc, [P, C], (p) => (p === P ? 7 : 0));
  m.thread("writer", function* (t) {
    return { ret: yield* doCowFault(t, mc, a, v, 0) };
  });
  m.forall("the private pte maps the copy, which holds the file page's data", (s) => s.result("writer")!.ret === 0 && ptePageId(s.int(v.pte[0]!)) === C.id && s.int(pageData(C)) === 7 && s.int(pageData(P)) === 7);
});

test("COW copies carry the data word: do_wp_page and do_cow_fault", () => {
  for (const md of [wpPageCopy, cowFaultCopy]) {
    const r = explore(md, { stopOnViolation: false });
    assert.ok(r.executions > 0);
    assert.equal(r.violationCount, 0, `${md.name}: ${r.violations[0]?.outcome.violation?.message}`);
  }
});

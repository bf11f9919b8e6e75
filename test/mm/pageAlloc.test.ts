// The order-0 allocator: a page whose count reached 0 is allocatable only
// once its freer has put it on the free list; the free-time checks refuse
// pages with flags set; allocation hands out exactly the freed pages.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { Machine, PageAllocator, allocPage, freePages, getPage, setPageWriteback, declareWriteback } from "../../src/mm/index.ts";

test("free_unref_page and alloc_page: refcount 0 and on the free list are distinct states, and only the second is allocatable", () => {
  const r = explore(
    model("alloc vs free", (m) => {
      const mc = new Machine(m);
      const P = mc.page("P");
      const alloc = new PageAllocator(mc);
      m.thread("freer", function* (t) {
        yield* freePages(t, P);
      });
      m.thread("allocator", function* (t) {
        const count = yield* t.read(P.refcount, "once");
        const got = yield* allocPage(t, alloc);
        return { count, got: got?.id ?? 0 };
      });
      // An allocation never takes a page whose count is not 0, and a page on the list has count 0.
      m.forall("allocated pages come from the free list with count 1", (s) => s.result("allocator")?.got === 0 || s.int(P.refcount) === 1);
      m.forall("the list holds P exactly when P was freed and not re-allocated", (s) => (s.int(alloc.freeList) !== 0) === (s.result("allocator")?.got === 0));
      // The window: P's count read 0, yet it was not on the list yet.
      m.exists("count 0 but not yet free", (s) => s.result("allocator")?.count === 0 && s.result("allocator")?.got === 0);
    }),
  );
  assert.equal(r.violations.length, 0);
  assert.ok(r.exhaustive);
  assert.ok([...r.existsCounts.values()][0]! > 0, "the window between the count reaching 0 and the list add is explored");
});

test("alloc_page takes the declared free pages, lowest first, and returns undefined when the list is empty", () => {
  const r = explore(
    model("two free pages", (m) => {
      const mc = new Machine(m);
      const A = mc.page("A");
      const B = mc.page("B");
      const alloc = new PageAllocator(mc, { free: [A, B] });
      m.thread("t", function* (t) {
        const x = yield* allocPage(t, alloc);
        const y = yield* allocPage(t, alloc);
        const z = yield* allocPage(t, alloc);
        return { x: x?.id ?? 0, y: y?.id ?? 0, z: z?.id ?? 0 };
      });
      m.forall("A, B, then nothing; each with count 1", (s) => {
        const res = s.result("t")!;
        return res.x === A.id && res.y === B.id && res.z === 0 && s.int(A.refcount) === 1 && s.int(B.refcount) === 1;
      });
    }),
  );
  assert.equal(r.violations.length, 0);
});

test("freeing a page under writeback is a bad page; a double free is caught", () => {
  const wb = explore(
    model("free under writeback", (m) => {
      const mc = new Machine(m);
      const P = mc.page("P");
      new PageAllocator(mc);
      declareWriteback(mc, P, []);
      m.thread("t", function* (t) {
        yield* setPageWriteback(t, P);
        yield* freePages(t, P);
      });
    }),
  );
  assert.match(wb.violations[0]!.outcome.violation!.message, /bad page: P freed with PG_writeback set/);
  const twice = explore(
    model("double free", (m) => {
      const mc = new Machine(m);
      const P = mc.page("P");
      new PageAllocator(mc);
      m.thread("t", function* (t) {
        yield* getPage(t, P);
        yield* freePages(t, P);
        yield* freePages(t, P);
        yield* freePages(t, P);
      });
    }),
  );
  assert.match(twice.violations[0]!.outcome.violation!.message, /dropping a reference to P\._refcount at count 0/);
});

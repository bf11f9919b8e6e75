// add_to_page_cache_lru: a page freed by one file's truncation comes back
// as another file's page, locked, with the cache's reference; a slot that
// is already taken leaves the page as it came.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { Machine, PageAllocator, addToPageCacheLru, allocPage, putPage, truncate, unlockPage } from "../../src/mm/index.ts";

test("a page truncated from F is reused as G's page, never while F still has it", () => {
  const r = explore(
    model("reuse", (m) => {
      const mc = new Machine(m);
      const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
      const G = mc.file("G", { size: 1 });
      const P = mc.pages[0]!;
      const alloc = new PageAllocator(mc);
      m.thread("truncate", function* (t) {
        yield* truncate(t, mc, F, 0);
      });
      m.thread("writer", function* (t) {
        const p = yield* allocPage(t, alloc);
        if (p === undefined) return { added: 0 };
        const added = yield* addToPageCacheLru(t, G, p, 0);
        if (added) yield* unlockPage(t, p);
        yield* putPage(t, p);
        return { added: added ? 1 : 0 };
      });
      m.forall("reused: in G with the cache's reference, out of F", (s) =>
        s.result("writer")?.added !== 1 || (s.int(G.iPages[0]!) === P.id && s.int(P.mapping) === G.id && s.int(P.refcount) === 1 && s.int(F.iPages[0]!) === 0),
      );
      m.exists("reused", (s) => s.result("writer")?.added === 1);
      mc.checkFree();
    }),
  );
  assert.equal(r.violations.length, 0);
  assert.ok(r.exhaustive);
  assert.ok([...r.existsCounts.values()][0]! > 0);
});

test("a taken slot: the page is not added and keeps only the caller's reference", () => {
  const r = explore(
    model("slot taken", (m) => {
      const mc = new Machine(m);
      const G = mc.file("G", { size: 1, cached: [{ index: 0 }] });
      const Q = mc.page("Q");
      m.thread("t", function* (t) {
        return { added: (yield* addToPageCacheLru(t, G, Q, 0)) ? 1 : 0 };
      });
      m.forall("not added, Q as it came", (s) => s.result("t")?.added === 0 && s.int(Q.refcount) === 1 && s.int(Q.mapping) === 0 && s.int(G.iPages[0]!) === mc.pages[0]!.id);
    }),
  );
  assert.equal(r.violations.length, 0);
});

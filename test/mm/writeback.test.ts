// Page writeback: end_page_writeback wakes the waiter, truncation waits for
// writeback before deleting the page, and the misuse checks fire.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { testBit } from "../../src/kernel/index.ts";
import { Machine, declareWriteback, endPageWriteback, setPageWriteback, truncate, waitOnPageWriteback, type EndWritebackOptions } from "../../src/mm/index.ts";

const V510: EndWritebackOptions = { wake: "wake", holdReference: true };

test("wait_on_page_writeback returns only after end_page_writeback, never deadlocks (either wait rule)", () => {
  for (const rule of ["once", "loop"] as const) {
    const r = explore(
      model(`wait ${rule}`, (m) => {
        const mc = new Machine(m);
        const P = mc.page("P", { flags: ["writeback"] });
        declareWriteback(mc, P, ["waiter"], rule);
        m.thread("end_io", function* (t) {
          yield* endPageWriteback(t, P, V510);
        });
        m.thread("waiter", function* (t) {
          yield* waitOnPageWriteback(t, P);
          return { wb: (yield* testBit(t, P.flag("writeback"))) ? 1 : 0 };
        });
        m.forall("the waiter sees the writeback ended", (s) => s.result("waiter")?.wb === 0);
      }),
    );
    assert.equal(r.violations.length, 0, `${rule}: ${r.violations[0]?.outcome.violation?.message}`);
    assert.ok(r.exhaustive && r.executions > 2);
  }
});

test("truncate waits for writeback before deleting the page: the page leaves the cache only after PG_writeback clears", () => {
  const r = explore(
    model("truncate vs writeback", (m) => {
      const mc = new Machine(m);
      const F = mc.file("F", { size: 1, cached: [{ index: 0, flags: ["uptodate", "writeback"] }] });
      const P = mc.pages[0]!;
      declareWriteback(mc, P, ["truncate"]);
      const endedFirst = m.location("ended", 0);
      m.thread("end_io", function* (t) {
        // Record, before the clear, whether the page was still cached: it must be.
        const cached = yield* t.read(F.iPages[0]!, "once");
        yield* t.write(endedFirst, cached === P.id ? 1 : 2, "once");
        yield* endPageWriteback(t, P, V510);
      });
      m.thread("truncate", function* (t) {
        yield* truncate(t, mc, F, 0);
      });
      m.forall("writeback ended on a page still in the cache", (s) => s.int(endedFirst) === 1);
      mc.checkFree();
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.ok(r.exhaustive);
});

test("set_page_writeback twice and end_page_writeback without writeback are misuse", () => {
  const twice = explore(
    model("set twice", (m) => {
      const mc = new Machine(m);
      const P = mc.page("P", { flags: ["writeback"] });
      declareWriteback(mc, P, []);
      m.thread("t", function* (t) {
        yield* setPageWriteback(t, P);
      });
    }),
  );
  assert.match(twice.violations[0]!.outcome.violation!.message, /set_page_writeback\(P\) on a page already under writeback/);
  const end = explore(
    model("end without", (m) => {
      const mc = new Machine(m);
      const P = mc.page("P");
      declareWriteback(mc, P, []);
      m.thread("t", function* (t) {
        yield* endPageWriteback(t, P, V510);
      });
    }),
  );
  assert.match(end.violations[0]!.outcome.violation!.message, /end_page_writeback\(P\) on a page not under writeback/);
});

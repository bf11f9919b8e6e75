// The mm core on the race it was built around: the 2.6.23 locked fault
// against truncation, and what breaks without the page lock.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { ANON_MAPPING, Machine, doReadFault, findGetPage, installPte, putPage, truncate, freePage } from "../../src/mm/index.ts";

function faultVsTruncate(locked: boolean, mapped: boolean) {
  return model(`fault-vs-truncate-${locked ? "locked" : "unlocked"}${mapped ? "-mapped" : ""}`, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
    mc.vma("M", mc.mm(), F, { mapped: mapped ? [0] : [] });
    const M2 = mc.vma("M2", mc.mm("mm2"), F);
    m.thread("fault", function* (t) {
      if (locked) {
        yield* doReadFault(t, mc, M2, 0);
        return;
      }
      const p = yield* findGetPage(t, mc, F, 0);
      if (p === undefined) return;
      if (0 < (yield* t.read(F.iSize)) && (yield* installPte(t, M2, 0, p))) return;
      yield* putPage(t, p);
    });
    m.thread("truncate", function* (t) {
      yield* truncate(t, mc, F, 0);
    });
    mc.checkTruncation();
    mc.checkFree();
  });
}

test("the locked fault never leaves a pte to a truncated page; the unlocked one does", () => {
  const fixed = explore(faultVsTruncate(true, false));
  assert.equal(fixed.violations.length, 0);
  assert.ok(fixed.exhaustive);
  assert.ok(fixed.executions > 1);
  const buggy = explore(faultVsTruncate(false, false));
  assert.match(buggy.violations[0]!.outcome.violation!.message, /I-TRUNC/);
});

test("truncation unmaps every VMA's pte and frees the page once the last reference goes", () => {
  const r = explore(faultVsTruncate(true, true), { stopOnViolation: false });
  assert.equal(r.violations.length, 0);
  assert.ok(r.exhaustive);
});

test("freeing a page that a pte still maps breaks I-FREE at the free", () => {
  const md = model("free-mapped", (m) => {
    const mc = new Machine(m);
    const A = mc.page("A", { mapping: ANON_MAPPING, mapcount: 1 });
    m.thread("T", function* (t) {
      yield* freePage(t, A);
    });
  });
  assert.match(explore(md).violations[0]!.outcome.violation!.message, /I-FREE: A freed while 1 pte\(s\) map it/);
});

test("a flags word and one location per flag give the same page lock", () => {
  for (const flags of ["word", "split"] as const) {
    const md = model(`locked-fault-${flags}`, (m) => {
      const mc = new Machine(m, { flags });
      const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
      const M = mc.vma("M", mc.mm(), F);
      for (const name of ["f1", "f2"])
        m.thread(name, function* (t) {
          yield* doReadFault(t, mc, M, 0);
        });
      m.forall("one pte, one mapcount, two references", (s) => s.int(M.pte[0]!) === 1 && s.int(mc.pages[0]!.mapcount) === 1 && s.int(mc.pages[0]!.refcount) === 2);
    });
    const r = explore(md);
    assert.equal(r.violations.length, 0, flags);
    assert.equal(r.deadlocks, 0);
  }
});

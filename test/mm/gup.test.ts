// get_user_pages with FOLL_FORCE on a read-only private mapping: the write
// goes to a COW copy; follow_page_pte's write rule by version; and MADV_DONTNEED
// racing with it (Dirty COW before v4.9).

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import {
  ANON_MAPPING,
  FOLL_COW,
  FOLL_FORCE,
  FOLL_WRITE,
  Machine,
  PageAllocator,
  accessRemoteVmWrite,
  canFollowWritePte,
  checkMapcount,
  madviseDontneed,
  mapReadOnly,
  mkPte,
  type GupCowRule,
} from "../../src/mm/index.ts";

test("can_follow_write_pte: writable, or a dirty pte under FOLL_FORCE|FOLL_COW", () => {
  assert.ok(canFollowWritePte(mkPte(1, { write: true }), FOLL_WRITE));
  assert.ok(!canFollowWritePte(mkPte(1, { dirty: true }), FOLL_WRITE | FOLL_FORCE));
  assert.ok(canFollowWritePte(mkPte(1, { dirty: true }), FOLL_WRITE | FOLL_FORCE | FOLL_COW));
  assert.ok(!canFollowWritePte(mkPte(1), FOLL_WRITE | FOLL_FORCE | FOLL_COW));
});

function forcedWrite(cow: GupCowRule, dontneed: boolean) {
  return model(`forced write ${cow} ${dontneed}`, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
    const v = mapReadOnly(mc.vma("priv", mc.mm(), F, { shared: false, mapped: [0] }));
    const alloc = new PageAllocator(mc, { free: [mc.page("A"), mc.page("B")] });
    m.thread("ptrace", function* (t) {
      const wrote = yield* accessRemoteVmWrite(t, mc, v, 0, { cow, alloc }, function* (t, p) {
        t.assert((yield* t.read(p.mapping, "once")) === ANON_MAPPING, `I-COW: the forced write lands in ${p.name}, F's page`);
      });
      return { wrote: wrote ? 1 : 0 };
    });
    if (dontneed)
      m.thread("madvise", function* (t) {
        yield* madviseDontneed(t, mc, v, 0, 1);
      });
    m.forall("the write happened", (s) => s.result("ptrace")?.wrote === 1);
    checkMapcount(mc);
    mc.checkFree();
  });
}

test("__get_user_pages(FOLL_WRITE|FOLL_FORCE) alone writes a COW copy under either version", () => {
  for (const cow of ["drop-foll-write", "foll-cow"] as const) {
    const r = explore(forcedWrite(cow, false));
    assert.equal(r.violations.length, 0, `${cow}: ${r.violations[0]?.outcome.violation?.message}`);
    assert.ok(r.exhaustive);
  }
});

test("against MADV_DONTNEED, dropping FOLL_WRITE writes the file's page (Dirty COW); FOLL_COW does not", () => {
  const buggy = explore(forcedWrite("drop-foll-write", true));
  assert.match(buggy.violations[0]!.outcome.violation!.message, /I-COW: the forced write lands in P0/);
  const fixed = explore(forcedWrite("foll-cow", true));
  assert.equal(fixed.violations.length, 0, fixed.violations[0]?.outcome.violation?.message);
  assert.ok(fixed.exhaustive && fixed.executions > 10);
});

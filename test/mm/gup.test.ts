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
  FOLL_GET,
  followPagePte,
  handleMmFault,
  ptePageId,
  pteWrite,
  VM_FAULT_WRITE,
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

test("follow_page_pte takes a reference on what a usable pte maps, and nothing from a none or too read-only pte", () => {
  const r = explore(
    model("follow_page_pte", (m) => {
      const mc = new Machine(m);
      const F = mc.file("F", { size: 2, cached: [{ index: 0 }, { index: 1 }] });
      const v = mc.vma("priv", mc.mm(), F, { shared: false, mapped: [0] });
      m.thread("t", function* (t) {
        const read = yield* followPagePte(t, mc, v, 0, FOLL_GET);
        const write = yield* followPagePte(t, mc, v, 0, FOLL_GET | FOLL_WRITE);
        const none = yield* followPagePte(t, mc, v, 1, FOLL_GET);
        return { read: read?.id ?? 0, write: write?.id ?? 0, none: none?.id ?? 0 };
      });
      m.forall("the read walk got P0 with a reference; the write walk and the none pte got nothing", (s) => {
        const res = s.result("t")!;
        return res.read === mc.pages[0]!.id && res.write === 0 && res.none === 0 && s.int(mc.pages[0]!.refcount) === 3;
      });
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
});

test("handle_mm_fault: a read fault maps the file's page, a write to it then copies it for the private mapping", () => {
  const r = explore(
    model("handle_mm_fault", (m) => {
      const mc = new Machine(m);
      const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
      const v = mc.vma("priv", mc.mm(), F, { shared: false });
      const alloc = new PageAllocator(mc, { free: [mc.page("C")] });
      m.thread("t", function* (t) {
        yield* handleMmFault(t, mc, alloc, v, 0, false);
        const afterRead = yield* t.read(v.pte[0]!, "once");
        const ret = yield* handleMmFault(t, mc, alloc, v, 0, true);
        return { afterRead, ret };
      });
      m.forall("read: P0 read-only; write: COW to C, writable", (s) => {
        const res = s.result("t")!;
        const pte = s.int(v.pte[0]!);
        return res.afterRead === mkPte(mc.pages[0]!.id) && res.ret === VM_FAULT_WRITE && ptePageId(pte) === mc.pages[1]!.id && pteWrite(pte);
      });
      checkMapcount(mc);
      mc.checkFree();
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
});

// Each CPU's TLB, and the question what it translates an address to right
// now. migrate_vma_collect_pmd replaces a present pte by a migration entry;
// flushing only after dropping the PTL (8c3328f1f36a, v4.14) lets
// madvise(MADV_DONTNEED) clear that entry and return while another CPU
// still translates the address to the page; 60bae7370896 (v6.0) flushes
// under the PTL. Verdicts under SC, TSO and LKMM; SC counts against the
// brute-force enumerator.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { assertVerifiedUnderEach, assertRaceUnderEach } from "../support/memoryModels.ts";
import {
  Machine,
  Tlb,
  anonPage,
  anonymousVma,
  assertNoStaleTranslation,
  checkMapcount,
  flushTlbRange,
  migrateVmaCollectPmd,
  migrateVmaFinalize,
  tlbTranslation,
  userAccess,
  zapPteRange,
  type CollectFlush,
} from "../../src/mm/index.ts";


test("each CPU fills its own TLB; a flush empties every CPU's; tlbTranslation and Tlb.translation say what each translates to", () => {
  const r = explore(
    model("per-CPU TLBs", (m) => {
      const mc = new Machine(m);
      const mm = mc.mm();
      const A = anonPage(mc, "A");
      const v = anonymousVma(mc, "anon", mm, 2, { ptes: (i) => (i === 0 ? A.id : 0) });
      const tlb = new Tlb(mc, mm, { cpus: ["cpu0", "cpu1"] });
      tlb.cover(v, { loaded: [0], loadedOn: ["cpu1"] });
      m.thread("t", function* (t) {
        const before0 = (yield* tlbTranslation(t, tlb, v, 0, "cpu0"))?.id ?? 0;
        const before1 = (yield* tlbTranslation(t, tlb, v, 0, "cpu1"))?.id ?? 0;
        const through0 = (yield* userAccess(t, tlb, v, 0, "cpu0"))?.id ?? 0;
        const filled0 = (yield* tlbTranslation(t, tlb, v, 0, "cpu0"))?.id ?? 0;
        const hole = (yield* userAccess(t, tlb, v, 1, "cpu0"))?.id ?? 0;
        return { before0, before1, through0, filled0, hole };
      });
      m.forall("translations as each CPU cached them", (s) => {
        const r = s.result("t")!;
        return r.before0 === 0 && r.before1 === A.id && r.through0 === A.id && r.filled0 === A.id && r.hole === 0;
      });
      m.forall("at the end both CPUs translate anon[0] to A and nothing reaches a freed page", (s) =>
        tlb.translation(s, v, 0, "cpu0") === A && tlb.translation(s, v, 0, "cpu1") === A && tlb.translation(s, v, 1, "cpu0") === undefined && tlb.reachers(s, A).length === 2,
      );
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  const flushed = explore(
    model("flush", (m) => {
      const mc = new Machine(m);
      const mm = mc.mm();
      const A = anonPage(mc, "A");
      const v = anonymousVma(mc, "anon", mm, 1, { ptes: () => A.id });
      const tlb = new Tlb(mc, mm, { cpus: ["cpu0", "cpu1"] });
      tlb.cover(v, { loaded: [0] });
      m.thread("t", function* (t) {
        yield* flushTlbRange(t, v, 0, 1);
      });
      m.forall("no CPU caches anon[0]", (s) => tlb.cpus.every((cpu) => tlb.translation(s, v, 0, cpu) === undefined));
    }),
  );
  assert.equal(flushed.violations.length, 0);
  assert.throws(
    () =>
      model("a CPU named twice", (m) => {
        const mc = new Machine(m);
        new Tlb(mc, mc.mm(), { cpus: ["cpu0", "cpu0"] });
      }),
    /each once/,
  );
});

function collectVsDontneed(flush: CollectFlush) {
  return model(`migrate_vma_collect_pmd (${flush}) vs MADV_DONTNEED`, (m) => {
    const mc = new Machine(m);
    const mm = mc.mm();
    const A = anonPage(mc, "A");
    const v = anonymousVma(mc, "anon", mm, 1, { ptes: () => A.id });
    const tlb = new Tlb(mc, mm, { cpus: ["cpu0", "cpu1"] });
    // The process touched the page on cpu1.
    tlb.cover(v, { loaded: [0], loadedOn: ["cpu1"] });
    m.thread("migrate", function* (t) {
      const pages = yield* migrateVmaCollectPmd(t, mc, v, 0, 1, flush);
      yield* migrateVmaFinalize(t, mc, v, 0, 1, pages);
      return { collected: pages.length };
    });
    m.thread("madvise", function* (t) {
      yield* zapPteRange(t, mc, v, 0, 1, { evenCows: true });
      yield* assertNoStaleTranslation(t, tlb, v, 0, 1, "after madvise(MADV_DONTNEED) returned");
    });
    m.exists("the collector replaced the pte by a migration entry", (s) => s.result("migrate")?.collected === 1);
    checkMapcount(mc);
    mc.checkFree();
    tlb.checkNoFreedPageReachable();
  });
}

test("migrate_vma_collect_pmd flushing after pte_unmap_unlock: madvise returns while cpu1 still translates the address (SC, TSO, LKMM)", () => {
  const md = collectVsDontneed("after-unlock");
  assertRaceUnderEach(md, /stale TLB entry after madvise\(MADV_DONTNEED\) returned: cpu1 still translates anon\[0\] to A/);
});

test("60bae7370896: flushing under the PTL, no CPU translates the address once madvise returns (SC, TSO, LKMM)", () => {
  const md = collectVsDontneed("under-ptl");
  assertVerifiedUnderEach(md);
});

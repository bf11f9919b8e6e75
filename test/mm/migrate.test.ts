// Page migration with migration entries: alone, it moves a page-cache page
// and frees the old one; with a reader on another CPU, a read that finds
// the migration entry waits and then reads the new page, which holds the
// copied data. The counterfactual without migration entries (the pte is
// cleared, as an unmap would) lets the reader's fault make a fresh,
// zeroed anonymous page: the data is lost. Verdicts under SC, TSO and
// LKMM; SC counts against the brute-force enumerator.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { assertVerifiedUnderEach, assertRaceUnderEach } from "../support/memoryModels.ts";
import {
  Machine,
  PageAllocator,
  Tlb,
  anonPage,
  anonymousVma,
  checkMapcount,
  declarePageData,
  doAnonymousPage,
  faultOnMigrationEntry,
  fileRmap,
  isMigrationEntryPte,
  isolatedForMigration,
  makeMigrationEntryPte,
  migratePages,
  migrationEntryPageId,
  mkPte,
  pteKind,
  pteSwapOffset,
  pteText,
  swpEntryToPte,
  userLoad,
  type MigrationUnmap,
} from "../../src/mm/index.ts";


test("a pte is none, present, a swap entry or a migration entry, and each prints as such", () => {
  assert.equal(pteKind(0), "none");
  assert.equal(pteKind(mkPte(3, { write: true })), "present");
  assert.equal(pteKind(swpEntryToPte(5)), "swap");
  const entry = makeMigrationEntryPte(3, true);
  assert.equal(pteKind(entry), "migration");
  assert.ok(isMigrationEntryPte(entry) && !isMigrationEntryPte(swpEntryToPte(5)));
  assert.equal(migrationEntryPageId(entry), 3);
  assert.equal(migrationEntryPageId(makeMigrationEntryPte(7, false)), 7);
  assert.equal(pteText(entry, (id) => `P${id}`), "migration[P3 rw]");
  assert.equal(pteText(swpEntryToPte(5), () => undefined), "swap[5]");
  assert.throws(() => pteSwapOffset(entry), /migration entry, not a swap slot/);
});

test("migrate_pages alone: the page-cache slot and the pte move to the new page with its data; the old page is freed", () => {
  const r = explore(
    model("migrate alone", (m) => {
      const mc = new Machine(m);
      const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
      const M = mc.vma("M", mc.mm(), F, { mapped: [0] });
      const P = mc.cachedPage(F, 0);
      declarePageData(mc, P, 42);
      isolatedForMigration(mc, P);
      const N = mc.page("N");
      const nData = declarePageData(mc, N);
      const alloc = new PageAllocator(mc, { free: [N] });
      assert.deepEqual(fileRmap(mc, P), [{ vma: M, index: 0 }]);
      m.thread("migrate", function* (t) {
        const { result, passes } = yield* migratePages(t, mc, alloc, P);
        return { ok: result === "success" ? 1 : 0, passes };
      });
      m.forall("moved in one pass", (s) => s.result("migrate")?.ok === 1 && s.result("migrate")?.passes === 1);
      m.forall("slot, pte and data are the new page's; the old page is free", (s) =>
        s.int(F.iPages[0]!) === N.id && s.int(M.pte[0]!) === N.id && s.int(nData) === 42 && s.int(P.refcount) === 0 && s.int(N.refcount) === 2 && s.int(N.mapping) === F.id,
      );
      checkMapcount(mc);
      mc.checkFree();
      mc.checkTruncation();
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.equal(r.executions, 1);
});

function readDuringMigration(unmap: MigrationUnmap) {
  return model(`read during migration (${unmap})`, (m) => {
    const mc = new Machine(m);
    const mm = mc.mm();
    const A = anonPage(mc, "A");
    declarePageData(mc, A, 42);
    const v = anonymousVma(mc, "anon", mm, 1, { ptes: () => A.id });
    isolatedForMigration(mc, A);
    const N = mc.page("N");
    const Z = mc.page("Z");
    declarePageData(mc, N);
    declarePageData(mc, Z);
    const alloc = new PageAllocator(mc, { free: [N, Z] });
    const tlb = new Tlb(mc, mm, { cpus: ["cpu0", "cpu1"] });
    tlb.cover(v);
    m.thread("migrate", function* (t) {
      yield* migratePages(t, mc, alloc, A, { rmap: [{ vma: v, index: 0 }], unmap });
    });
    m.thread("reader", function* (t) {
      let waited = 0;
      // The load, and the faults it takes, until it finds a page: one wait on the migration at most.
      for (let attempt = 0; attempt < 3; attempt++) {
        const r = yield* userLoad(t, tlb, v, 0, "cpu1");
        if (r !== undefined) return { data: r.data, page: r.page.id, waited };
        if (yield* faultOnMigrationEntry(t, mc, v, 0)) waited = 1;
        else yield* doAnonymousPage(t, alloc, v, 0);
      }
      return { data: -1, page: 0, waited };
    });
    m.forall("the read returns the data written before the migration", (s) => s.result("reader")?.data === 42);
    m.exists("the read waited on the migration entry and read the new page", (s) => s.result("reader")?.waited === 1 && s.result("reader")?.page === N.id);
    m.exists("the read found the old page", (s) => s.result("reader")?.page === A.id);
    mc.checkFree();
    checkMapcount(mc);
    tlb.checkNoFreedPageReachable();
  });
}

test("a read racing migration finds the migration entry, waits, and reads the copied data from the new page (SC, TSO, LKMM)", () => {
  const md = readDuringMigration("migration-entry");
  assertVerifiedUnderEach(md);
});

test("without migration entries the racing read faults in a zeroed page and the data is lost (SC, TSO, LKMM)", () => {
  const md = readDuringMigration("clear");
  assertRaceUnderEach(md, /the read returns the data written before the migration/);
});

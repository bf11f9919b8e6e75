// hugetlb_fault on a migration entry waits as the kernel it models does:
// v4.4's migration_entry_wait_huge took a reference with
// get_page_unless_zero under the PTL and held it across the sleep
// ("page-ref"), so a fault waiting on the page can fail the migration's
// count check; the v5.17 wait ("no-page-ref") has to be asked for. The
// fault meets a page mid-migration, whose migration reads the count and
// unlocks the page. Verdicts under SC, TSO and LKMM; SC counts against
// the brute-force enumerator.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { MEMORY_MODELS as MODELS } from "../support/memoryModels.ts";
import {
  HugetlbFaultMutexTable,
  Machine,
  PageAllocator,
  hugetlbFault,
  isolatedForMigration,
  makeMigrationEntryPte,
  unlockPage,
  type HugetlbFaultOptions,
} from "../../src/mm/index.ts";

function hugetlbFaultOnMigrationEntry(opts: HugetlbFaultOptions) {
  return model(`hugetlb_fault (${opts.migrationEntryWait ?? "default wait"}) on a migration entry`, (m) => {
    const mc = new Machine(m);
    // Mid-migration: the page is isolated and locked, and its pte is a migration entry.
    const F = mc.file("F", { size: 1, cached: [{ index: 0, flags: ["uptodate", "locked"] }] });
    const P = mc.cachedPage(F, 0);
    isolatedForMigration(mc, P);
    const M = mc.vma("M", mc.mm(), F, { ptes: () => makeMigrationEntryPte(P.id, false) });
    const expected = m.initialValue(P.refcount) as number;
    const N = mc.page("N");
    const alloc = new PageAllocator(mc, { free: [N] });
    const table = new HugetlbFaultMutexTable(mc);
    m.thread("migrate", function* (t) {
      t.step("migrate: the count folio_ref_freeze compares");
      const count = yield* t.read(P.refcount, "once");
      t.step("migrate: unlock the page");
      yield* unlockPage(t, P);
      return { count };
    });
    m.thread("fault", function* (t) {
      yield* hugetlbFault(t, mc, alloc, table, M, 0, opts);
    });
    m.exists("the waiting fault holds a reference when migration checks the count", (s) => s.result("migrate")?.count === expected + 1);
    m.forall("the waiter's reference, if any, is gone at the end", (s) => s.int(P.refcount) === expected);
  });
}

test("hugetlb_fault waits on a migration entry as v4.4 did by default, holding a reference the migration's count check sees; the v5.17 wait holds none (SC, TSO, LKMM)", () => {
  for (const [name, memoryModel] of MODELS) {
    const byDefault = explore(hugetlbFaultOnMigrationEntry({}), { memoryModel, stopOnViolation: false });
    assert.ok(byDefault.exhaustive, name);
    assert.equal(byDefault.violationCount, 0, `${name}: ${byDefault.violations[0]?.outcome.violation?.message}`);
    assert.ok(byDefault.existsCounts[0]! > 0, `${name}: the default wait holds a reference`);
    const noRef = explore(hugetlbFaultOnMigrationEntry({ migrationEntryWait: "no-page-ref" }), { memoryModel, stopOnViolation: false });
    assert.equal(noRef.violationCount, 0, `${name}: ${noRef.violations[0]?.outcome.violation?.message}`);
    assert.equal(noRef.existsCounts[0], 0, `${name}: no-page-ref takes no reference`);
  }
  const md = hugetlbFaultOnMigrationEntry({});
  const sc = explore(md, { stopOnViolation: false });
  const oracle = explore(md, { strategy: "enumerate", stopOnViolation: false });
  assert.equal(sc.executions, oracle.executions);
});

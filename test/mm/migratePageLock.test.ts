// __unmap_and_move and the old page's lock: trylock_page first; a page
// someone else holds locked fails the pass with -EAGAIN unless the pass is
// forced (migrate_pages's fourth pass on) and the mode may sleep (not
// MIGRATE_ASYNC), in which case lock_page waits for the holder. A thread
// that holds the page locked (and a reference) as the model starts races a
// migration of one, and then four, passes: whether the migration can be
// over before the holder unlocks says whether it slept on the lock. Verdicts under SC, TSO and LKMM; SC counts against the
// brute-force enumerator.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { MEMORY_MODELS as MODELS } from "../support/memoryModels.ts";
import { Machine, PageAllocator, checkMapcount, isolatedForMigration, migratePages, putPage, unlockPage, type MigrateMode } from "../../src/mm/index.ts";

const SAW_DONE = "the holder saw the migration finished while it still held the page lock";

function lockHolderVsMigration(passes: number, mode: MigrateMode) {
  return model(`lock_page holder vs migrate_pages (${passes} passes, ${mode})`, (m) => {
    const mc = new Machine(m);
    // The holder (find_lock_page's caller, say) has the page locked, with a reference, as the model starts.
    const F = mc.file("F", { size: 1, cached: [{ index: 0, flags: ["uptodate", "locked"] }] });
    const P = mc.cachedPage(F, 0);
    m.initialize(P.refcount, (m.initialValue(P.refcount) as number) + 1);
    isolatedForMigration(mc, P);
    const N = mc.page("N");
    const alloc = new PageAllocator(mc, { free: [N] });
    const done = m.location("migration done", 0);
    m.thread("holder", function* (t) {
      t.step("holder: page locked, look at the migration");
      const saw = yield* t.read(done, "once");
      t.step("holder: unlock_page, put_page");
      yield* unlockPage(t, P);
      yield* putPage(t, P);
      return { saw };
    });
    m.thread("migrate", function* (t) {
      const { result, passes: ran } = yield* migratePages(t, mc, alloc, P, { passes, mode });
      yield* t.write(done, 1, "once");
      return { migrated: result === "success" ? 1 : 0, ran };
    });
    m.exists(SAW_DONE, (s) => s.result("holder")?.saw === 1);
    m.exists("the page moved", (s) => s.result("migrate")?.migrated === 1);
    m.forall("the page cache holds the new page after a move, the old one otherwise", (s) => s.int(F.iPages[0]!) === (s.result("migrate")?.migrated === 1 ? N.id : P.id));
    checkMapcount(mc);
    mc.checkFree();
  });
}

function verdicts(md: ReturnType<typeof model>) {
  return MODELS.map(([name, memoryModel]) => {
    const r = explore(md, { memoryModel, stopOnViolation: false });
    assert.ok(r.exhaustive, name);
    return { name, r };
  });
}

test("a pass that is not forced only tries the lock: with the page locked elsewhere migrate_pages gives up (-EAGAIN) without waiting for the holder (SC, TSO, LKMM)", () => {
  const md = lockHolderVsMigration(1, "sync");
  for (const { name, r } of verdicts(md)) {
    assert.equal(r.violationCount, 0, `${name}: ${r.violations[0]?.outcome.violation?.message}`);
    assert.ok(r.existsCounts[0]! > 0, `${name}: the migration ends while the page is still locked`);
    assert.ok(r.existsCounts[1]! > 0, `${name}: a pass that comes after the unlock moves the page`);
  }
  const sc = explore(md, { stopOnViolation: false });
  const oracle = explore(md, { strategy: "enumerate", stopOnViolation: false });
  assert.equal(sc.executions, oracle.executions);
  assert.deepEqual(sc.existsCounts.map((n) => n > 0), oracle.existsCounts.map((n) => n > 0));
});

test("the fourth pass is forced: MIGRATE_SYNC waits in lock_page for the holder and can then move the page; MIGRATE_ASYNC never waits for it (SC, TSO, LKMM)", () => {
  for (const { name, r } of verdicts(lockHolderVsMigration(4, "sync"))) {
    assert.equal(r.violationCount, 0, `${name}: ${r.violations[0]?.outcome.violation?.message}`);
    const [sawDone, moved] = r.existsCounts;
    assert.equal(sawDone, 0, `${name}: the forced pass waits for the unlock`);
    assert.ok(moved! > 0, `${name}: the page moves`);
  }
  for (const { name, r } of verdicts(lockHolderVsMigration(4, "async"))) {
    assert.equal(r.violationCount, 0, `${name}: ${r.violations[0]?.outcome.violation?.message}`);
    const [sawDone, moved] = r.existsCounts;
    assert.ok(sawDone! > 0, `${name}: all four passes end while the page is locked`);
    assert.ok(moved! > 0, `${name}: a pass after the unlock can move it`);
  }
});

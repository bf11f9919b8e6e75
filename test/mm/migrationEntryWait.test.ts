// migration_entry_wait against migration's count check: a fault that takes
// a reference on the page it waits on (get_page_unless_zero, v2.6.27–v4.20,
// and put_and_wait_on_page_locked, v5.0–v5.16) can be holding it when
// migration freezes the count, and the pass fails (-EAGAIN): the migration
// failures the extra reference can cause, which ffa65753c431 (v5.17)
// removed by waiting with the PTL held and no reference. Stated as a
// bounded progress property: one pass migrates a
// page whose only other user is a fault waiting on it. Verdicts under SC,
// TSO and LKMM; SC counts and verdicts against the brute-force enumerator
// (the candidate enumerator, LKMM's oracle, does not finish on a whole
// migration in minutes).

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import {
  Machine,
  PageAllocator,
  checkMapcount,
  isMigrationEntryPte,
  isolatedForMigration,
  migratePages,
  migrationEntryWait,
  type MigrationEntryWaitDesign,
} from "../../src/mm/index.ts";

const PROGRESS = "one migration pass moves a page whose only other user is a fault waiting on it";

function faultVsMigration(design: MigrationEntryWaitDesign) {
  return model(`migration_entry_wait ${design} vs migrate_pages`, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
    const M = mc.vma("M", mc.mm(), F, { mapped: [0] });
    const P = mc.cachedPage(F, 0);
    isolatedForMigration(mc, P);
    const N = mc.page("N");
    const alloc = new PageAllocator(mc, { free: [N] });
    m.thread("migrate", function* (t) {
      const { result } = yield* migratePages(t, mc, alloc, P, { passes: 1 });
      return { migrated: result === "success" ? 1 : 0 };
    });
    m.thread("fault", function* (t) {
      // faultOnMigrationEntry, spelled out to see what the wait did.
      if (!isMigrationEntryPte(yield* t.read(M.pte[0]!, "once"))) return { waited: 0, frozen: 0 };
      const r = yield* migrationEntryWait(t, mc, M, 0, design);
      return { waited: r === "waited" ? 1 : 0, frozen: r === "page-frozen" ? 1 : 0 };
    });
    m.forall(PROGRESS, (s) => s.result("migrate")?.migrated === 1);
    m.forall("the page cache and the pte hold the page that is there at the end", (s) => {
      const page = s.int(F.iPages[0]!);
      return s.int(M.pte[0]!) === page && (page === N.id || s.result("migrate")?.migrated === 0);
    });
    m.exists("the fault found the migration entry and waited", (s) => s.result("fault")?.waited === 1);
    if (design !== "no-page-ref") m.exists("get_page_unless_zero found the count frozen, and the fault returned to retry", (s) => s.result("fault")?.frozen === 1);
    checkMapcount(mc);
    mc.checkFree();
    mc.checkTruncation();
  });
}

const lkmm = memoryModelNamed("lkmm");
const tso = memoryModelNamed("tso");

for (const [design, fails] of [
  ["page-ref", true],
  ["put-and-wait", true],
  ["no-page-ref", false],
] as const) {
  test(`migration_entry_wait ${design}: ${fails ? "the waiter's reference fails the pass (-EAGAIN)" : "no reference, every pass migrates"} under SC, TSO and LKMM`, () => {
    const md = faultVsMigration(design);
    for (const [name, memoryModel] of [["sc", undefined], ["tso", tso], ["lkmm", lkmm]] as const) {
      const r = explore(md, { memoryModel, stopOnViolation: false });
      assert.ok(r.exhaustive, name);
      const broken = new Set(r.violations.map((v) => v.outcome.violation!.message));
      if (fails) {
        assert.ok(r.violationCount > 0, `${name}: the failed pass is found`);
        assert.deepEqual([...broken].filter((msg) => !msg.includes(PROGRESS)), [], `${name}: only the progress property breaks`);
      } else assert.equal(r.violationCount, 0, `${name}: ${[...broken][0]}`);
      assert.ok(r.existsCounts.every((n) => n > 0), `${name}: the fault met the migration entry`);
    }
    const sc = explore(md, { stopOnViolation: false });
    const oracle = explore(md, { strategy: "enumerate", stopOnViolation: false });
    assert.equal(sc.executions, oracle.executions);
    assert.equal(sc.violationCount > 0, oracle.violationCount > 0);
  });
}

/** The fault thread's step labels in a violating execution, in program order, each once per run of events. */
function faultSteps(design: "page-ref" | "put-and-wait"): string[] {
  const r = explore(faultVsMigration(design), { stopOnViolation: true });
  const g = r.violations[0]!.graph;
  const steps: string[] = [];
  for (const e of g.threads[1]!) if (e.step !== undefined && steps.at(-1) !== e.step) steps.push(e.step);
  return steps;
}

test("a trace shows put_and_wait_on_page_locked dropping its reference before it sleeps, and the older wait dropping it after", () => {
  const putAndWait = faultSteps("put-and-wait");
  const pageRef = faultSteps("page-ref");
  const at = (steps: string[], label: string) => {
    const i = steps.indexOf(label);
    assert.ok(i >= 0, `${label} in ${JSON.stringify(steps)}`);
    return i;
  };
  assert.ok(at(putAndWait, "get_page_unless_zero(P0) under the PTL") < at(putAndWait, "put_and_wait_on_page_locked(P0): put_page before sleeping"));
  assert.ok(at(putAndWait, "put_and_wait_on_page_locked(P0): put_page before sleeping") < at(putAndWait, "put_and_wait_on_page_locked(P0): sleep until unlocked, holding no reference"));
  assert.ok(at(pageRef, "get_page_unless_zero(P0) under the PTL") < at(pageRef, "wait_on_page_locked(P0): sleep until unlocked, holding the reference"));
  assert.ok(at(pageRef, "wait_on_page_locked(P0): sleep until unlocked, holding the reference") < at(pageRef, "put_page(P0) after the wait"));
  assert.notDeepEqual(putAndWait, pageRef);
});

// do_swap_page on a migration entry waits as its `migrationEntryWait`
// option says. With a design that takes a page reference while waiting
// ("page-ref", v2.6.27–v4.20), that reference can make the migration's
// one pass fail its refcount freeze; with the v5.17 design (the default)
// the waiter holds none and the pass succeeds. SC.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import {
  Machine,
  PageAllocator,
  SwapDevice,
  anonPage,
  anonymousVma,
  isolatedForMigration,
  migratePages,
  mkPte,
  swapInFault,
  type MigrationEntryWaitDesign,
} from "../../src/mm/index.ts";

const PROGRESS = "one migration pass moves a page whose only other user is a swap fault waiting on it";

function swapFaultDuringMigration(design: MigrationEntryWaitDesign | undefined) {
  return model(`swap fault on a migration entry, ${design ?? "default"} wait`, (m) => {
    const mc = new Machine(m);
    const A = anonPage(mc, "A");
    const v = anonymousVma(mc, "anon", mc.mm(), 1, { ptes: () => mkPte(A.id, { write: true, dirty: true }) });
    isolatedForMigration(mc, A);
    const N = mc.page("N");
    const alloc = new PageAllocator(mc, { free: [N] });
    const si = new SwapDevice(mc, "swap", 1);
    m.thread("migrate", function* (t) {
      const { result } = yield* migratePages(t, mc, alloc, A, { rmap: [{ vma: v, index: 0 }], passes: 1 });
      return { moved: result === "success" ? 1 : 0 };
    });
    m.thread("fault", function* (t) {
      yield* swapInFault(t, alloc, si, v, 0, design === undefined ? { guard: "none" } : { guard: "none", migrationEntryWait: design });
    });
    m.forall(PROGRESS, (s) => s.result("migrate")!.moved === 1);
  });
}

test("do_swap_page waits on a migration entry with the design its options name", () => {
  const pageRef = explore(swapFaultDuringMigration("page-ref"), { stopOnViolation: false });
  assert.ok(pageRef.exhaustive);
  assert.match(pageRef.violations[0]?.outcome.violation?.message ?? "", /one migration pass/, "page-ref: the waiter's reference can fail the pass");
  for (const design of [undefined, "no-page-ref"] as const) {
    const r = explore(swapFaultDuringMigration(design), { stopOnViolation: false });
    assert.ok(r.exhaustive && r.executions > 0);
    assert.equal(r.violationCount, 0, `${design ?? "default"}: ${r.violations[0]?.outcome.violation?.message}`);
  }
});

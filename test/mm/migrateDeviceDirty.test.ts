// migrate_vma_collect_pmd and a dirty pte: the collector clears the pte, and
// its dirty bit goes with it unless it is carried into the page's PG_dirty,
// as fd35ca3d12cc (v6.0, shipped with 60bae7370896's flush under the PTL)
// does; before it the bit was lost. A process stored to the page (its pte
// is dirty, the page's PG_dirty not yet set); the collector takes it and
// the page is put back (migrate_vma_finalize). Verdicts under SC, TSO and
// LKMM.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { MEMORY_MODELS as MODELS } from "../support/memoryModels.ts";
import { Machine, anonPage, anonymousVma, checkMapcount, migrateVmaCollectPmd, migrateVmaFinalize, mkPte, type CollectFlush } from "../../src/mm/index.ts";

const KEPT = "the page is dirty once the dirty pte is gone";

function collectDirtyPte(flush: CollectFlush) {
  return model(`migrate_vma_collect_pmd (${flush}) on a dirty pte`, (m) => {
    const mc = new Machine(m);
    const A = anonPage(mc, "A");
    const v = anonymousVma(mc, "anon", mc.mm(), 1, { ptes: () => mkPte(A.id, { write: true, dirty: true }) });
    m.thread("migrate", function* (t) {
      const pages = yield* migrateVmaCollectPmd(t, mc, v, 0, 1, flush);
      yield* migrateVmaFinalize(t, mc, v, 0, 1, pages);
      return { collected: pages.length };
    });
    m.forall("the collector took the page and put it back", (s) => s.result("migrate")?.collected === 1 && s.int(A.refcount) === 1);
    m.forall(KEPT, (s) => A.flagIn((l) => s.int(l), "dirty"));
    checkMapcount(mc);
  });
}

test("fd35ca3d12cc: the collector carries a dirty pte's bit into PG_dirty; without it the bit is lost (SC, TSO, LKMM)", () => {
  for (const [name, memoryModel] of MODELS) {
    const kept = explore(collectDirtyPte("under-ptl"), { memoryModel, stopOnViolation: false });
    assert.equal(kept.violationCount, 0, `${name}: ${kept.violations[0]?.outcome.violation?.message}`);
    const lost = explore(collectDirtyPte("after-unlock"), { memoryModel, stopOnViolation: false });
    assert.ok(lost.violationCount > 0, name);
    for (const x of lost.violations) assert.match(x.outcome.violation!.message, new RegExp(KEPT), name);
  }
});

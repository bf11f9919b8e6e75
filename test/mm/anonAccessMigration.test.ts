// A process's loads and stores (anonAccess.ts) against page migration
// (migrate.ts): a fault that meets the migration entry waits for the
// migration to end, as do_swap_page's non_swap_entry branch does, and the
// access then goes to the new page, so a store is never lost and a load
// sees the data. Under SC, TSO and LKMM, with SC's count against the
// brute-force enumerator.

import { test } from "node:test";
import { model } from "../../src/index.ts";
import { assertVerifiedUnderEach } from "../support/memoryModels.ts";
import {
  Machine,
  PageAllocator,
  SwapDevice,
  anonPage,
  anonymousVma,
  checkMapcount,
  dataSeenAt,
  declarePageData,
  isolatedForMigration,
  loadFromAnon,
  migratePages,
  mkPte,
  ptePageId,
  storeToAnon,
} from "../../src/mm/index.ts";

function accessDuringMigration(store: boolean) {
  return model(`${store ? "store" : "load"} during migration`, (m) => {
    const mc = new Machine(m);
    const A = anonPage(mc, "A");
    const v = anonymousVma(mc, "anon", mc.mm(), 1, { ptes: () => mkPte(A.id, { write: true, dirty: true }) });
    isolatedForMigration(mc, A);
    const N = mc.page("N");
    declarePageData(mc, [A, N], (p) => (p === A ? 1 : 0));
    const alloc = new PageAllocator(mc, { free: [N] });
    const si = new SwapDevice(mc, "swap", 1);
    m.thread("migrate", function* (t) {
      const { result } = yield* migratePages(t, mc, alloc, A, { rmap: [{ vma: v, index: 0 }] });
      return { moved: result === "success" ? 1 : 0 };
    });
    m.thread("user", function* (t) {
      if (store) return { stored: (yield* storeToAnon(t, alloc, si, v, 0, 2, { guard: "none" })) ? 1 : 0, loaded: -1 };
      return { stored: 0, loaded: (yield* loadFromAnon(t, alloc, si, v, 0, { guard: "none" })) ?? -1 };
    });
    if (store) m.forall("the store is not lost", (s) => s.result("user")!.stored === 1 && dataSeenAt(s, mc, si, v, 0) === 2);
    else m.forall("the load sees the data", (s) => s.result("user")!.loaded === 1 && dataSeenAt(s, mc, si, v, 0) === 1);
    m.exists("the access went to the new page after waiting", (s) => s.result("migrate")!.moved === 1 && ptePageId(s.int(v.pte[0]!)) === N.id);
    checkMapcount(mc);
    mc.checkFree();
  });
}

test("a load or store that faults on a migration entry waits, then reaches the new page with the data (SC, TSO, LKMM)", () => {
  for (const store of [false, true]) {
    assertVerifiedUnderEach(accessDuringMigration(store));
  }
});

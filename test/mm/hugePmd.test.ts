// The huge pmd: pmdp_invalidate keeps it huge, pmdp_huge_get_and_clear makes
// it none, change_huge_pmd leaves a none pmd alone, zap_huge_pmd frees the THP.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { ANON_MAPPING, HugePmd, Machine, PMD_INVALID, PMD_NONE, PMD_PROTNONE, changeHugePmd, madviseDontneedHuge, pmdPageId, pmdTransHuge, pmdpInvalidate } from "../../src/mm/index.ts";
import { spinLock, spinUnlock } from "../../src/kernel/index.ts";

test("pmdp_invalidate leaves the pmd huge but not present; change_huge_pmd rewrites it PROT_NONE on the same page", () => {
  const r = explore(
    model("invalidate", (m) => {
      const mc = new Machine(m);
      const thp = mc.page("THP", { mapping: ANON_MAPPING, mapcount: 1 });
      const h = new HugePmd(mc, "heap", mc.mm(), thp);
      m.thread("t", function* (t) {
        yield* spinLock(t, h.ptl);
        const old = yield* pmdpInvalidate(t, h);
        const after = yield* t.read(h.pmd, "once");
        yield* spinUnlock(t, h.ptl);
        yield* changeHugePmd(t, h, "invalidate");
        return { old, after };
      });
      m.forall("invalidated, still huge, then protnone on THP", (s) => {
        const res = s.result("t")!;
        return res.old === thp.id && pmdTransHuge(res.after as number) && ((res.after as number) & PMD_INVALID) !== 0 && s.int(h.pmd) === (thp.id | PMD_PROTNONE) && pmdPageId(s.int(h.pmd)) === thp.id;
      });
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
});

test("MADV_DONTNEED on a huge pmd clears it and frees the THP; change_huge_pmd after it leaves the none pmd alone", () => {
  const r = explore(
    model("zap then numa", (m) => {
      const mc = new Machine(m);
      const thp = mc.page("THP", { mapping: ANON_MAPPING, mapcount: 1 });
      const h = new HugePmd(mc, "heap", mc.mm(), thp);
      m.thread("t", function* (t) {
        yield* madviseDontneedHuge(t, h);
        yield* changeHugePmd(t, h, "clear-and-set");
      });
      m.forall("pmd none, THP freed and unmapped", (s) => s.int(h.pmd) === PMD_NONE && s.int(thp.refcount) === 0 && s.int(thp.mapcount) === 0);
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
});

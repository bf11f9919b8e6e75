// pte_offset_map_lock vs retract_page_tables (v6.5): without the pmd
// re-check a fault installs its pte in a table khugepaged has detached; with
// it, never. Counts are checked against the brute-force enumerator (SC) and
// the candidate enumerator (LKMM).

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { declareRcuReaders } from "../../src/kernel/index.ts";
import { ANON_MAPPING, Machine, PMD_TABLE, PteTable, getPage, pteOffsetMapLock, pteUnmapUnlock, retractPageTable, setPteInTable, type PteMapRule } from "../../src/mm/index.ts";

function faultVsRetract(rule: PteMapRule) {
  return model(`fault-vs-retract-${rule}`, (m) => {
    declareRcuReaders(m);
    const mc = new Machine(m);
    const page = mc.page("P", { mapping: ANON_MAPPING });
    const pt = new PteTable(mc, "T", 1);
    m.thread("fault", function* (t) {
      if (!(yield* pteOffsetMapLock(t, pt, rule))) return { installed: 0 };
      yield* getPage(t, page);
      yield* setPteInTable(t, pt, 0, page.id);
      yield* pteUnmapUnlock(t, pt);
      return { installed: 1 };
    });
    m.thread("khugepaged", function* (t) {
      return { retracted: (yield* retractPageTable(t, pt)) ? 1 : 0 };
    });
    pt.checkAttached();
    m.exists("the fault installs", (s) => s.result("fault")!.installed === 1);
    m.exists("khugepaged retracts", (s) => s.result("khugepaged")!.retracted === 1);
    m.exists("the fault finds the pmd gone", (s) => s.result("fault")!.installed === 0);
  });
}

test("without the pmd re-check the pte lands in a detached table; with it the table is either kept or empty", () => {
  const buggy = explore(faultVsRetract("no-pmd-recheck"), { stopOnViolation: false });
  assert.ok(buggy.violationCount > 0);
  assert.match(buggy.violations[0]!.outcome.violation!.message, /I-TABLE/);
  const fixed = explore(faultVsRetract("pmd-recheck"), { stopOnViolation: false });
  assert.equal(fixed.violationCount, 0);
  assert.ok(fixed.existsCounts.every((n) => n > 0), "each outcome is reachable");
});

test("the same verdicts and counts under the oracles (SC: enumerate; LKMM: candidates)", () => {
  const lkmm = memoryModelNamed("lkmm");
  for (const rule of ["no-pmd-recheck", "pmd-recheck"] as const) {
    const md = faultVsRetract(rule);
    const sc = explore(md, { stopOnViolation: false });
    const scOracle = explore(md, { strategy: "enumerate", stopOnViolation: false });
    assert.equal(sc.executions, scOracle.executions, rule);
    assert.equal(sc.violationCount, scOracle.violationCount, rule);
    assert.deepEqual(sc.existsCounts, scOracle.existsCounts, rule);
    const lk = explore(md, { memoryModel: lkmm, stopOnViolation: false });
    const lkOracle = explore(md, { memoryModel: lkmm, strategy: "candidates", stopOnViolation: false });
    assert.equal(lk.executions, lkOracle.executions, rule);
    assert.equal(lk.violationCount > 0, lkOracle.violationCount > 0, rule);
    assert.equal(lk.violationCount > 0, rule === "no-pmd-recheck", rule);
  }
});

test("retract keeps a table that holds a pte; a write into a freed table is reported", () => {
  const kept = explore(
    model("retract-nonempty", (m) => {
      declareRcuReaders(m);
      const mc = new Machine(m);
      const page = mc.page("P", { mapping: ANON_MAPPING, refcount: 1, mapcount: 1 });
      const pt = new PteTable(mc, "T", 2, { ptes: (i) => (i === 1 ? page.id : 0) });
      m.thread("khugepaged", function* (t) {
        return { retracted: (yield* retractPageTable(t, pt)) ? 1 : 0 };
      });
      m.forall("kept, pmd still the table", (s) => s.result("khugepaged")!.retracted === 0 && s.int(pt.pmd) === PMD_TABLE);
    }),
  );
  assert.equal(kept.violations.length, 0);
  const uaf = explore(
    model("write-after-free", (m) => {
      declareRcuReaders(m);
      const mc = new Machine(m);
      const pt = new PteTable(mc, "T", 1);
      m.thread("t", function* (t) {
        yield* retractPageTable(t, pt);
        yield* setPteInTable(t, pt, 0, 1);
      });
    }),
  );
  assert.match(uaf.violations[0]!.outcome.violation!.message, /use after free: set_pte_at into page table T after pte_free/);
});

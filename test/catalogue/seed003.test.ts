// Seed 003 beyond the verdicts: the races tell the seed's story (Kirill's
// diagram in 1d798ca3f164, Hugh's union worry, Rientjes' publication race),
// the fix really meets the freed and reused word, and benign staleness is
// not reported.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/explore/explore.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { timeline } from "../../src/report/timeline.ts";
import type { Value } from "../../src/program/value.ts";
import { seed003Scenarios } from "../../src/catalogue/seed003/index.ts";
import { abaThroughRealloc } from "../../src/catalogue/seed003/abaThroughRealloc.ts";
import { COMPOUND_V3_14 } from "../../src/mm/compound.ts";
import { exploreVariant, firstViolation, readsIn, tid, writer } from "./variantRuns.ts";

test("003-B1 buggy: Kirill's diagram, PageTail before and after, NULL in between", () => {
  const { model, graph, outcome } = firstViolation("003-B1", "buggy");
  assert.match(outcome.violation!.message, /I-HEAD: compound_head\(P1\) returned NULL/);
  // The accesses, in the order the timeline draws them.
  const rows = timeline(model, graph, outcome).filter((r) => !r.isStep);
  const at = (thread: string, what: RegExp, nth = 0) => {
    const hits = rows.flatMap((r, i) => (r.tid === tid(model, thread) && what.test(r.text) ? [i] : []));
    assert.ok(hits.length > nth, `${thread} has access ${nth + 1} matching ${what}`);
    return hits[nth]!;
  };
  const order = [
    at("T_scan", /^test_bit\(PG_tail\(P1\)\) P1\.PG_tail = 1/),
    at("T_other", /^__ClearPageTail\(P1\)/),
    at("T_scan", /^P1->first_page P1\.first_page = 0/),
    at("T_other", /^__SetPageTail\(P1\)/),
    at("T_scan", /^test_bit\(PG_tail\(P1\)\) P1\.PG_tail = 1/, 1),
  ];
  assert.deepEqual([...order].sort((a, b) => a - b), order, "the steps come in the order of the seed's timeline");
});

test("003-B1 union-reuse: Hugh's worry, first_page read as the slab's kmem_cache pointer", () => {
  const { outcome } = firstViolation("003-B1", "union-reuse");
  assert.match(outcome.violation!.message, /returned &kmem_cache, a stale union value, not a struct page/);
});

test("003-B1 fixed: the one-word reader meets the tail, the freed word and the reused word, and always names a real page", () => {
  const read = new Set<string>();
  const heads = new Set<Value>();
  const { result: r } = exploreVariant("003-B1", "fixed-union-reuse", {
    all: true,
    onExecution: (g, o, model) => {
      for (const e of readsIn(model, g, "T_scan", "P1.compound_head")) read.add(typeof e.value === "number" ? String(e.value) : e.value.name);
      const end = o.ends[tid(model, "T_scan")];
      if (end?.kind === "done" && end.result) heads.add(end.result["P1"]!);
    },
  });
  assert.equal(r.violations.length, 0);
  assert.deepEqual([...read].sort(), ["0", "3", "kmem_cache_node.partial"], "tail (P0*2+1), cleared, and the slab's list pointer");
  assert.deepEqual([...heads].sort(), [1, 2], "P0 while a tail, P1 itself otherwise");
});

test("003-B1: a stale first_page that still names the same head is benign and not reported", () => {
  const model = abaThroughRealloc("benign-stale-first-page", { kernel: COMPOUND_V3_14, order: 1, pfns: 1, reuse: "none", scannerHoldsRef: false, separateAlloc: false }, "verified");
  const r = explore(model, { memoryModel: memoryModelNamed("sc") });
  assert.equal(r.violations.length, 0);
  assert.ok(r.exhaustive && r.executions > 1);
});

test("003-B2: 668f9abbd433's reader loads first_page before its PageTail test under LKMM, not under TSO", () => {
  const { model, graph, outcome } = firstViolation("003-B2", "wmb-rmb-668f9abbd433");
  assert.match(outcome.violation!.message, /I-HEAD: compound_head\(P1\) returned NULL/);
  const reads = (name: string) => readsIn(model, graph, "T_scan", name);
  assert.ok(reads("P1.PG_tail").every((e) => writer(model, graph, e) === "T_alloc"), "both PageTail tests see prep_compound_page's PG_tail");
  assert.ok(reads("P1.first_page").every((e) => writer(model, graph, e) === "init"), "first_page is read from before prep_compound_page wrote it");
  for (const name of ["wmb-rmb-668f9abbd433-tso", "mp-barriers", "one-word"]) {
    assert.equal(exploreVariant("003-B2", name).result.violations.length, 0, name);
  }
});

test("003-B2 pre-668f9abbd433: PG_tail published before first_page races even under SC", () => {
  const { variant, outcome } = firstViolation("003-B2", "pre-668f9abbd433");
  assert.equal(variant.memoryModel, "sc");
  assert.match(outcome.violation!.message, /returned NULL/);
});

test("every seed-003 variant names the commit it models", () => {
  for (const s of seed003Scenarios) for (const v of s.variants) assert.match(v.summary, /668f9abbd433|1d798ca3f164/, `${s.id} ${v.name}`);
});

// 003-B2 on whole paths: alloc_pages(__GFP_COMP) vs a scan of the whole block.

test("003-B2 full-wmb-rmb-668f9abbd433: scanning the whole block, the tail being prepped still yields NULL under LKMM", () => {
  const { model, graph, outcome } = firstViolation("003-B2", "full-wmb-rmb-668f9abbd433");
  assert.match(outcome.violation!.message, /I-HEAD: compound_head\(P1\) returned NULL/);
  assert.ok(readsIn(model, graph, "T_scan", "P0.PG_tail").length === 1, "the scanner looked at the head first");
  const reads = (name: string) => readsIn(model, graph, "T_scan", name);
  assert.ok(reads("P1.PG_tail").every((e) => writer(model, graph, e) === "T_alloc"));
  assert.ok(reads("P1.first_page").every((e) => writer(model, graph, e) === "init"));
});

test("003-B2 whole paths: the verdicts of the cut-down variants; under LKMM candidate enumeration counts the same executions", () => {
  const expected: Record<string, [number, number]> = {
    "full-no-barriers": [5, 2],
    "full-wmb-rmb-668f9abbd433": [4, 2],
    "full-wmb-rmb-668f9abbd433-tso": [4, 0],
    "full-wmb-rmb-668f9abbd433-sc": [4, 0],
    "full-mp-barriers": [4, 0],
    "full-one-word": [5, 0],
  };
  for (const [name, [executions, violating]] of Object.entries(expected)) {
    const { variant: v, model, result: r } = exploreVariant("003-B2", name, { all: true });
    assert.ok(r.exhaustive, name);
    assert.deepEqual([r.executions, r.violationCount], [executions, violating], name);
    if (v.memoryModel !== "lkmm") continue;
    const oracle = explore(model, { memoryModel: memoryModelNamed("lkmm"), strategy: "candidates", stopOnViolation: false });
    assert.deepEqual([oracle.executions, oracle.violationCount], [executions, violating], `${name}: candidates`);
  }
});

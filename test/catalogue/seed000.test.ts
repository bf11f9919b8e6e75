// Seed 000 ("Some more lock_page work", Oct 2020): beyond the verdicts, each
// race must be the one the thread argues about: Kirill's timeline for the
// RFC, store buffering (and the message-passing hole behind it) for Linus's
// mapcount protocol, Kirill's reclaim interleaving accepted as benign, and
// the fuse writer waiting on its own page lock.

import { test } from "node:test";
import assert from "node:assert/strict";
import { exploreVariant, firstViolation, inOrder, loc, readsIn, writer } from "./variantRuns.ts";

test("000-B1 rfc: Kirill's timeline, truncate runs whole between the RFC's checks and the pte", () => {
  const { model, outcome, text } = firstViolation("000-B1", "rfc");
  assert.match(outcome.violation!.message, /^check failed: I-TRUNC/);
  const s = outcome.final;
  const at = (name: string) => s.int(loc(model, name));
  assert.equal(at("pte(M)[0]"), 1, "pte(M,0) maps P0");
  assert.equal(at("P0.mapping"), 0, "P0 left the page cache");
  assert.equal(at("F.i_size"), 0);
  inOrder(text, [
    "map_pages (RFC): P0 mapping, i_size ok? (no lock)",
    "i_size_write(0)",
    "truncate_inode_pages: delete P0",
    "truncate_pagecache: unmap_mapping_range again",
    "set pte(M, 0) := P0",
  ]);
});

test("000-B1 rfc-4p3t: the larger configuration finds the same I-TRUNC race", () => {
  const { outcome } = firstViolation("000-B1", "rfc-4p3t");
  assert.match(outcome.violation!.message, /^check failed: I-TRUNC/);
});

test("000-B2 fault-mb-only: store buffering, each side reads the other's old value", () => {
  const { model, outcome, graph: g } = firstViolation("000-B2", "fault-mb-only");
  assert.match(outcome.violation!.message, /I-TRUNC \(per step\)/);
  const [mapped] = readsIn(model, g, "trunc", "P0.mapcount", "page_mapped");
  assert.equal(mapped!.value, 0, "truncate sees the page unmapped");
  assert.equal(writer(model, g, mapped!), "init", "...although the fault's increment exists");
  const [retest] = readsIn(model, g, "fault", "P0.flags", "re-test PG_locked");
  assert.equal(retest!.value, 2, "the fault's re-test sees PG_locked clear");
  assert.equal(writer(model, g, retest!), "init", "...from before truncate's lock_page: not its unlock");
});

test("000-B2 mb-pair: with the barrier pair the hole left is message passing: the unlock seen, the removal not", () => {
  const { model, graph: g } = firstViolation("000-B2", "mb-pair");
  const [retest] = readsIn(model, g, "fault", "P0.flags", "re-test PG_locked");
  assert.equal(writer(model, g, retest!), "trunc", "the re-test reads truncate's unlock_page");
  const [mapping] = readsIn(model, g, "fault", "P0.mapping", "re-check");
  assert.equal(mapping!.value, 1, "...but the mapping re-check still sees F");
});

test("000-B2: the same protocol is race-free under SC and TSO, and with the barriers and smp_rmb under LKMM", () => {
  for (const name of ["no-barriers-sc", "no-barriers-tso", "fixed", "fixed-inc-return"]) {
    const { result: r } = exploreVariant("000-B2", name);
    assert.equal(r.violations.length, 0, name);
    assert.ok(r.exhaustive && r.executions > 0, name);
  }
});

test("000-B3 benign: Kirill's interleaving happens and is not reported", () => {
  let kirill = 0;
  const { variant: v, result: r } = exploreVariant("000-B3", "benign", {
    onExecution: (g, o, model) => {
      if (o.status !== "complete") return;
      const sawUnmapped = readsIn(model, g, "reclaim", "P0.mapcount", "page_mapped").some((e) => e.value === 0);
      if (sawUnmapped && o.final.result("fault")?.mapped === 1 && o.final.result("reclaim")?.freed === 0) kirill++;
    },
  });
  assert.equal(v.memoryModel, "sc");
  assert.equal(r.violations.length, 0);
  assert.ok(kirill > 0, "reclaim found the page unmapped, the fault then mapped it, and reclaim kept the page");
});

test("000-B3 count-check: without page_ref_freeze reclaim frees the page under the fault's reference", () => {
  const { outcome, text } = firstViolation("000-B3", "count-check");
  assert.equal(outcome.violation!.thread, "fault");
  assert.match(outcome.violation!.message, /dropping a reference to P0\._refcount at count 0/);
  inOrder(text, ["page_count(P0) == 2?", "page_cache_get_speculative(P0)", "set_page_count(P0, 0)", "free P0"]);
});

test("000-B4 buggy: the writer sleeps in filemap_fault on the target page it holds", () => {
  const { outcome } = firstViolation("000-B4", "buggy");
  const d = outcome.violation!.deadlock!;
  assert.deepEqual(d.cycle, ["pwritev", "pwritev"]);
  assert.equal(d.waits.length, 1);
  assert.match(d.waits[0]!.waitsIn, /^lock_page\(PG_locked\(F\.P1\)\)$/);
  assert.match(d.waits[0]!.step!, /^filemap_fault: lock_page\(F\.P1\)/);
});

test("000-B4 abba: each writer holds its target page 1 and faults on the other's", () => {
  const { outcome } = firstViolation("000-B4", "abba");
  const d = outcome.violation!.deadlock!;
  assert.equal(d.cycle?.length, 3);
  assert.deepEqual(new Set(d.waits.map((w) => `${w.thread} waits for ${w.location} held by ${w.heldBy}`)), new Set([
    "A: pwritev(G) waits for F.P1.PG_locked held by B: pwritev(F)",
    "B: pwritev(F) waits for G.P1.PG_locked held by A: pwritev(G)",
  ]));
});

// 000-B2 on whole paths: filemap_map_pages and truncate(2) entire.

test("000-B2 full-no-barriers: on whole paths the race is the same store buffering", () => {
  const { model, outcome, graph: g } = firstViolation("000-B2", "full-no-barriers");
  assert.match(outcome.violation!.message, /I-TRUNC \(per step\)/);
  const [mapped] = readsIn(model, g, "trunc", "P0.mapcount", "page_mapped");
  assert.equal(mapped!.value, 0, "truncate sees the page unmapped");
  assert.equal(writer(model, g, mapped!), "init", "...although the fault's increment exists");
  const [retest] = readsIn(model, g, "fault", "P0.flags", "re-test PG_locked");
  assert.equal(writer(model, g, retest!), "init", "the fault's re-test sees PG_locked from before truncate's lock_page");
  // The whole fault path ran before the protocol: the RCU walk found P0 and took a speculative reference.
  assert.ok(readsIn(model, g, "fault", "F.i_pages[0]", "xas_find").length > 0);
});

test("000-B2 whole paths: the cut-down verdicts hold, and with the fix LKMM has exactly the executions SC has without barriers", () => {
  for (const [name, race] of [["full-mb-pair", true], ["full-fault-mb-only", true]] as const) {
    const { result: r } = exploreVariant("000-B2", name);
    assert.equal(r.violations.length > 0, race, name);
  }
  const counts: Record<string, number> = {};
  for (const name of ["full-no-barriers-sc", "full-no-barriers-tso", "full-fixed"]) {
    const { result: r } = exploreVariant("000-B2", name);
    assert.equal(r.violations.length, 0, name);
    assert.ok(r.exhaustive, name);
    assert.ok(r.existsCounts[0]! > 0, `${name}: the fault maps the page in some execution`);
    counts[name] = r.executions;
  }
  assert.deepEqual(counts, { "full-no-barriers-sc": 43, "full-no-barriers-tso": 43, "full-fixed": 43 });
});

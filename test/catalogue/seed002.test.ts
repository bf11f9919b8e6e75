// Seed 002 beyond the verdicts: each race breaks the invariant the seed
// names, in the seed's shape. B0 frees the COW page mlocked; in B1 reclaim
// re-mlocks what the zap had just munlocked, after seeing the pte the zap
// then cleared; in B2 mlock() pins the page before the zap and mlocks it
// after; B3 is store buffering (each side reads the value from before the
// other's write), and the granularity trap holds for every execution:
// with page->flags as one word no execution strands the page.

import { test } from "node:test";
import assert from "node:assert/strict";
import { allViolations, eventsOf, exploreVariant, firstViolation, loc, readIn, writer } from "./variantRuns.ts";

test("002-B0 buggy: truncation itself frees the COW page with PG_mlocked set", () => {
  const { all } = allViolations("002-B0", "buggy");
  for (const v of all) {
    assert.equal(v.outcome.violation!.message, "assertion failed in truncate: I-FREE: A freed with PG_mlocked set");
    assert.match(v.text, /unmap_mapping_range\((F, )?even_cows\)/, "the zap is truncation's even_cows unmap");
  }
});

test("002-B1 rfc-3-only: reclaim saw the pte, the zap munlocked and unmapped, reclaim re-mlocked, A is freed mlocked", () => {
  const { model, all } = allViolations("002-B1", "rfc-3-only");
  for (const { graph: g, outcome, text } of all) {
    assert.match(outcome.violation!.message, /I-FREE: A freed with PG_mlocked set|I-MLOCK/);
    // try_to_unmap_one found A still mapped: it read the pte before the zap cleared it.
    const pte = readIn(model, g, "reclaim", "pte(M)[0]", "try_to_unmap_one(A, M)");
    assert.equal(writer(model, g, pte), "init", text);
    // The re-mlock sets PG_mlocked again on top of the zap's TestClearPageMlocked.
    const remlock = readIn(model, g, "reclaim", "A.PG_mlocked", "mlock_vma_page(A)");
    assert.equal(remlock.value, 0, text);
    assert.equal(writer(model, g, remlock), "truncate", text);
  }
});

test("002-B2 rfc: mlock() pinned A before the zap and mlocked it after the zap's TestClearPageMlocked", () => {
  const { model, all } = allViolations("002-B2", "rfc");
  for (const { graph: g, outcome, text } of all) {
    assert.match(outcome.violation!.message, /I-FREE: A freed with PG_mlocked set/);
    const gup = readIn(model, g, "mlock", "pte(M)[0]", "get_user_pages: follow_page(M, 0)");
    assert.equal(writer(model, g, gup), "init", `gup found the pte before the zap cleared it:\n${text}`);
    const set = readIn(model, g, "mlock", "A.PG_mlocked", "mlock_vma_page(A)");
    assert.equal(writer(model, g, set), "truncate", `mlock_vma_page came after the zap's munlock:\n${text}`);
  }
});

test("002-B3 buggy: store buffering, each side reads the other's flag from before its write", () => {
  const { model, all } = allViolations("002-B3", "buggy");
  for (const { graph: g, outcome, text } of all) {
    assert.equal(outcome.violation!.message, "check failed: I-LRU: no evictable page is stranded on the unevictable list");
    // munlock cleared PG_mlocked, then found PG_lru clear although putback had set it...
    const cleared = readIn(model, g, "munlock", "P.PG_mlocked", "munlock_vma_page(P): TestClearPageMlocked");
    assert.equal(cleared.value, 1);
    const lru = readIn(model, g, "munlock", "P.PG_lru", "isolate_lru_page(P): PageLRU?");
    assert.equal(lru.value, 0, text);
    assert.ok(eventsOf(model, g, "putback", "P.PG_lru", "add_page_to_unevictable_list(P)").some((e) => e.kind === "W" && e.value === 1));
    // ...and putback's re-check after the unlock still saw PG_mlocked set, from before munlock's clear.
    const recheck = readIn(model, g, "putback", "P.PG_mlocked", "putback_lru_page(P): re-check");
    assert.equal(recheck.value, 1, text);
    assert.equal(writer(model, g, recheck), "init", text);
    assert.equal(outcome.final.int(loc(model, "P.lru")), 2, "P is linked on the unevictable list");
  }
});

test("002-B3 the granularity trap: the buggy v2.6.31 code strands P only with one location per flag, under LKMM", () => {
  const runs = ["buggy", "buggy-word-flags", "buggy-tso"].map((name) => {
    const { model, result: r } = exploreVariant("002-B3", name, { all: true });
    return { name, threads: model.threads.map((t) => t.name), r };
  });
  for (const run of runs) assert.deepEqual(run.threads, ["putback", "munlock"], `${run.name} runs the same two threads`);
  assert.ok(runs[0]!.r.violations.length > 0);
  for (const run of runs.slice(1)) {
    assert.equal(run.r.violations.length, 0, `${run.name}: no execution strands P`);
    assert.ok(run.r.exhaustive && run.r.executions > 0);
  }
});

test("002-B3 shmem-v5.18: the stale read is AS_UNEVICTABLE in mapping->flags, a word apart from PG_lru", () => {
  const { model, all } = allViolations("002-B3", "shmem-v5.18");
  for (const { graph: g, text } of all) {
    const as = readIn(model, g, "lru_add", "shm.flags", "__pagevec_lru_add_fn(P): evictable?");
    assert.notEqual(as.value, 0, `lru_add saw the mapping still unevictable:\n${text}`);
    assert.equal(writer(model, g, as), "init", text);
    const test = readIn(model, g, "shm_unlock", "P.flags", "check_move_unevictable_pages(P): TestClearPageLRU");
    assert.equal(Number(test.value) & (1 << 4), 0, `shm_unlock found PG_lru clear and skipped P:\n${text}`);
  }
});

// 002-B3 on whole paths: isolate_lru_page + putback_lru_page vs munlock(2)'s walk.

test("002-B3 full-buggy: on whole paths the stranding is the same store buffering", () => {
  const { model, graph: g, outcome, text } = firstViolation("002-B3", "full-buggy");
  assert.equal(outcome.violation!.message, "check failed: I-LRU: no evictable page is stranded on the unevictable list");
  // munlock(2) pinned A (follow_page) and cleared PG_mlocked under the page lock, then found PG_lru clear...
  assert.equal(readIn(model, g, "munlock", "A.PG_mlocked", "munlock_vma_page(A): TestClearPageMlocked").value, 1);
  assert.equal(readIn(model, g, "munlock", "A.PG_lru", "isolate_lru_page(A): PageLRU?").value, 0, text);
  // ...while the isolator's re-check, after its SetPageLRU, still saw PG_mlocked from before munlock's clear.
  const recheck = readIn(model, g, "isolator", "A.PG_mlocked", "putback_lru_page(A): re-check");
  assert.equal(recheck.value, 1, text);
  assert.equal(writer(model, g, recheck), "init", text);
  assert.equal(outcome.final.int(loc(model, "A.lru")), 2, "A is linked on the unevictable list");
});

test("002-B3 whole paths: 6a7b95481d49's smp_mb verifies under LKMM; SC and TSO never strand A", () => {
  const counts: Record<string, number> = {};
  for (const name of ["full-buggy-sc", "full-buggy-tso", "full-fixed"]) {
    const { result: r } = exploreVariant("002-B3", name);
    assert.equal(r.violations.length, 0, name);
    assert.ok(r.exhaustive, name);
    assert.ok(r.existsCounts[0]! > 0, `${name}: the isolator's putback moves A in some execution`);
    counts[name] = r.executions;
  }
  assert.deepEqual(counts, { "full-buggy-sc": 135, "full-buggy-tso": 135, "full-fixed": 209 });
});

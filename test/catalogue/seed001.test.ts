// Seed 001 beyond the verdicts: the fault-vs-invalidate race leaves a pte
// to a page that left the page cache, in the seed's order of steps; the old
// truncate_count seqlock fails as message passing only without smp_wmb; the
// write deadlocks close the cycles Nick's changelog lists; the zero-tail
// plan shows a reader zeros and the 2.6.24 write_end never does.

import { test } from "node:test";
import assert from "node:assert/strict";
import { NEW, OLD } from "../../src/catalogue/seed001/zeroTail.ts";
import { exploreVariant, firstViolation, lineOf, loc, readsIn, tid } from "./variantRuns.ts";

test("001-B1 buggy: the fault finds P0 unlocked, invalidate removes it, and the pte to the dangling page stays", () => {
  const { model, outcome, text } = firstViolation("001-B1", "buggy");
  assert.match(outcome.violation!.message, /^check failed: I-TRUNC: once invalidate_inode_pages2 has returned/);
  assert.equal(outcome.final.int(loc(model, "pte(M)[0]")), 1, "pte(M, 0) maps P0");
  assert.equal(outcome.final.int(loc(model, "P0.mapping")), 0, "P0.mapping is NULL");
  assert.equal(outcome.final.int(loc(model, "F.i_pages[0]")), 0, "P0 left the page cache");
  assert.ok(lineOf(text, "filemap_nopage: find_get_page (no page lock)") < lineOf(text, "invalidate_complete_page2: remove P0"));
});

test("001-B1 two-vmas: invalidate bumps truncate_count before the fault samples it, so the recheck cannot catch it", () => {
  const { model, graph, text } = firstViolation("001-B1", "two-vmas");
  assert.deepEqual(readsIn(model, graph, "T_fault", "F.truncate_count").map((e) => e.value), [1, 1], "sampled and rechecked after the bump");
  assert.ok(lineOf(text, "truncate_count++") < lineOf(text, "do_no_page(M1, 0): sequence = truncate_count"));
  assert.ok(lineOf(text, "do_no_page: set pte(M1, 0) := P0") < lineOf(text, "invalidate_complete_page2: remove P0"));
});

test("001-B1 truncate_count as MP: without smp_wmb LKMM lets the fault see the new count with the old i_size", () => {
  const { model, graph } = firstViolation("001-B1", "truncate-mp-no-wmb");
  const counts = readsIn(model, graph, "T_fault", "F.truncate_count").map((e) => e.value);
  const sizes = readsIn(model, graph, "T_fault", "F.i_size").map((e) => e.value);
  assert.ok(counts.includes(1), "the fault saw the bumped truncate_count");
  assert.equal(sizes[sizes.length - 1], 1, "and then read the old i_size");
  for (const name of ["truncate-mp", "truncate-mp-no-wmb-tso"]) {
    const { result: r } = exploreVariant("001-B1", name);
    assert.equal(r.violations.length, 0, `${name} holds`);
    assert.ok(r.exhaustive);
  }
});

test("001-B2: the deadlocks are the three cycles of Nick's changelog", () => {
  const self = firstViolation("001-B2", "self").outcome.violation!.deadlock!;
  assert.deepEqual(self.cycle, ["T_write", "T_write"]);
  assert.deepEqual(
    self.waits.map((w) => [w.thread, w.location, w.heldBy]),
    [["T_write", "P0.PG_locked", "T_write"]],
  );
  const abba = firstViolation("001-B2", "abba").outcome.violation!.deadlock!;
  assert.equal(abba.cycle?.length, 3);
  assert.deepEqual(new Set(abba.waits.map((w) => w.location)), new Set(["P0.PG_locked", "G.P0.PG_locked"]));
  const mmap = firstViolation("001-B2", "mmap-sem").outcome.violation!.deadlock!;
  assert.deepEqual(mmap.cycle, ["T_write", "T_mlock", "T_write"]);
  assert.deepEqual(
    mmap.waits.map((w) => [w.thread, w.waitsIn, w.heldBy]).sort(),
    [
      ["T_mlock", "lock_page(PG_locked(P0))", "T_write"],
      ["T_write", "down_read(mm.mmap_lock)", "T_mlock"],
    ],
  );
});

test("001-B2: it is the locked fault that makes the self-deadlock easy: the unpatched fault only locks a page not uptodate", () => {
  const latent = exploreVariant("001-B2", "self-2.6.18");
  assert.equal(latent.variant.memoryModel, "sc");
  assert.equal(latent.result.violations.length, 0);
  const { text } = firstViolation("001-B2", "self-2.6.18-not-uptodate");
  assert.ok(lineOf(text, "filemap_copy_from_user: short, slow copy_from_user") < lineOf(text, "filemap_nopage: page_not_uptodate: lock_page(P0)"));
});

test("001-B3 zero-tail: the reader copies out a zero between the zeroing round and the retry", () => {
  const { model, outcome, text } = firstViolation("001-B3", "zero-tail");
  assert.match(outcome.violation!.message, /I-DATA: read\(\) returns, byte by byte, the old or the new data/);
  const res = outcome.final.result("T_read")!;
  assert.ok([res.b0, res.b1].includes(0), `the reader saw a zero: ${JSON.stringify(res)}`);
  assert.ok(lineOf(text, "zero the uncopied cells") < lineOf(text, "copy P0 to user space"));
  assert.equal(outcome.final.int(loc(model, "P0.data[1]")), NEW, "the write itself completes");
});

test("001-B3 fixed: the reader sees old or new bytes, and (reads are not atomic against writes) every mix of them", () => {
  const seen = new Set<string>();
  const { variant: v, result: r } = exploreVariant("001-B3", "fixed", {
    all: true,
    onExecution: (_g, o) => {
      const res = o.final.result("T_read");
      if (o.status === "complete" && res !== undefined) seen.add(`${String(res.b0)},${String(res.b1)}`);
    },
  });
  assert.equal(v.memoryModel, "sc");
  assert.equal(r.violations.length, 0);
  const mixes = [OLD, NEW].flatMap((a) => [OLD, NEW].map((b) => `${a},${b}`));
  assert.deepEqual([...seen].sort(), mixes.sort());
});

// 001-B1 under LKMM on whole paths.

test("001-B1 full-truncate-mp-no-wmb: the whole v2.6.18 paths race as the MP model does: new count, old i_size (here on the retry)", () => {
  const { model, graph, outcome } = firstViolation("001-B1", "full-truncate-mp-no-wmb");
  assert.match(outcome.violation!.message, /I-TRUNC/);
  // In program order: a truncate_count sample that sees truncate's increment, then (after smp_rmb) the old i_size.
  const count = loc(model, "F.truncate_count").id;
  const size = loc(model, "F.i_size").id;
  const reads = graph.threads[tid(model, "T_fault")]!.filter((e) => e.kind === "R" && (e.loc === count || e.loc === size));
  const sample = reads.findIndex((e) => e.loc === count && e.value === 1);
  assert.ok(sample >= 0, "the fault samples the bumped truncate_count");
  assert.ok(reads.slice(sample + 1).some((e) => e.loc === size && e.value === 1), "and after it still reads the old i_size");
  assert.ok(outcome.final.int(loc(model, "pte(M)[0]")) !== 0, "the page stays mapped after truncation");
});

test("001-B1 whole paths under LKMM: the seqlock with smp_wmb, the same without it on TSO, and the merged fix verify", () => {
  const counts: Record<string, number> = {};
  for (const name of ["full-truncate-mp", "full-truncate-mp-no-wmb-tso", "fixed-truncate-lkmm"]) {
    const { result: r } = exploreVariant("001-B1", name);
    assert.equal(r.violations.length, 0, name);
    assert.ok(r.exhaustive, name);
    assert.ok(r.existsCounts[0]! > 0, `${name}: the fault maps the page in some execution`);
    counts[name] = r.executions;
  }
  assert.deepEqual(counts, { "full-truncate-mp": 11, "full-truncate-mp-no-wmb-tso": 11, "fixed-truncate-lkmm": 23 });
});

test("001-B1 COW fault paths vs truncate(0) verify under LKMM: do_wp_page and do_cow_fault", () => {
  for (const [name, executions] of [["wp-fault-lkmm", 18], ["cow-fault-lkmm", 45]] as const) {
    const { variant: v, result: r } = exploreVariant("001-B1", name);
    assert.equal(v.memoryModel, "lkmm");
    assert.equal(r.violations.length, 0, name);
    assert.ok(r.exhaustive, name);
    assert.equal(r.executions, executions, name);
    assert.ok(r.existsCounts[0]! > 0, `${name}: the writer installs a COW copy in some execution`);
  }
});

// Seed 004 (DAX fault vs truncate / punch hole): beyond the verdicts, each
// race must be the one the thread describes: which invariant breaks, in
// which order the kernel steps ran, and what the final state holds.

import { test } from "node:test";
import assert from "node:assert/strict";
import { exploreVariant, firstViolation, inOrder, loc } from "./variantRuns.ts";

test("004-B1 buggy: Kirill's timeline, the pte set after truncate's unmap maps the freed block", () => {
  const { model, outcome, text } = firstViolation("004-B1", "buggy");
  assert.match(outcome.violation!.message, /^check failed: I-BLOCK/);
  const s = outcome.final;
  assert.equal(s.int(loc(model, "pte(M)[0]")), 1001, "pte(M,0) holds b1's pfn");
  assert.equal(s.int(loc(model, "b1.owner")), 0, "b1 is free");
  assert.equal(s.int(loc(model, "F.i_size")), 0);
  // The pte is set after truncate's unmap. Whether the block's freeing is drawn
  // before or after it the graph does not say; the drawing runs truncate on (fewer switches).
  inOrder(text, ["check i_size", "i_size_write(0)", "truncate_pagecache: unmap_mapping_range", "vm_insert_mixed(pfn b1)"]);
  assert.match(text, /free b1/);
});

test("004-B1 buggy-reuse: the stale pte shows the block file G was given", () => {
  const { model, outcome } = firstViolation("004-B1", "buggy-reuse");
  const s = outcome.final;
  assert.equal(s.int(loc(model, "pte(M)[0]")), 1001);
  assert.equal(s.int(loc(model, "b1.owner")), 201, "b1 now backs G[0]");
  assert.equal(s.int(loc(model, "pte(GM)[0]")), 1001, "G's own mapping of the same block");
});

test("004-B2: with Boaz's rw lock the pte is set after truncate removed the blocks and unmapped", () => {
  const { outcome, text } = firstViolation("004-B2", "rwlock-dropped-early");
  assert.match(outcome.violation!.message, /I-BLOCK/);
  inOrder(text, ["check i_size", "read_unlock(inode)", "write_lock(inode)", "remove allocated blocks", "unmap:", "vm_insert_mixed(pfn b1)"]);
});

test("004-B3: between the punch's unmap and its block freeing the fault maps the block, its i_size re-check passing", () => {
  const { model, outcome, text } = firstViolation("004-B3", "buggy");
  const s = outcome.final;
  assert.equal(s.int(loc(model, "F.i_size")), 1);
  assert.equal(s.int(loc(model, "b1.owner")), 0);
  assert.deepEqual({ ...s.result("fault") }, { fault: 1 }, "the fault reports success (mapped)");
  inOrder(text, ["get_block(0)", "truncate_pagecache_range", "dax_insert_mapping: re-check i_size", "vm_insert_mixed(pfn b1)"]);
  // Nothing orders the block's freeing against the fault's insert: the drawing may show either first.
  inOrder(text, ["truncate_pagecache_range", "ext4_ext_remove_space", "free b1"]);
});

test("004-B4: truncate then extend between get_block and the re-check (ABA on i_size)", () => {
  const { model, outcome, text } = firstViolation("004-B4", "v4.2-aba");
  const s = outcome.final;
  assert.equal(s.int(loc(model, "F.i_size")), 1, "extended back");
  assert.equal(s.int(loc(model, "F.bmap[0]")), 0, "F[0] is a hole now");
  assert.equal(s.int(loc(model, "pte(M)[0]")), 1001);
  inOrder(text, ["get_block(0)", "i_size_write(0)", "free b1", "extend: i_size_write(1)", "dax_insert_mapping: re-check i_size", "vm_insert_mixed(pfn b1)"]);
});

test("004-B5 buggy: the loser zeroes the block after the winner's store", () => {
  const { model, outcome, text } = firstViolation("004-B5", "buggy");
  assert.match(outcome.violation!.message, /no lost write/);
  const s = outcome.final;
  assert.deepEqual([{ ...s.result("writer0") }, { ...s.result("writer1") }], [{ stored: 1 }, { stored: 1 }], "both stores completed");
  const data = s.int(loc(model, "b1.data"));
  assert.ok(data === 1 || data === 2, `exactly one store survives (data ${data})`);
  const winner = data === 1 ? 1 : 0;
  const storeLine = text.indexOf(`user store (bit ${winner})`);
  const lastClear = text.lastIndexOf("clear_page(b1)");
  assert.ok(storeLine >= 0 && lastClear > storeLine, `the second clear_page comes after writer${winner}'s store:\n${text}`);
});

test("004-B6: the write fault waits for the i_mmap_rwsem it holds, in unmap_mapping_range", () => {
  const { outcome, text } = firstViolation("004-B6", "843172978bb9+46c043ede471");
  const v = outcome.violation!;
  assert.equal(v.kind, "deadlock");
  assert.deepEqual(v.deadlock!.cycle, ["write fault", "write fault"]);
  assert.equal(v.deadlock!.waits[0]!.location, "F.i_mmap_rwsem");
  assert.match(v.deadlock!.waits[0]!.waitsIn, /down_write/);
  inOrder(text, ["i_mmap_lock_write", "get_block(0, create)", "find_lock_page", "unmap_mapping_range: shoot out H"]);
});

test("004-B5r buggy: the read fault's hole page is installed after the write fault looked for it", () => {
  const { model, outcome, text } = firstViolation("004-B5r", "buggy");
  assert.match(outcome.violation!.message, /single mapping/);
  const s = outcome.final;
  assert.equal(s.int(loc(model, "pte(M)[0]")), s.int(loc(model, "F.i_pages[0]")), "M maps the hole page H, still in the page cache");
  assert.equal(s.int(loc(model, "pte(M2)[0]")), 1001, "M2 maps the new block b1");
  assert.equal(s.int(loc(model, "F.bmap[0]")), 1);
  inOrder(text, ["get_block(0, create)", "find_lock_page: a racing read fault's hole page?", "add_to_page_cache(H)", "do_set_pte(H)"]);
  // The write fault's insert is unordered with the read fault's: the drawing runs the write fault on (fewer switches).
  inOrder(text, ["get_block(0, create)", "vm_insert_mixed(pfn b1)"]);
});

// The larger configurations that explore in well under a second each (fixed-3x3 takes seconds: see the bench).
const quickLarger = [
  ["004-B1", "fixed-2x2"],
  ["004-B4", "fixed-writer"],
  ["004-B5", "entry-lock-3"],
  ["004-B5", "i_mmap_rwsem-write-3"],
] as const;

test("seed 004's quick larger fixed configurations verify exhaustively", () => {
  for (const [id, name] of quickLarger) {
    const { variant: v, result: r } = exploreVariant(id, name, { all: true });
    assert.equal(v.expect, "verified");
    assert.equal(r.violations.length, 0, `${id} ${name}`);
    assert.ok(r.exhaustive && r.boundHits === 0, `${id} ${name}`);
  }
});

// s7-10: hole punch vs read(2). The timeline is 730633f0b7f9's: the punch
// empties the page cache, the read adds a page and reads the still-mapped
// block into it, then the punch frees the block.

import { test } from "node:test";
import assert from "node:assert/strict";
import { exploreVariant, firstViolation, inOrder } from "./variantRuns.ts";

const ORDER = [
  "truncate_inode_pages: index 0",
  "add_to_page_cache_lru(Q0, F, 0)",
  "->readpage(Q0): get_block(0)",
  "read block 1",
  "ext4_ext_remove_space: free F's block at 0",
];

test("s7-10 buggy: read(2) instantiates a page after truncate_pagecache_range and before the blocks are freed", () => {
  const v = firstViolation("s7-10", "buggy");
  assert.match(v.outcome.violation!.message, /I-PUNCH: a page in F's page cache/);
  inOrder(v.text, ORDER);
});

test("s7-10 fault-only: ea3d7209ca01's i_mmap_sem is held by the punch, but read(2) never takes it", () => {
  const v = firstViolation("s7-10", "fault-only");
  assert.match(v.outcome.violation!.message, /I-PUNCH/);
  inOrder(v.text, ["down_write(i_mmap_sem)", ...ORDER]);
  assert.doesNotMatch(v.text, /invalidate_lock_shared/);
});

test("s7-10 fixed and larger: invalidate_lock verifies, with one page and with two; the larger buggy run still races", () => {
  const fixed = exploreVariant("s7-10", "fixed", { all: true });
  assert.equal(fixed.result.violations.length, 0);
  assert.ok(fixed.result.exhaustive);
  const buggy = exploreVariant("s7-10", "buggy-larger");
  assert.match(buggy.result.violations[0]!.outcome.violation!.message, /I-PUNCH/);
  const larger = exploreVariant("s7-10", "fixed-larger", { all: true });
  assert.equal(larger.result.violations.length, 0);
  assert.ok(larger.result.exhaustive && larger.result.executions > 3);
});

// The §7 families beyond the verdicts: each race's timeline is the one its
// commit message tells, and the larger configurations keep their verdicts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { exploreVariant, firstViolation, inOrder } from "./variantRuns.ts";

test("s7-05 buggy: mremap drops the PTLs, ftruncate zaps the new pte and frees the page, the old TLB entry is flushed too late", () => {
  const v = firstViolation("s7-05", "buggy");
  assert.match(v.outcome.violation!.message, /I-TLB: .*P0 freed while the TLB of mm still maps old\[0\] to it/);
  inOrder(v.text, ["set_pte_at(new, 0)", "spin_unlock(PTL(old))", "ptep_get_and_clear(new, 0)", "flush_tlb_range(new, 0)", "free P0", "move_page_tables: flush_tlb_range(old)"]);
});

test("s7-05 dirty-only: 5d1904204c99 flushes under the PTLs only for a dirty pte, so a clean moved pte still races", () => {
  const v = firstViolation("s7-05", "dirty-only");
  assert.match(v.outcome.violation!.message, /I-TLB/);
  assert.doesNotMatch(v.text, /flush_tlb_range\(old\) under the PTLs/);
});

test("s7-05 larger: the race is found with a user thread on the old address, and the fix verifies it", () => {
  const buggy = exploreVariant("s7-05", "buggy-larger");
  assert.match(buggy.result.violations[0]!.outcome.violation!.message, /I-TLB/);
  const fixed = exploreVariant("s7-05", "fixed-larger", { all: true });
  assert.equal(fixed.result.violations.length, 0);
  assert.ok(fixed.result.exhaustive && fixed.result.executions > 5);
});

test("s7-09 buggy: Matthew Wilcox's timeline — clear, truncate and free, reuse under writeback, then the stale wake-up", () => {
  const v = firstViolation("s7-09", "buggy");
  assert.match(v.outcome.violation!.message, /I-WB-WAIT: .*P0 is under writeback again after the wait \(BUG_ON\(PageWriteback\)/);
  inOrder(v.text, [
    "test_and_clear_bit(PG_writeback(P0))",
    "xa_erase(F.i_pages[0])",
    "list_add(P0, free_list)",
    "rmqueue(free_list)",
    "P0.mapping = G",
    "test_and_set_bit(PG_writeback(P0))",
    "add_wait_queue(page_waitqueue(P0))",
    "wake_up(page_waitqueue(P0))",
    "write_cache_pages: BUG_ON(PageWriteback)",
  ]);
});

test("s7-09 pre-v5.8: the waker declines to wake the new use, but has touched a page freed and reused (the PageTail crash)", () => {
  const v = firstViolation("s7-09", "pre-v5.8");
  assert.match(v.outcome.violation!.message, /I-WB-REUSE/);
});

test("s7-06 no-recheck: invalidation removed the page while truncate slept on its lock; truncate removes it again and drops a reference twice", () => {
  const v = firstViolation("s7-06", "no-recheck");
  assert.match(v.outcome.violation!.message, /dropping a reference to P0\._refcount at count 0|I-CACHE/);
  inOrder(v.text, ["get_unless_zero(P0._refcount)", "invalidate_complete_page2(P0)", "lock_page(PG_locked(P0)) P0.flags: no flags", "delete P0 (no page->mapping check)"]);
});

test("s7-06 larger: the re-check holds with two pages and the re-read", () => {
  const fixed = exploreVariant("s7-06", "fixed-larger", { all: true });
  assert.equal(fixed.result.violations.length, 0);
  assert.ok(fixed.result.exhaustive && fixed.result.executions > 176);
});

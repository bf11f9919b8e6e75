// The anonymous-memory races of the §7 family: each buggy timeline is the
// one its commit message (or the code's comment) tells, and the larger
// configurations keep their verdicts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { exploreVariant, firstViolation, inOrder } from "./variantRuns.ts";

test("s7-03 buggy: the child pins S, unmaps it, the parent reuses S in place and the pin sees the parent's write", () => {
  const v = firstViolation("s7-03", "buggy");
  assert.match(v.outcome.violation!.message, /I-COW-PIN: .*the child's pin on S sees the parent's write 1/);
  inOrder(v.text, ["follow_page_pte(child, 0)", "zap_page_range(child, 0..1)", "wp_page_reuse(S)", "parent: data(S) = 1", "read the pinned S"]);
});

test("s7-03 fixes: with 17839856fd58 the child pins its own copy; with 09854ba94c6a the parent copies", () => {
  for (const name of ["gup-breaks-cow", "page-count"]) {
    const r = exploreVariant("s7-03", name, { all: true });
    assert.equal(r.result.violations.length, 0, name);
    assert.ok(r.result.exhaustive && r.result.executions > 10, `${name}: ${r.result.executions}`);
  }
});

test("s7-04 buggy: Dirty COW — COW, FOLL_WRITE dropped, MADV_DONTNEED zaps the copy, the read walk returns the file's page", () => {
  const v = firstViolation("s7-04", "buggy");
  assert.match(v.outcome.violation!.message, /I-COW: .*the write lands in P0, F's page cache page/);
  inOrder(v.text, [
    "follow_page_pte(priv, 0, FOLL_WRITE)",
    "wp_page_copy of P0",
    "zap_page_range(priv, 0..1)",
    "handle_mm_fault(priv, 0, read)",
    "copy_to_user_page(P0)",
  ]);
  // The walks after the COW ask for no write: FOLL_WRITE was dropped.
  assert.match(v.text, /follow_page_pte\(priv, 0\):/);
});

test("s7-04 larger: two zaps still catch the old loop, and FOLL_COW verifies it", () => {
  assert.match(firstViolation("s7-04", "buggy-larger").outcome.violation!.message, /I-COW/);
  const fixed = exploreVariant("s7-04", "fixed-larger", { all: true });
  assert.equal(fixed.result.violations.length, 0);
  assert.ok(fixed.result.exhaustive && fixed.result.executions > 70);
});

test("s7-07 buggy: the fault read the swap entry, swapoff unused the pte and freed swap_map, then swapcache_prepare reads it", () => {
  const v = firstViolation("s7-07", "buggy");
  assert.match(v.outcome.violation!.message, /I-SWAP: .*fault reads swap\.swap_map\[0\] after swapoff freed it/);
  inOrder(v.text, ["read pte(anon)[0] = swap[0]", "set_pte_at(anon, 0)", "swap.swap_map allocated := 0", "read swap.swap_map allocated = 0"]);
});

test("s7-07 fixed: get_swap_device refuses the device or holds off the free; the fault never sees swap_map freed", () => {
  const fixed = exploreVariant("s7-07", "fixed", { all: true });
  assert.equal(fixed.result.violations.length, 0);
  assert.ok(fixed.result.exhaustive && fixed.result.executions > 100);
});

test("s7-07b no-recheck: both faults map the swapped page and free its entry, the second free underflows swap_map", () => {
  const v = firstViolation("s7-07b", "no-recheck");
  assert.match(v.outcome.violation!.message, /swap_free: Unused swap offset entry swap\[0\]/);
  inOrder(v.text, ["set_pte_at(anon, 0) := F0", "swap.swap_map[0]--", "set_pte_at(anon, 0) := F0", "Unused swap offset entry"]);
});

test("s7-07b larger: three faults, one mapping", () => {
  assert.match(firstViolation("s7-07b", "no-recheck-larger").outcome.violation!.message, /Unused swap offset entry|I-MAPCOUNT/);
  const fixed = exploreVariant("s7-07b", "fixed-larger", { all: true });
  assert.equal(fixed.result.violations.length, 0);
  assert.ok(fixed.result.exhaustive && fixed.result.executions > 22);
});

test("s7-seq: the plain read tears at 4 GiB; without smp_rmb LKMM reads the old high half under an unchanged sequence", () => {
  assert.match(firstViolation("s7-seq", "buggy").outcome.violation!.message, /I-SIZE/);
  const noRmb = firstViolation("s7-seq", "no-rmb");
  assert.match(noRmb.text, /read i_size\.hi = 0/);
  const fixed = exploreVariant("s7-seq", "fixed-larger", { all: true });
  assert.equal(fixed.result.violations.length, 0);
  assert.ok(fixed.result.exhaustive && fixed.result.executions > 10);
});

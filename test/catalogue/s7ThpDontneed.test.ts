// s7-08: the buggy timeline is ced108037c2a's diagram — the pmd cleared
// under the pmd lock, the zap's lockless look sees none, the pmd set again.

import { test } from "node:test";
import assert from "node:assert/strict";
import { exploreVariant, firstViolation, inOrder } from "./variantRuns.ts";

test("s7-08 buggy: change_huge_pmd clears the pmd, zap_pmd_range skips it, set_pmd_at brings the THP back", () => {
  const v = firstViolation("s7-08", "buggy");
  assert.match(v.outcome.violation!.message, /I-DONTNEED/);
  inOrder(v.text, ["pmdp_huge_get_and_clear(heap)", "read pmd(heap) = none", "set_pmd_at(heap) pmd(heap) := huge THP protnone"]);
});

test("s7-08 fixed: with pmdp_invalidate the zap always sees a huge pmd, waits for the lock and frees the THP", () => {
  for (const name of ["fixed", "fixed-larger"]) {
    const r = exploreVariant("s7-08", name, { all: true });
    assert.equal(r.result.violations.length, 0, name);
    assert.ok(r.result.exhaustive && r.result.executions >= 4, `${name}: ${r.result.executions}`);
  }
});

// s7-02: GUP-fast against a THP split. Without the pmd re-read the
// reference lands on the head of a split page and the put frees the
// former tail; with it, every execution keeps the counts right.

import { test } from "node:test";
import assert from "node:assert/strict";
import { exploreVariant, firstViolation, inOrder } from "./variantRuns.ts";

test("s7-02 no-recheck: GUP-fast reads the huge pmd, the split completes, the reference goes to H and the put frees T", () => {
  const v = firstViolation("s7-02", "no-recheck");
  assert.match(v.outcome.violation!.message, /I-FREE/);
  inOrder(v.text, ["read pmd(heap) = huge H", "ref_freeze(H._refcount, 1)", "clear_compound_head(T)", "get_unless_zero(H._refcount)", "read T.compound_head = 0", "put_testzero(T._refcount) T._refcount: 1 → 0"]);
});

test("s7-02 fixed: the re-read of the pmd, or the failed freeze, keeps every reference on the page it counts", () => {
  for (const name of ["fixed", "fixed-larger"]) {
    const r = exploreVariant("s7-02", name, { all: true });
    assert.equal(r.result.violations.length, 0, name);
    assert.ok(r.result.exhaustive && r.result.executions >= 20, `${name}: ${r.result.executions}`);
  }
});

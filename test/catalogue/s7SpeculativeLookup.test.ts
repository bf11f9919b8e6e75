// s7-06b: a speculative page-cache lookup against reclaim and reuse. The
// reference lands on the page after reclaim froze, deleted and freed it and
// the allocator gave it to G; only the slot re-check notices.

import { test } from "node:test";
import assert from "node:assert/strict";
import { allViolations, exploreVariant, firstViolation, inOrder } from "./variantRuns.ts";

test("s7-06b no-recheck: the lookup's get_page_unless_zero succeeds on a page reclaim freed and the allocator handed out again", () => {
  const v = firstViolation("s7-06b", "no-recheck");
  assert.match(v.outcome.violation!.message, /I-LOOKUP: .*P0 is in no page cache .*, not F's page 0/);
  inOrder(v.text, ["read F.i_pages[0] = P0", "page_ref_freeze(P0, 2)", "free_unref_page(P0)", "alloc_page", "get_unless_zero(P0._refcount)", "lookup uses P0 as F's page 0"]);
});

test("s7-06b no-recheck: the same reference on P0 after it became G's page 0", () => {
  const { all } = allViolations("s7-06b", "no-recheck");
  const v = all.find((x) => /P0 is G's page 0/.test(x.outcome.violation!.message));
  assert.ok(v !== undefined, "some execution returns G's page as F's");
  inOrder(v.text, [
    "read F.i_pages[0] = P0",
    "page_ref_freeze(P0, 2)",
    "__delete_from_page_cache(P0)",
    "free_unref_page(P0)",
    "add_to_page_cache_lru(P0, G, 0)",
    "get_unless_zero(P0._refcount)",
    "lookup uses P0 as F's page 0",
  ]);
});

test("s7-06b larger: the reused page can come back as F's own page 1; the re-check verifies both configurations", () => {
  const { all } = allViolations("s7-06b", "no-recheck-larger");
  assert.ok(all.some((x) => /P0 is F's page 1, not F's page 0/.test(x.outcome.violation!.message)));
  for (const name of ["fixed", "fixed-larger"]) {
    const fixed = exploreVariant("s7-06b", name, { all: true });
    assert.equal(fixed.result.violations.length, 0);
    assert.ok(fixed.result.exhaustive);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/index.ts";
import { faultTruncate } from "../../examples/faultTruncate.ts";

test("keepViolations keeps that many graphs and still counts every violating execution", () => {
  const all = explore(faultTruncate(2, 2, "buggy"), { stopOnViolation: false });
  const one = explore(faultTruncate(2, 2, "buggy"), { stopOnViolation: false, keepViolations: 1 });
  assert.ok(all.violations.length > 1);
  assert.equal(all.violationCount, all.violations.length);
  assert.equal(one.violations.length, 1);
  assert.equal(one.violationCount, all.violationCount);
  assert.equal(one.executions, all.executions);
});

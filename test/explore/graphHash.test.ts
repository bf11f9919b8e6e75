// The graph fingerprint must tell apart graphs that differ only in which
// thread's events they point at (ids that differ in their high bits): the
// duplicate count of an optimal exploration is 0 only if it does. 12
// readers and a writer (531,441 executions) met a collision with the
// earlier multiply-xor hash.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/explore/explore.ts";
import { readersWriter } from "../../bench/families.ts";

test("12 readers and a writer: every one of 3^12 executions hashes apart", () => {
  const r = explore(readersWriter(12));
  assert.equal(r.executions, 531_441);
  assert.equal(r.duplicateSampling, 1, "counted exactly");
  assert.equal(r.duplicates, 0);
});

// The engine bench's FT rows under TSO: the counts it asserts are the
// optimal explorer's under TSO, the same as under SC, and on a size small
// enough for it the brute-force enumerator under TSO's definition agrees.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, sc } from "../../src/index.ts";
import { tso } from "../../src/models/tso.ts";
import { faultTruncate } from "../../examples/faultTruncate.ts";
import { ftUnderTso } from "../../bench/engineBench.ts";

const counts = (r: ReturnType<typeof explore>) => ({ executions: r.executions, blocked: r.blocked, deadlocks: r.deadlocks, assertionFailures: r.assertionFailures });

for (const c of ftUnderTso(true)) {
  test(`${c.name}: the bench's known count, ${c.known} executions, and SC's counts`, () => {
    assert.equal(c.memoryModel, tso);
    const underTso = explore(c.model, { memoryModel: tso, stopOnViolation: false, keepViolations: 0 });
    assert.equal(underTso.executions, c.known);
    assert.equal(underTso.duplicates, 0);
    assert.equal(underTso.exhaustive, true);
    assert.equal(underTso.violationCount, 0);
    assert.deepEqual(counts(underTso), counts(explore(c.model, { memoryModel: sc, stopOnViolation: false, keepViolations: 0 })));
  });
}

test("FT(3,3) under TSO: the optimal explorer agrees with the brute-force enumerator", () => {
  const m = faultTruncate(3, 3, "fixed");
  const oracle = explore(m, { memoryModel: tso, strategy: "enumerate", stopOnViolation: false, keepViolations: 0 });
  // Stale awaits built to the end and counted, as the enumerator counts them.
  const optimal = explore(m, { memoryModel: tso, stopOnViolation: false, keepViolations: 0, pruneStaleAwaits: false });
  assert.equal(oracle.exhaustive, true);
  assert.ok(oracle.executions > 1);
  assert.deepEqual(counts(optimal), counts(oracle));
});

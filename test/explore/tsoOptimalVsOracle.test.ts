// Under TSO too, the optimal explorer finds exactly the executions of the
// brute-force oracle, with no duplicates.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/index.ts";
import { tso } from "../../src/models/tso.ts";
import { randomProgram } from "../support/randomProgram.ts";

test("TSO: optimal = oracle on 300 random programs", () => {
  for (let seed = 5000; seed < 5300; seed++) {
    const { model, text } = randomProgram(seed);
    const opt = explore(model, { memoryModel: tso, stopOnViolation: false, pruneStaleAwaits: false });
    const brute = explore(model, { memoryModel: tso, strategy: "enumerate", stopOnViolation: false });
    const counts = (r: typeof opt) => [r.executions, r.blocked, r.deadlocks, r.assertionFailures];
    assert.deepEqual(counts(opt), counts(brute), `seed ${seed}: ${text}`);
    assert.equal(opt.duplicates, 0, `seed ${seed}`);
  }
});

// Under TSO too, the optimal explorer finds exactly the executions of the
// brute-force oracle, with no duplicates. Blocked explorations are compared
// with stale-await pruning off (the oracle builds every stale graph); by
// default the explorer never enters an await's choice of a stale value it
// cannot accept, so it counts fewer blocked ones and the same of the rest.

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
    const pruned = explore(model, { memoryModel: tso, stopOnViolation: false });
    const real = (r: typeof opt) => [r.executions, r.deadlocks, r.assertionFailures, r.duplicates];
    assert.deepEqual(real(pruned), real(opt), `seed ${seed}: pruning stale awaits changed the executions`);
    assert.ok(pruned.blocked <= opt.blocked, `seed ${seed}: pruning counted more blocked explorations`);
  }
});

// What a long run keeps must not grow with the number of executions:
// duplicate counting turns to sampling past its capacity (and says so),
// violations past the kept ones are only counted, and a resource error
// ends the run with what it counted so far, marked as not exhaustive.

import { test } from "node:test";
import assert from "node:assert/strict";
import { model } from "../../src/index.ts";
import { DEFAULT_KEEP_VIOLATIONS, explore } from "../../src/explore/explore.ts";
import { DuplicateCounter } from "../../src/explore/duplicateCounter.ts";
import { readersWriter } from "../../bench/families.ts";

test("the duplicate counter is exact below its capacity, then samples and still finds sampled duplicates", () => {
  const exact = new DuplicateCounter(1000);
  for (let h = 0; h < 900; h++) exact.add(h * 7919);
  for (let h = 0; h < 900; h++) exact.add(h * 7919);
  assert.equal(exact.duplicates, 900);
  assert.equal(exact.sampling, 1);

  const sampled = new DuplicateCounter(1000);
  for (let h = 0; h < 100_000; h++) sampled.add(h);
  assert.ok(sampled.sampling > 1, "past its capacity it samples");
  assert.equal(sampled.duplicates, 0);
  // Every hash the sample keeps (low bits zero) is found again as a duplicate; the others are not.
  for (let h = 0; h < 100_000; h++) sampled.add(h);
  assert.equal(sampled.duplicates, Math.ceil(100_000 / sampled.sampling));
});

test("the optimal explorer's count stays 0, exact on small runs, and says when it sampled", () => {
  const small = explore(readersWriter(3));
  assert.equal(small.executions, 27);
  assert.equal(small.duplicates, 0);
  assert.equal(small.duplicateSampling, 1);
  const capped = explore(readersWriter(6), { duplicateCapacity: 64 });
  assert.equal(capped.executions, 729);
  assert.equal(capped.duplicates, 0);
  assert.ok(capped.duplicateSampling > 1);
});

/** Every execution breaks the check: `--all` over it would keep every graph. */
const alwaysWrong = model("always wrong", (m) => {
  const x = m.location("x");
  for (let i = 0; i < 4; i++)
    m.thread(`T${i}`, function* (t) {
      yield* t.fetchAdd(x, 1);
    });
  m.forall("never holds", () => false);
});

test("only the first violations keep their graphs; all are counted", () => {
  const r = explore(alwaysWrong, { stopOnViolation: false });
  assert.equal(r.executions, 24);
  assert.equal(r.violationCount, 24);
  assert.equal(r.violations.length, Math.min(DEFAULT_KEEP_VIOLATIONS, 24));
  assert.equal(explore(alwaysWrong, { stopOnViolation: false, keepViolations: 3 }).violations.length, 3);
});

test("a RangeError (a collection past its maximum size) ends the run with the counts so far, not verified", () => {
  let seen = 0;
  const r = explore(readersWriter(4), {
    onExecution: () => {
      if (++seen === 10) throw new RangeError("Set maximum size exceeded");
    },
  });
  assert.equal(r.exhaustive, false);
  assert.match(r.bounded ?? "", /^out of resources: Set maximum size exceeded$/);
  assert.ok(r.executions >= 9 && r.executions < 81, `${r.executions}`);
});

test("a RangeError that is no resource limit (a caller's own, from onExecution) is thrown, not taken for a bounded run", () => {
  assert.throws(
    () =>
      explore(readersWriter(2), {
        onExecution: () => {
          throw new RangeError("index 7 is out of range");
        },
      }),
    /index 7 is out of range/,
  );
});

// Execution counts that are known by hand or from GenMC, under SC.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, scDeclarative, type Model } from "../../src/index.ts";
import { faultTruncate } from "../../examples/faultTruncate.ts";
import { IRIW, LB, MP, SB, fetchAdders, readersWriter, sbRing } from "../../bench/families.ts";

function count(m: Model): number {
  const r = explore(m, { stopOnViolation: false });
  assert.equal(r.duplicates, 0, `${m.name}: duplicates`);
  assert.equal(r.exhaustive, true);
  return r.executions;
}

test("SB, MP, LB have 3 executions and IRIW 15", () => {
  assert.equal(count(SB), 3);
  assert.equal(count(MP), 3);
  assert.equal(count(LB), 3);
  assert.equal(count(IRIW), 15);
});

test("N fetch-adders have N! executions", () => {
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  for (let n = 1; n <= 6; n++) assert.equal(count(fetchAdders(n)), factorial(n), `${n} adders`);
});

test("SB rings and readers-writer agree with the brute-force oracle", () => {
  for (const m of [sbRing(3), sbRing(4), readersWriter(2), readersWriter(3)]) {
    const oracle = explore(m, { strategy: "enumerate", memoryModel: scDeclarative, stopOnViolation: false });
    assert.equal(count(m), oracle.executions, m.name);
  }
});

test("FT(4,4) has GenMC's 648 executions; FT(2,2) 18", () => {
  assert.equal(count(faultTruncate(2, 2, "fixed")), 18);
  assert.equal(count(faultTruncate(4, 4, "fixed")), 648);
});

test("FT buggy variants are found, fixed ones verify", () => {
  for (const [p, f] of [[2, 2], [3, 2], [4, 4]] as const) {
    const buggy = explore(faultTruncate(p, f, "buggy"));
    assert.equal(buggy.violations.length, 1, `FT(${p},${f}) buggy`);
    assert.match(buggy.violations[0]!.outcome.violation!.message, /no pte maps a page beyond i_size/);
    const fixed = explore(faultTruncate(p, f, "fixed"));
    assert.equal(fixed.violations.length, 0, `FT(${p},${f}) fixed`);
    assert.equal(fixed.duplicates, 0);
  }
});

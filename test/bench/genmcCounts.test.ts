// GenMC's benchmarks explored by pagerace: the execution counts must be
// GenMC's, since both run TruSt over the same programs. Rows too large for
// the test suite (over ROW_BUDGET executions) are asserted by `npm run
// bench -- genmc`; here their families are checked against GenMC's smaller
// sizes and against the brute-force enumerator.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, scDeclarative, sc, type MemoryModel } from "../../src/index.ts";
import { tso } from "../../src/models/tso.ts";
import { genmcFamilies, genmcFamily } from "../../bench/genmc/families.ts";
import { publishedCounts, type ComparedModel } from "../../bench/genmc/publishedCounts.ts";
import { genmcCases } from "../../bench/genmc/benchCases.ts";

/** Rows with more executions than this take seconds each; the benchmark runner asserts them. */
const ROW_BUDGET = 10_000;

const optimalModels: Record<ComparedModel, MemoryModel> = { sc, tso };
/** The oracle checks SC by its declarative definition, independent of the explorer's fast check. */
const oracleModels: Record<ComparedModel, MemoryModel> = { sc: scDeclarative, tso };

/**
 * Sizes small enough for the brute-force enumerator: families whose GenMC
 * rows are too large for the tests (fib_bench under SC has no smaller GenMC
 * count at all) and the combinations GenMC publishes no count for.
 */
const oracleSizes: readonly { family: string; size: number; model: ComparedModel }[] = [
  { family: "fib_bench", size: 2, model: "sc" },
  { family: "lastzero", size: 4, model: "sc" },
  { family: "CoA", size: 3, model: "sc" },
  { family: "szymanski", size: 1, model: "sc" },
  { family: "szymanski", size: 1, model: "tso" },
  { family: "chase-lev", size: 1, model: "tso" },
];

for (const row of publishedCounts.filter((r) => r.executions <= ROW_BUDGET)) {
  test(`${row.family}(${row.size}) under ${row.model.toUpperCase()} has GenMC's ${row.executions} executions (${row.source})`, () => {
    const r = explore(genmcFamily(row.family).build(row.size), {
      memoryModel: optimalModels[row.model],
      stopOnViolation: false,
      keepViolations: 0,
    });
    assert.equal(r.executions, row.executions);
    assert.equal(r.duplicates, 0);
    assert.equal(r.exhaustive, true);
    // GenMC files these programs under tests/correct: nothing fails.
    assert.equal(r.assertionFailures, 0);
    assert.equal(r.deadlocks, 0);
  });
}

test("the rows too large for the tests are benchmark cases, and each such family has a smaller size asserted here", () => {
  const large = publishedCounts.filter((r) => r.executions > ROW_BUDGET);
  assert.ok(large.length > 0);
  const cases = genmcCases(genmcFamilies);
  for (const row of large) {
    const where = `${row.family}(${row.size}) under ${row.model}`;
    assert.ok(cases.some((c) => c.family.name === row.family && c.size === row.size && c.model === row.model && c.genmc === row), `${where}: not benchmarked`);
    assert.ok(
      publishedCounts.some((r) => r.family === row.family && r.model === row.model && r.executions <= ROW_BUDGET) ||
        oracleSizes.some((o) => o.family === row.family && o.model === row.model),
      `${where}: no smaller size asserted`,
    );
  }
});

for (const { family, size, model } of oracleSizes) {
  test(`${family}(${size}) under ${model.toUpperCase()}: the optimal explorer agrees with the brute-force enumerator`, () => {
    const m = genmcFamily(family).build(size);
    const oracle = explore(m, { memoryModel: oracleModels[model], strategy: "enumerate", stopOnViolation: false, keepViolations: 0 });
    // Stale awaits built to the end and counted, as the enumerator counts them.
    const optimal = explore(m, { memoryModel: optimalModels[model], stopOnViolation: false, keepViolations: 0, pruneStaleAwaits: false });
    assert.ok(oracle.executions > 1, "a family size with a single execution would compare nothing");
    assert.deepEqual(
      { executions: optimal.executions, blocked: optimal.blocked, deadlocks: optimal.deadlocks, assertionFailures: optimal.assertionFailures },
      { executions: oracle.executions, blocked: oracle.blocked, deadlocks: oracle.deadlocks, assertionFailures: oracle.assertionFailures },
    );
    assert.equal(optimal.duplicates, 0);
    // By default an await's choice of a stale value it cannot accept is not entered and not counted:
    // fewer blocked explorations, the same of everything else.
    const pruned = explore(m, { memoryModel: optimalModels[model], stopOnViolation: false, keepViolations: 0 });
    assert.deepEqual([pruned.executions, pruned.deadlocks, pruned.assertionFailures, pruned.duplicates], [optimal.executions, optimal.deadlocks, optimal.assertionFailures, 0]);
    assert.ok(pruned.blocked <= optimal.blocked);
  });
}

test("every family's model files export the family at its default size and at its TSO size", async () => {
  for (const f of genmcFamilies)
    for (const [path, size] of [[f.modelFile, f.defaultSize], [f.tsoModelFile, f.tsoSize]] as const) {
      const file = (await import(new URL(`../../${path}`, import.meta.url).href)) as { default: { name: string } };
      assert.equal(file.default.name, f.build(size).name, path);
    }
});

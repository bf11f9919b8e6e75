// A run stopped part-way and finished elsewhere from its frontier (what it
// counted, and the subtrees it left) must give the result of one whole run:
// the same counts, the same kept violations in the same order, the same
// first data race, and, stopping at its first violation, the same one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, tso, type ExplorationResult, type Model } from "../../src/index.ts";
import { exploreFrontier } from "../../src/explore/frontierHere.ts";
import { frontierOf } from "../../src/explore/subtreeRun.ts";
import { newControl, SubtreeCursor, UNASKED } from "../../src/explore/subtreeCursor.ts";
import { WHOLE_TREE } from "../../src/explore/subtree.ts";
import type { SubtreeRunOptions } from "../../src/explore/subtreeRun.ts";
import { randomProgram } from "../support/randomProgram.ts";
import { randomSymmetricProgram } from "../support/randomSymmetricProgram.ts";
import { faultTruncate } from "../../examples/faultTruncate.ts";

function summary(r: ExplorationResult) {
  return {
    counts: [r.executions, r.blocked, r.deadlocks, r.assertionFailures, r.boundHits],
    violationCount: r.violationCount,
    violations: r.violations.map((v) => v.path?.join(",")),
    exists: r.existsCounts,
    races: r.dataRaces?.executions,
    exhaustive: r.exhaustive,
  };
}

/** The run split after about `choices` choices (the clock checked every 16 is already past), then finished from its frontier. */
function split(model: Model, o: SubtreeRunOptions): ExplorationResult | undefined {
  const cursor = new SubtreeCursor(WHOLE_TREE, newControl(), UNASKED, undefined, 0);
  const memoryModel = o.memoryModel === "tso" ? tso : undefined;
  const first = explore(model, { memoryModel, stopOnViolation: o.stopOnViolation, keepViolations: o.keepViolations, choiceGate: cursor });
  const frontier = frontierOf(first, cursor, o);
  return frontier === undefined ? undefined : exploreFrontier(model, o, frontier, first.elapsedMs);
}

test("a run finished from its frontier is the whole run, on random programs and FT", () => {
  let splits = 0;
  const models: [Model, string][] = [
    ...Array.from({ length: 300 }, (_, i) => [randomProgram(i + 1, 2).model, "sc"] as [Model, string]),
    ...Array.from({ length: 100 }, (_, i) => [randomProgram(i + 5001).model, "tso"] as [Model, string]),
    // Threads declared identical: each part prunes by symmetry, and the classes add up to the whole run's.
    ...Array.from({ length: 150 }, (_, i) => [randomSymmetricProgram(i + 1, 2).model, "sc"] as [Model, string]),
    [faultTruncate(3, 3, "fixed"), "sc"],
    [faultTruncate(3, 3, "buggy"), "sc"],
  ];
  for (const [model, memoryModel] of models)
    for (const stopOnViolation of [false, true]) {
      const o: SubtreeRunOptions = { memoryModel, stopOnViolation, keepViolations: 3 };
      const resumed = split(model, o);
      if (resumed === undefined) continue;
      splits++;
      const whole = explore(model, { memoryModel: memoryModel === "tso" ? tso : undefined, stopOnViolation, keepViolations: 3 });
      assert.deepEqual(summary(resumed), summary(whole), `${model.name} [${memoryModel}], stopOnViolation ${stopOnViolation}`);
    }
  assert.ok(splits > 100, `only ${splits} runs were long enough to split`);
});

// A run stopped part-way and finished elsewhere from its frontier (what it
// counted, and the subtrees it left) must give the result of one whole run:
// the same counts, the same kept violations in the same order, the same
// first data race, and, stopping at its first violation, the same one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, tso, type ExplorationResult, type Model } from "../../src/index.ts";
import { exploreFrontier, exploreFrontierUntil } from "../../src/explore/frontierHere.ts";
import { frontierOf } from "../../src/explore/subtreeRun.ts";
import { newControl, SubtreeCursor, UNASKED } from "../../src/explore/subtreeCursor.ts";
import { chainAt, WHOLE_TREE } from "../../src/explore/subtree.ts";
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

/**
 * The run split as `split` does, then finished one slice at a time, each
 * from the frontier the one before left (a slice's time grows, so that the
 * run ends); also how many slices it took, and whether a frontier's open
 * subtrees were explored as chains of more than one.
 */
function sliced(model: Model, o: SubtreeRunOptions): { result: ExplorationResult; slices: number; chained: boolean } | undefined {
  const cursor = new SubtreeCursor(WHOLE_TREE, newControl(), UNASKED, undefined, 0);
  const memoryModel = o.memoryModel === "tso" ? tso : undefined;
  const first = explore(model, { memoryModel, stopOnViolation: o.stopOnViolation, keepViolations: o.keepViolations, choiceGate: cursor });
  let frontier = frontierOf(first, cursor, o);
  if (frontier === undefined) return undefined;
  let chained = false;
  for (let slices = 1, ms = 0.02; ; slices++, ms *= 1.3) {
    chained ||= frontier.open.some((_, i) => chainAt(frontier!.open, i).length > 1);
    const step = exploreFrontierUntil(model, o, frontier, 0, performance.now() + ms);
    if ("result" in step) return { result: step.result, slices, chained };
    frontier = step.left;
  }
}

test("a run explored in many slices, each from the frontier the one before left, is the whole run", () => {
  let runs = 0;
  let manySlices = 0;
  let chained = 0;
  const models: [Model, string][] = [
    ...Array.from({ length: 200 }, (_, i) => [randomProgram(i + 7001).model, "sc"] as [Model, string]),
    ...Array.from({ length: 100 }, (_, i) => [randomProgram(i + 8001).model, "tso"] as [Model, string]),
    ...Array.from({ length: 100 }, (_, i) => [randomSymmetricProgram(i + 3001, 2).model, "sc"] as [Model, string]),
    [faultTruncate(3, 3, "fixed"), "sc"],
    [faultTruncate(3, 3, "buggy"), "sc"],
  ];
  for (const [model, memoryModel] of models)
    for (const stopOnViolation of [false, true]) {
      const o: SubtreeRunOptions = { memoryModel, stopOnViolation, keepViolations: 3 };
      const r = sliced(model, o);
      if (r === undefined) continue;
      runs++;
      if (r.slices >= 3) manySlices++;
      if (r.chained) chained++;
      const whole = explore(model, { memoryModel: memoryModel === "tso" ? tso : undefined, stopOnViolation, keepViolations: 3 });
      assert.deepEqual(summary(r.result), summary(whole), `${model.name} [${memoryModel}], stopOnViolation ${stopOnViolation}, ${r.slices} slices`);
    }
  assert.ok(manySlices > 50 && chained > 50, `${runs} runs split: ${manySlices} took 3 slices or more, ${chained} explored chains`);
});

// A run split across workers shows how far along it is, as a single run
// does (splitRunEstimate.ts): on threads, what the workers committed plus
// an estimate of the frontier's open subtrees; with --redis, the whole
// tree's estimate against what they committed; past it, the line says so.
// Estimating changes nothing the run counts, keeps or decides.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { explore } from "../../src/index.ts";
import type { Progress } from "../../src/explore/executionRecorder.ts";
import { SubtreePool } from "../../src/explore/parallelExplore.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { loadModelSource, type ModelSource } from "../../src/cli/modelSource.ts";
import { alongText } from "../../src/cli/progressLine.ts";
import { withSplitRunEstimate } from "../../src/cli/splitRunEstimate.ts";
import type { EstimatePacing } from "../../src/explore/stateSpaceEstimate.ts";
import { faultTruncate } from "../../examples/faultTruncate.ts";
import { WHOLE_TREE } from "../../src/explore/subtree.ts";

const FIXTURES = new URL("./fixtures/faultTruncates.ts", import.meta.url).pathname;
/** Estimates at once and at every report, briefly: a run of a second shows several. */
const EAGER: EstimatePacing = { afterMs: 0, everyMs: 0, pastEveryMs: 0, spendMs: 20 };

function pool(): SubtreePool {
  process.env.PAGERACE_FROM_SOURCE = "1";
  return new SubtreePool(2, (control) => new Worker(new URL("../../bin/worker.mjs", import.meta.url), { workerData: { kind: "subtrees", control } }));
}

for (const name of ["FT(4,5)-fixed", "FT(3,4)-buggy"]) {
  test(`${name} on two threads reports a percentage of its estimated size, and counts and violations as without it`, async () => {
    const source: ModelSource = { kind: "file", file: FIXTURES, name, index: 0 };
    const model = await loadModelSource(source);
    const run = { memoryModel: "sc", stopOnViolation: false, keepViolations: 5 };
    const single = explore(model, { memoryModel: memoryModelNamed("sc"), stopOnViolation: false, keepViolations: 5 });
    const p = pool();
    try {
      const quiet = await p.explore(model, { run, source });
      const reports: Progress[] = [];
      const estimating = withSplitRunEstimate(model, run, (r) => reports.push(r), EAGER);
      let frontiers = 0;
      const onProgress: typeof estimating = (r, open) => {
        if (open !== undefined) frontiers++;
        estimating(r, open);
      };
      const shown = await p.explore(model, { run, source, progressEveryMs: 5, snapshotEveryMs: 5, onProgress });
      assert.ok(frontiers > 0, "the pool tells what is left with its progress");
      assert.equal(p.threadsStarted, 2);
      for (const r of [quiet, shown])
        for (const k of ["executions", "blocked", "deadlocks", "assertionFailures", "violationCount", "exhaustive", "duplicates", "existsCounts"] as const) assert.deepEqual(r[k], single[k], k);
      assert.deepEqual(
        shown.violations.map((v) => v.path),
        single.violations.map((v) => v.path),
      );

      const estimated = reports.filter((r) => r.expected !== undefined);
      // The first report comes before any estimate; FT(3,4) may be done by the second.
      if (name === "FT(4,5)-fixed") assert.ok(estimated.length > 0, `${reports.length} reports, none with an estimate`);
      for (const r of estimated) {
        assert.ok(r.expected! > 0);
        assert.ok(r.explored! >= r.executions + r.blocked && r.explored! <= single.executions + single.blocked + single.deadlocks + single.assertionFailures);
        assert.match(alongText(r), /^, (~\d+%(, ETA \d.*)?|past the estimated size)$/);
      }
    } finally {
      await p.close();
    }
  });
}

test("without a frontier (--redis), the line is the single run's: no percentage before the first estimate, then one, and past the estimate once the count exceeds it", () => {
  // FT(2,2): small enough that pooled descents come close to its explorations.
  const model = faultTruncate(2, 2, "fixed");
  const total = (() => {
    const r = explore(model, { stopOnViolation: false });
    return r.executions + r.blocked + r.deadlocks + r.assertionFailures;
  })();
  const lines: string[] = [];
  const onProgress = withSplitRunEstimate(model, { memoryModel: "sc", stopOnViolation: false, keepViolations: 1 }, (p) => lines.push(alongText(p)), {
    afterMs: 1000,
    everyMs: 0,
    pastEveryMs: 0,
    spendMs: 50,
  });
  const at = (elapsedMs: number, explored: number) => onProgress({ executions: explored, blocked: 0, explored, elapsedMs, perSecond: explored / (elapsedMs / 1000) });
  at(500, 1); // too early: no estimate made
  at(1000, 1); // shown without one, then the first estimate is made
  at(1500, 1);
  at(2000, 100 * total);
  assert.equal(lines[0], "");
  assert.equal(lines[1], "");
  assert.match(lines[2]!, /^, ~\d+%, ETA \d+ s$/);
  assert.equal(lines[3], ", past the estimated size");
  // Progress that has its own estimate (a run still in one thread) is left as it is.
  const passed: Progress[] = [];
  withSplitRunEstimate(model, { memoryModel: "sc", stopOnViolation: false, keepViolations: 1 }, (p) => passed.push(p), { ...EAGER, afterMs: 0 })({ executions: 5, blocked: 0, expected: 7, elapsedMs: 3000, perSecond: 1 });
  assert.equal(passed[0]!.expected, 7);
});

test("with a frontier, the estimate is what was committed plus what the open subtrees hold: exact once nothing is open", () => {
  const model = faultTruncate(2, 2, "fixed");
  const run = { memoryModel: "sc", stopOnViolation: false, keepViolations: 1 };
  const seen: Progress[] = [];
  const onProgress = withSplitRunEstimate(model, run, (p) => seen.push(p), EAGER);
  const at = (elapsedMs: number, explored: number, open: Parameters<typeof onProgress>[1]) =>
    onProgress({ executions: explored, blocked: 0, explored, elapsedMs, perSecond: 1 }, open);
  at(0, 0, [WHOLE_TREE]);
  at(1, 0, []);
  at(2, 123, []);
  at(3, 123, []);
  assert.equal(seen[0]!.expected, undefined);
  assert.ok(seen[1]!.expected! > 0, "the whole tree open: an estimate of all of it");
  assert.equal(seen[3]!.expected, 123, "nothing open: what was committed, exactly");
});

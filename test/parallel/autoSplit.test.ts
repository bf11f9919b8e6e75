// A run that starts in one thread and is handed to worker threads once it
// has counted enough explorations (check --all without --workers) counts,
// keeps and judges exactly as one thread; a run that stays small never
// starts a thread.

import { test } from "node:test";
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { explore } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { SubtreePool } from "../../src/explore/parallelExplore.ts";
import { loadModelSource, type ModelSource } from "../../src/cli/modelSource.ts";
import { pagerace } from "../cli/pagerace.ts";

const FIXTURES = new URL("./fixtures/faultTruncates.ts", import.meta.url).pathname;

function pool(): SubtreePool {
  // The threads load the sources, as this test runs them.
  process.env.PAGERACE_FROM_SOURCE = "1";
  return new SubtreePool(2, (control) => new Worker(new URL("../../bin/worker.mjs", import.meta.url), { workerData: { kind: "subtrees", control } }));
}

for (const name of ["FT(4,5)-fixed", "FT(3,4)-buggy"]) {
  test(`${name}, --all: handed to two threads after 100 explorations, the single run's counts and violations`, async () => {
    const source: ModelSource = { kind: "file", file: FIXTURES, name, index: 0 };
    const model = await loadModelSource(source);
    const single = explore(model, { memoryModel: memoryModelNamed("sc"), stopOnViolation: false, keepViolations: 5 });
    const p = pool();
    try {
      const split = await p.explore(model, { run: { memoryModel: "sc", stopOnViolation: false, keepViolations: 5 }, source, inThreadFirst: 100 });
      assert.ok(single.executions + single.blocked > 100);
      assert.equal(p.threadsStarted, 2, "the run was split");
      for (const k of ["executions", "blocked", "deadlocks", "assertionFailures", "violationCount", "exhaustive"] as const) assert.equal(split[k], single[k], k);
      assert.deepEqual(split.existsCounts, single.existsCounts);
      assert.deepEqual(
        split.violations.map((v) => v.path),
        single.violations.map((v) => v.path),
      );
    } finally {
      await p.close();
    }
  });
}

test("a run smaller than the threshold is the single run, and starts no thread", async () => {
  const model = await loadModelSource({ kind: "file", file: FIXTURES, name: "FT(3,4)-buggy", index: 0 });
  const p = pool();
  try {
    const r = await p.explore(model, { run: { memoryModel: "sc", stopOnViolation: false, keepViolations: 20 }, source: null, inThreadFirst: 1_000_000 });
    const single = explore(model, { memoryModel: memoryModelNamed("sc"), stopOnViolation: false, keepViolations: 20 });
    assert.equal(p.threadsStarted, 0);
    assert.equal(r.executions, single.executions);
    assert.deepEqual(
      r.violations.map((v) => v.path),
      single.violations.map((v) => v.path),
    );
  } finally {
    await p.close();
  }
});

test("check --all without --workers: FT(4,7) split once large, the same document as one thread", { skip: availableParallelism() < 2 ? "one core: check --all stays in one thread" : undefined }, () => {
  const model = "test/parallel/fixtures/faultTruncate47.ts"; // 121,296 explorations, past the 50,000 after which the run is split
  const withoutTimes = (out: string) => JSON.parse(out, (k, v: unknown) => (k === "elapsedMs" || k === "preCheckMs" ? undefined : v)) as unknown;
  const one = pagerace("check", model, "--json", "--quiet"); // verified: explores every execution in one thread
  const all = pagerace("check", model, "--all", "--json", "--quiet");
  assert.equal(one.code, 0, one.err);
  assert.equal(all.code, 0, all.err);
  assert.deepEqual(withoutTimes(all.out), withoutTimes(one.out));
});

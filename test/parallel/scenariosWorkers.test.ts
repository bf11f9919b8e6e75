// `scenarios --workers N`: a catalogue variant handed to worker threads
// part-way (here after a few explorations, so that small variants split)
// gives the row, violations and replay ids of its single run; on the
// command line the rows are those of one thread.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { scenarios } from "../../src/catalogue/index.ts";
import { runVariant, selectVariants } from "../../src/catalogue/runScenarios.ts";
import { SubtreePool } from "../../src/explore/parallelExplore.ts";
import { runVariantOnWorkers } from "../../src/cli/scenariosOnWorkers.ts";
import { pagerace } from "../cli/pagerace.ts";

function variant(id: string, name: string) {
  const found = selectVariants(scenarios, { filters: [id], larger: true }).find((s) => s.scenario.id === id && s.variant.name === name);
  assert.ok(found, `${id} ${name} is in the catalogue`);
  return found;
}

const withoutTime = <T extends { elapsedMs: number }>(row: T) => ({ ...row, elapsedMs: 0 });

for (const [id, name, all] of [
  ["s7-09", "fixed", false],
  ["002-B2", "rfc", true],
] as const) {
  test(`${id} ${name}${all ? " --all" : ""}: split after 20 explorations, the single run's row and violations`, async () => {
    process.env.PAGERACE_FROM_SOURCE = "1"; // the threads build the variant from the sources, as this test runs them
    const pool = new SubtreePool(2, (control) => new Worker(new URL("../../bin/worker.mjs", import.meta.url), { workerData: { kind: "subtrees", control } }));
    try {
      const s = variant(id, name);
      const single = runVariant(s, { all });
      const split = await runVariantOnWorkers(s, pool, { all }, 20);
      assert.equal(pool.threadsStarted, 2, "the variant was split");
      assert.equal(split.error, undefined, String(split.error));
      assert.deepEqual(withoutTime(split.row), withoutTime(single.row));
      assert.deepEqual(split.replayIds, single.replayIds);
    } finally {
      await pool.close();
    }
  });
}

test("scenarios --workers 2: the rows of one thread; not with --catalogue", () => {
  const rows = (out: string) => (JSON.parse(out) as { rows: { elapsedMs: number }[] }).rows.map(withoutTime);
  const one = pagerace("scenarios", "002-B2", "--json", "--quiet");
  const two = pagerace("scenarios", "002-B2", "--json", "--quiet", "--workers", "2");
  assert.equal(two.code, one.code, two.err);
  assert.deepEqual(rows(two.out), rows(one.out));
  const custom = pagerace("scenarios", "--workers", "2", "--catalogue", "examples/catalogue.ts");
  assert.equal(custom.code, 2);
  assert.match(custom.err, /--workers runs the built-in catalogue only/);
});

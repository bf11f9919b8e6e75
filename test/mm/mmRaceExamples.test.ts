// The mm race examples (examples/gupFastVsCollapse.ts, pageWaiters.ts,
// uffdCopyVsFork.ts) behave as their headers say: each model, under each
// memory model it declares, finds its race or verifies, and a verified run
// is not vacuous (its witnesses hold somewhere). uffdCopyVsFork declares SC
// only; its header says LKMM gives the same verdicts, checked here too.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, type Model } from "../../src/index.ts";
import { declaredRuns } from "../../src/program/model.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import gupFastVsCollapse from "../../examples/gupFastVsCollapse.ts";
import pageWaiters from "../../examples/pageWaiters.ts";
import uffdCopyVsFork from "../../examples/uffdCopyVsFork.ts";

function checkAsDeclared(models: readonly Model[], extra?: "lkmm"): void {
  for (const md of models) {
    const runs = declaredRuns(md);
    if (extra !== undefined) runs.push({ memoryModel: extra, expect: md.expect });
    for (const run of runs) {
      const r = explore(md, { memoryModel: memoryModelNamed(run.memoryModel) });
      const found = r.violations.length > 0 ? "violation" : "verified";
      assert.equal(found, run.expect, `${md.name} [${run.memoryModel}]: ${r.violations[0]?.outcome.violation?.message ?? "no violation"}`);
      if (found === "verified") {
        assert.ok(r.exhaustive, `${md.name} [${run.memoryModel}] explored exhaustively`);
        assert.ok(r.existsCounts.every((n) => n > 0), `${md.name} [${run.memoryModel}]: every witness holds in some execution`);
      }
    }
  }
}

test("GUP-fast vs collapse: the pte-only re-check races under SC and LKMM; the pmd re-check verifies, and needs the flush's barrier under LKMM", () => {
  assert.equal(gupFastVsCollapse.length, 3);
  checkAsDeclared(gupFastVsCollapse);
});

test("PG_waiters: the release-only unlock loses the wake-up under LKMM (a deadlock); v4.10's barrier and the shared byte verify", () => {
  checkAsDeclared(pageWaiters);
  const lost = explore(pageWaiters[0]!, { memoryModel: memoryModelNamed("lkmm") });
  assert.equal(lost.violations[0]!.outcome.status, "deadlock");
});

test("UFFDIO_COPY vs fork: no mmap_changing and the boolean with two events race; the boolean with one and the counter verify (SC and LKMM)", () => {
  assert.equal(uffdCopyVsFork.length, 4);
  checkAsDeclared(uffdCopyVsFork, "lkmm");
});

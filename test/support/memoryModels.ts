// The memory models a model's verdict is checked under, by name, and the
// two verdicts the mm tests assert under each: a fix verified (every
// execution explored, every `exists` reached), a race found (every
// violation the expected one). Under SC the optimal explorer's counts are
// held to the brute-force enumerator's.

import assert from "node:assert/strict";
import { explore, type Model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";

export const MEMORY_MODELS = (["sc", "tso", "lkmm"] as const).map((name) => [name, memoryModelNamed(name)] as const);

/** No violation under SC, TSO and LKMM, every execution explored and every `exists` reached; SC's executions are the enumerator's. */
export function assertVerifiedUnderEach(md: Model): void {
  for (const [name, memoryModel] of MEMORY_MODELS) {
    const r = explore(md, { memoryModel, stopOnViolation: false });
    assert.equal(r.violationCount, 0, `${md.name} [${name}]: ${r.violations[0]?.outcome.violation?.message}`);
    assert.ok(r.exhaustive && r.existsCounts.every((n) => n > 0), `${md.name} [${name}]: exists ${r.existsCounts}`);
  }
  assert.equal(explore(md, { stopOnViolation: false }).executions, explore(md, { strategy: "enumerate", stopOnViolation: false }).executions, md.name);
}

/** Violations under SC, TSO and LKMM, each naming `check`; SC's executions and violations are the enumerator's. */
export function assertRaceUnderEach(md: Model, check: string | RegExp): void {
  for (const [name, memoryModel] of MEMORY_MODELS) {
    const r = explore(md, { memoryModel, stopOnViolation: false });
    assert.ok(r.violationCount > 0, `${md.name} [${name}]: no violation`);
    for (const v of r.violations) assert.match(v.outcome.violation!.message, typeof check === "string" ? new RegExp(check.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : check, `${md.name} [${name}]`);
  }
  const sc = explore(md, { stopOnViolation: false });
  const oracle = explore(md, { strategy: "enumerate", stopOnViolation: false });
  assert.deepEqual([sc.executions, sc.violationCount], [oracle.executions, oracle.violationCount], md.name);
}

// Every smallest variant of every registered scenario gets the verdict it
// declares, under its own memory model: a race (of its declared kind) where
// the protocol is buggy; for a fix, no violation with every execution
// explored and no thread cut off by the event bound. One test per variant,
// so the list grows with the catalogue.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/explore/explore.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { renderColumns } from "../../src/report/columns.ts";
import { scenarios, type Scenario, type Variant } from "../../src/catalogue/index.ts";
import { mislabelled, toyDeadlock, toyScenario } from "../fixtures/toyScenario.ts";

function assertDeclaredVerdict(variant: Variant): void {
  const model = variant.build();
  const r = explore(model, { memoryModel: memoryModelNamed(variant.memoryModel) });
  const first = r.violations[0];
  const v = first?.outcome.violation;
  if (variant.expect === "race") {
    assert.ok(v !== undefined, `expected a race, found none in all ${r.executions} executions`);
    assert.notEqual(v.kind, "bound", `a thread hit the event bound, which is not a race: ${v.message}`);
    if (variant.raceKind !== undefined)
      assert.equal(v.kind === "deadlock" ? "deadlock" : "invariant", variant.raceKind, `expected a ${variant.raceKind} race, found a ${v.kind} violation:\n${renderColumns(model, first!.graph, first!.outcome)}`);
  } else {
    assert.equal(v, undefined, v && `expected verified, found:\n${renderColumns(model, first!.graph, first!.outcome)}`);
    assert.ok(r.exhaustive, "verified only counts when every execution was explored");
    assert.equal(r.boundHits, 0, "no thread may be cut off by the event bound");
  }
}

const smallest = (s: Scenario) => s.variants.filter((v) => v.size === "smallest");

for (const s of scenarios) for (const v of smallest(s)) test(`${s.id} ${v.name}`, () => assertDeclaredVerdict(v));

test("the verdict check passes the toy catalogue and rejects wrongly declared variants", () => {
  for (const s of [toyScenario, toyDeadlock]) for (const v of s.variants) assertDeclaredVerdict(v);
  for (const v of mislabelled.variants) assert.throws(() => assertDeclaredVerdict(v), assert.AssertionError, v.name);
});

test("scenario ids are unique and start with their seed; variant names are unique within their scenario", () => {
  const ids = new Set<string>();
  for (const s of scenarios) {
    assert.ok(!ids.has(s.id), `scenario id ${s.id} is used twice`);
    ids.add(s.id);
    assert.ok(s.id.startsWith(`${s.seed}-`), `scenario ${s.id} should start with its seed, ${s.seed}-`);
    const names = s.variants.map((v) => v.name);
    assert.equal(new Set(names).size, names.length, `${s.id} has two variants of one name: ${names.join(", ")}`);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/index.ts";
import { faultTruncate } from "../../examples/faultTruncate.ts";

test("keepViolations keeps that many graphs and still counts every violating execution", () => {
  const all = explore(faultTruncate(2, 2, "buggy"), { stopOnViolation: false });
  const one = explore(faultTruncate(2, 2, "buggy"), { stopOnViolation: false, keepViolations: 1 });
  assert.ok(all.violations.length > 1);
  assert.equal(all.violationCount, all.violations.length);
  assert.equal(one.violations.length, 1);
  assert.equal(one.violationCount, all.violationCount);
  assert.equal(one.executions, all.executions);
});

test("existsCounts: in how many complete executions each exists check held", async () => {
  const { model } = await import("../../src/index.ts");
  const md = model("SB", (m) => {
    const x = m.location("x");
    const y = m.location("y");
    m.thread("P0", function* (t) {
      yield* t.write(x, 1);
      return { r: yield* t.read(y) };
    });
    m.thread("P1", function* (t) {
      yield* t.write(y, 1);
      return { r: yield* t.read(x) };
    });
    m.exists("P0 sees y = 0", (s) => s.result("P0")!.r === 0);
    m.exists("both see 0", (s) => s.result("P0")!.r === 0 && s.result("P1")!.r === 0);
  });
  const r = explore(md);
  assert.equal(r.executions, 3);
  assert.deepEqual(r.existsCounts, [1, 0]);
});

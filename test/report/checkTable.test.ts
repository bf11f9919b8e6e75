// check's table and closing line: no OK column when nothing was declared,
// "behaved as declared" only when every run declared something and got it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { renderCheckTable, renderCheckTotals, type CheckRow } from "../../src/report/checkTable.ts";

const run = (over: Partial<CheckRow>): CheckRow => ({
  file: "m.ts",
  model: "SB",
  memoryModel: "sc",
  expected: null,
  found: "verified",
  verdict: "verified",
  executions: 3,
  blocked: 0,
  dataRaces: null,
  elapsedMs: 12.4,
  judgement: null,
  ...over,
});

test("undeclared runs: no expected or as-declared column, the totals count verdicts", () => {
  const rows = [run({}), run({ model: "LB", memoryModel: "lkmm", found: "violation", verdict: "violation (invariant)" })];
  const [header, rule, first, second] = renderCheckTable(rows).split("\n");
  assert.equal(header, "model  memory model  verdict                executions  blocked  time (ms)");
  assert.equal(rule, "-----  ------------  ---------------------  ----------  -------  ---------");
  assert.equal(first, "SB     sc            verified                        3        0         12");
  assert.equal(second, "LB     lkmm          violation (invariant)           3        0         12");
  assert.equal(renderCheckTotals(rows, 1234), "2 runs: 1 verified, 1 with violations (1.2 s)");
});

test("declared runs: expected and as-declared columns; all as declared is said only then", () => {
  const ok = [run({ expected: "verified", judgement: "OK" }), run({ memoryModel: "tso", expected: "violation", found: "violation", verdict: "violation (invariant)", judgement: "OK" })];
  assert.match(renderCheckTable(ok).split("\n")[0]!, /^model +memory model +expected +verdict +executions +blocked +time \(ms\) +as declared$/);
  assert.match(renderCheckTable(ok).split("\n")[2]!, /^SB +sc +verified +verified +3 +0 +12 +OK$/);
  assert.equal(renderCheckTotals(ok, 400), "all 2 runs behaved as declared (0.4 s)");
  const bounded = run({ memoryModel: "lkmm", expected: "violation", found: "not verified", verdict: "NOT VERIFIED (bounded: --max-executions 10 reached)", judgement: "INCOMPLETE" });
  assert.equal(
    renderCheckTotals([...ok, bounded], 400),
    "3 runs: 1 verified, 1 with violations, 1 not verified; 2 of 3 declared behaved as declared (0.4 s):\n" +
      "  SB [lkmm]: expected violation, but NOT VERIFIED (bounded: --max-executions 10 reached)",
  );
});

test("a mix of declared and undeclared runs never claims all behaved as declared", () => {
  const rows = [run({ expected: "verified", judgement: "OK" }), run({ model: "other" })];
  assert.match(renderCheckTable(rows).split("\n")[3]!, /^other +sc +— +verified/);
  assert.equal(renderCheckTotals(rows, 0), "2 runs: 2 verified, 0 with violations; 1 of 1 declared behaved as declared (0.0 s)");
});

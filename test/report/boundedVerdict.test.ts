// A run a budget ended is never "verified": the execution count is checked
// inside the explorer's loop, and the verdict says which budget ended it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { judge, verdictOf } from "../../src/report/verdict.ts";

const adders = (n: number) =>
  model(`${n}-adders`, (m) => {
    const c = m.location("c");
    for (let i = 0; i < n; i++)
      m.thread(`T${i}`, function* (t) {
        yield* t.fetchAdd(c, 1, "relaxed");
      });
  });

test("--max-executions stops the explorer after exactly that many explorations", () => {
  const r = explore(adders(7), { maxExecutions: 50 }); // 7! = 5,040 executions
  assert.equal(r.executions + r.blocked, 50);
  assert.equal(r.exhaustive, false);
  assert.equal(r.bounded, "--max-executions 50 reached");
  const v = verdictOf(r);
  assert.equal(v.found, "not verified");
  assert.equal(v.short, "NOT VERIFIED (bounded: --max-executions 50 reached)");
  assert.equal(judge(v.found, "verified"), "INCOMPLETE");
  assert.equal(judge(v.found, "violation"), "INCOMPLETE");
});

test("a time limit stops the explorer mid-run, and the elapsed time covers the run", () => {
  const r = explore(adders(9), { timeLimitMs: 300 }); // 9! executions: minutes
  assert.match(r.bounded!, /^--time-limit 0\.3 s reached$/);
  assert.ok(r.executions > 0 && r.executions < 362_880);
  assert.ok(r.elapsedMs >= 300 && r.elapsedMs < 2000, String(r.elapsedMs));
});

test("a budget the run stays within changes nothing", () => {
  const r = explore(adders(3), { maxExecutions: 1000, timeLimitMs: 60_000 });
  assert.equal(r.executions, 6);
  assert.equal(r.bounded, undefined);
  assert.equal(verdictOf(r).found, "verified");
});

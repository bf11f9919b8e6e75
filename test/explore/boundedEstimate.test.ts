// Estimates made along a run (its progress line) run executions the run has
// not reached: thread code there may throw, or never return. The estimate
// then gives up within its bound, and the run goes on; a thread that never
// returns must not hang the run where no watchdog can see it (a split
// run's coordinator, whose exploring threads keep the heartbeat going).

import { test } from "node:test";
import assert from "node:assert/strict";
import { model } from "../../src/index.ts";
import { boundedEstimate, estimateStateSpace } from "../../src/explore/stateSpaceEstimate.ts";
import { withSplitRunEstimate } from "../../src/cli/splitRunEstimate.ts";
import { WHOLE_TREE } from "../../src/explore/subtree.ts";
import type { Progress } from "../../src/explore/executionRecorder.ts";

/** P0 reads x after four adders may have added to it: on a value of 2 its code never returns (or throws). */
function lateTrap(trap: "loop" | "throw") {
  return model(`trap (${trap})`, (m) => {
    const x = m.location("x", 0);
    m.thread("P0", function* (t) {
      const seen = yield* t.read(x);
      if (seen === 2) {
        if (trap === "throw") throw new Error("two");
        for (;;);
      }
    });
    for (let i = 1; i <= 4; i++)
      m.thread(`P${i}`, function* (t) {
        yield* t.fetchAdd(x, 1);
      });
  });
}

test("an estimate whose descents meet thread code that never returns gives up within its bound, leaving the clock usable", () => {
  const started = performance.now();
  const e = boundedEstimate(() => estimateStateSpace(lateTrap("loop"), { descents: 200 }), 300);
  assert.equal(e, undefined);
  assert.ok(performance.now() - started < 5000);
  assert.equal(typeof Date.now(), "number");
});

test("an estimate whose descents meet thread code that throws gives up", () => {
  assert.equal(boundedEstimate(() => estimateStateSpace(lateTrap("throw"), { descents: 200 }), 5000), undefined);
});

test("a split run's progress goes on without a percentage once its estimate gives up", () => {
  const lines: Progress[] = [];
  const progress = withSplitRunEstimate(lateTrap("loop"), { memoryModel: "sc", stopOnViolation: true, keepViolations: 1 }, (p) => lines.push(p), {
    afterMs: 0,
    everyMs: 0,
    pastEveryMs: 0,
    spendMs: 50,
  });
  const started = performance.now();
  for (let i = 0; i < 3; i++) progress({ executions: i, blocked: 0, elapsedMs: 1000 * (i + 1), perSecond: 1 }, [WHOLE_TREE]);
  assert.ok(performance.now() - started < 5000, "an estimate hung");
  assert.equal(lines.length, 3);
  assert.ok(lines.every((p) => p.expected === undefined));
});

// Budgets are polled while an execution is being built, not only between
// executions: one long execution (a thread of a thousand accesses) must not
// outlive a deadline or an interrupt.

import { test } from "node:test";
import assert from "node:assert/strict";
import { model } from "../../src/index.ts";
import { explore } from "../../src/explore/explore.ts";
import { ExplorationBudget, type InterruptibleSite } from "../../src/explore/explorationBudget.ts";

/** One execution, long to build: a thousand writes by one thread. */
const longThread = model("one long thread", (m) => {
  const x = m.location("x");
  m.thread("writer", function* (t) {
    for (let i = 0; i < 1000; i++) yield* t.write(x, i);
  });
});

test("without a budget the model has one execution", () => {
  assert.equal(explore(longThread).executions, 1);
});

test("a deadline already past stops the run inside its only execution", () => {
  const r = explore(longThread, { deadline: performance.now() });
  assert.equal(r.executions, 0, "stopped before the execution completed");
  assert.match(r.bounded ?? "", /^deadline reached/);
  assert.equal(r.exhaustive, false);
});

test("an interrupt from the site stops it the same way, with its reason", () => {
  let asked = 0;
  const site: InterruptibleSite = {
    tid: 0,
    events: 0,
    // Not at once: the exploration must notice while it runs the thread.
    interruption: () => (++asked > 1 ? "interrupted by SIGINT" : undefined),
  };
  const r = explore(longThread, { site });
  assert.equal(r.executions, 0);
  assert.equal(r.bounded, "interrupted by SIGINT");
});

test("a heap nearly full (even after a full collection) stops the run, saying so", () => {
  // A margin larger than any heap: the first check finds it full.
  const budget = new ExplorationBudget({ heapMargin: Number.MAX_SAFE_INTEGER });
  assert.equal(budget.outOfTime(), true);
  assert.match(budget.exhausted ?? "", /^out of memory: the heap holds \d+ MB of its \d+ MB limit$/);
  assert.equal(new ExplorationBudget({ heapMargin: 0 }).outOfTime(), false);
});

// The line closing a summary cut short by a signal: it says the last run's
// counts are partial only when a run was under way when the signal came.

import { test } from "node:test";
import assert from "node:assert/strict";
import { renderInterrupted } from "../../src/report/verdict.ts";

test("the interrupted line says partial counts only when a run was under way", () => {
  assert.equal(renderInterrupted("interrupted by SIGINT", 1, 2), "INTERRUPTED by SIGINT: 1 of 2 runs shown; the counts of the one under way when it came are partial");
  assert.equal(renderInterrupted("interrupted by SIGTERM", 0, 1, "runs", false), "INTERRUPTED by SIGTERM: 0 of 1 runs shown");
});

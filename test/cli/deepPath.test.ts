// A check whose path is deeper than the main thread's stack, and than a
// worker's default stack, is explored to its end in the watched worker,
// which has a far larger stack (EXPLORING_STACK_MB). The main thread's
// stack runs out at a different point for each depth, inside thread code
// for some (where the thread may not get to leave it): each must still be
// taken for a stack overflow, not for thread code calling the clock.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

test("paths of 4,000 to 10,400 events are verified, not cut short for want of stack", () => {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  // Every 100 writes: the main thread's stack then runs out inside thread code at several depths.
  for (let depth = 2000; depth <= 5200; depth += 100) {
    const r = spawnSync(process.execPath, ["bin/pagerace.mjs", "check", "--max-events", "10000", "test/cli/fixtures/deepPath.ts"], {
      encoding: "utf8",
      env: { ...env, PAGERACE_TEST_DEPTH: String(depth) },
      timeout: 120_000,
    });
    assert.equal(r.status, 0, `depth ${depth}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^deep path +sc +verified +1 +0 /m);
  }
});

// A check whose path is deeper than the main thread's stack, and than a
// worker's default stack, is explored to its end in the watched worker,
// which has a far larger stack (EXPLORING_STACK_MB).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

test("a path of 16,000 events is verified, not cut short for want of stack", () => {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const r = spawnSync(process.execPath, ["bin/pagerace.mjs", "check", "--max-events", "10000", "test/cli/fixtures/deepPath.ts"], { encoding: "utf8", env, timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^deep path +sc +verified +1 +0 /m);
});

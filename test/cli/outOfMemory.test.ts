// A run whose memory grows without bound (the brute-force oracle keeps
// every partial graph it has seen) in a small heap: it must end with its
// counts and the summary, as NOT VERIFIED, not with V8 aborting the process.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { row } from "./pagerace.ts";

test("check in a 32 MB heap stops the growing run with the counts so far, exit 3", () => {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const r = spawnSync(
    process.execPath,
    ["--max-old-space-size=32", "bin/pagerace.mjs", "check", "--strategy", "enumerate", "--model", "sc", "test/cli/fixtures/budgets.ts"],
    { encoding: "utf8", env, timeout: 120_000 },
  );
  assert.equal(r.status, 3, r.stderr.slice(-2000));
  assert.match(row(r.stdout, "eight-adders", "sc"), /NOT VERIFIED \(bounded: out of memory: the heap holds \d+ MB of its \d+ MB limit\) +[1-9][\d,]* /);
});

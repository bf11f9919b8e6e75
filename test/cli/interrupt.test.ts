// SIGINT and SIGTERM during a long run: the main thread asks the exploring
// worker to stop, and what it found so far is printed, marked interrupted,
// with exit 130 (SIGINT) or 143 (SIGTERM). The signal is sent once progress
// shows that exploration is under way (no timing is asserted). A second
// signal does not wait for the summary.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { interrupt } from "./pagerace.ts";

test("check: SIGINT prints the table so far, the run under way as interrupted, exit 130", async () => {
  const r = await interrupt(["check", "--model", "sc", "test/cli/fixtures/budgets.ts"], /eight-adders \[sc\]: [\d,]+ executions/, "SIGINT");
  assert.equal(r.code, 130, r.err);
  assert.match(r.out, /^eight-adders +sc +NOT VERIFIED \(bounded: interrupted by SIGINT\) +[\d,]+ +0 /m);
  // The file's next model was never started.
  assert.doesNotMatch(r.out, /^lkmm-adders /m);
  assert.match(r.out, /^INTERRUPTED by SIGINT: 1 of 2 runs shown/m);
});

test("check: SIGTERM does the same with exit 143", async () => {
  const r = await interrupt(["check", "--model", "sc", "test/cli/fixtures/budgets.ts"], /eight-adders \[sc\]: [\d,]+ executions/, "SIGTERM");
  assert.equal(r.code, 143, r.err);
  assert.match(r.out, /^eight-adders +sc +NOT VERIFIED \(bounded: interrupted by SIGTERM\)/m);
  assert.match(r.out, /^INTERRUPTED by SIGTERM: 1 of 2 runs shown/m);
});

test("scenarios --larger: SIGINT keeps every finished row, exit 130", async () => {
  // Progress is printed only for a variant that has run a couple of seconds, so earlier variants have finished.
  const r = await interrupt(["scenarios", "--larger"], /executions, [\d,]+ blocked/, "SIGINT");
  assert.equal(r.code, 130, r.err);
  const rows = r.out.split("\n").filter((l) => / OK$/.test(l));
  assert.ok(rows.length >= 1, r.out);
  assert.match(r.out, /^INTERRUPTED by SIGINT: \d+ of \d+ variants shown/m);
});

test("check --json: a second SIGINT while a thread computes stops at once, with the error document (kind interrupted), exit 130", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-busy-"));
  const marker = join(dir, "busy");
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const child = spawn(process.execPath, ["bin/pagerace.mjs", "check", "--json", "--timeout", "120", "test/cli/fixtures/busyStep.ts"], { env: { ...env, PAGERACE_TEST_BUSY: marker } });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  const guard = setTimeout(() => child.kill("SIGKILL"), 90_000);
  try {
    while (!existsSync(marker)) await delay(50);
    child.kill("SIGINT");
    // Apart, so that the two are not merged into one pending signal.
    await delay(500);
    child.kill("SIGINT");
    const code = await closed;
    assert.equal(code, 130, err);
    assert.match(err, /SIGINT again: stopped without waiting for the summary/);
    const doc = JSON.parse(out) as { format: string; error: { kind: string; message: string } };
    assert.equal(doc.format, "pagerace-error");
    assert.equal(doc.error.kind, "interrupted");
    assert.match(doc.error.message, /SIGINT again/);
  } finally {
    clearTimeout(guard);
    rmSync(dir, { recursive: true, force: true });
  }
});

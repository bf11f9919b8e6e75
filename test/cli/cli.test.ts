// The command line: exit codes, clear errors for bad input, JSON output.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

function pagerace(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/pagerace.mjs", ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("a missing file is a usage error", () => {
  const r = pagerace("check", "no/such/model.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /no\/such\/model\.ts: no such file or folder/);
});

test("a file that exports no model says what to export", () => {
  const r = pagerace("check", "test/fixtures/noModel.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /exports no model/);
});

test("a model that throws during exploration is a model error", () => {
  const r = pagerace("check", "test/fixtures/throwsInThread.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /thread A threw: broken model/);
});

test("thread code that never yields is stopped by the watchdog", () => {
  const r = pagerace("check", "--timeout", "1", "test/fixtures/loopsForever.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /looper did not return to the engine within 1 s/);
});

test("unknown options are rejected", () => {
  const r = pagerace("check", "--frobnicate", "examples/storeBuffering.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option --frobnicate/);
});

test("a verified model exits 0 and prints the summary", () => {
  const r = pagerace("check", "examples/storeBuffering.ts");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /SB \[sc\]: verified: all 3 executions explored/);
  assert.match(r.out, /duplicates 0/);
});

test("--json emits a versioned result; a violation without expectation exits 1", () => {
  const r = pagerace("check", "--json", "examples/lockOrder.ts");
  assert.equal(r.code, 0, r.err); // these variants declare what they expect
  const json = JSON.parse(r.out);
  assert.equal(json.format, "pagerace-result");
  assert.equal(json.version, 1);
  const abba = json.results.find((x: { model: string }) => x.model === "ABBA");
  assert.equal(abba.verdict, "violation");
  assert.equal(abba.violations[0].kind, "deadlock");
  assert.match(abba.violations[0].replayId, /^[0-9a-z]{5}\.sc\./);
  const replayed = pagerace("replay", "examples/lockOrder.ts", abba.violations[0].replayId);
  assert.equal(replayed.code, 1);
  assert.ok(replayed.out.includes(abba.violations[0].trace));
});

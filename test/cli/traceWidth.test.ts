// How wide `check` and `scenario` draw a timeline: within --width N, else
// 100 columns when stdout is not a terminal (as here); columns that do not
// fit become a listing, and nothing is cut.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pagerace } from "./pagerace.ts";

const traceLines = (out: string) => out.split("\n").filter((l) => /^(fault|truncate)/.test(l) || l.includes(" | "));

test("check --width 200 draws the FT race in columns; by default (not a terminal: 100) as a listing; never cut", () => {
  const wide = pagerace("check", "--width", "200", "examples/faultTruncate.ts");
  assert.equal(wide.code, 0, wide.err);
  assert.match(wide.out, /^fault0 +\| fault1 +\| truncate$/m);
  const narrow = pagerace("check", "examples/faultTruncate.ts");
  assert.doesNotMatch(narrow.out, /^fault0 +\| fault1/m);
  assert.match(narrow.out, /^truncate {2}i_size_write\(1\): i_size:=1$/m);
  for (const out of [wide.out, narrow.out]) assert.doesNotMatch(out, /…/);
  for (const l of traceLines(narrow.out)) assert.ok(l.length <= 100, l);
});

test("--width expects a positive integer", () => {
  const r = pagerace("check", "--width", "wide", "examples/faultTruncate.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /--width expects a positive integer, got 'wide'/);
});

test("scenario --dot DIR writes the race each variant found", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "pagerace-dot-"));
  const r = pagerace("scenario", "000-B1", "--variant", "rfc", "--dot", dir);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(dir), ["000-B1_rfc.sc.1.dot"]);
  rmSync(dir, { recursive: true });
});

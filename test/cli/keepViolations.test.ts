// `check --all` keeps (and draws) only the first violations with their
// graphs; the rest are counted. `--keep-violations N` says how many.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pagerace, row } from "./pagerace.ts";

const drawn = (out: string) => out.split("\n").filter((l) => l.startsWith("lost update [sc]:") && !/ violating executions?, /.test(l)).length;
const counted = (out: string) => /^lost update \[sc\]: ([\d,]+) violating executions?, /m.exec(out)?.[1];

test("--keep-violations bounds the violations drawn; the verdict is unchanged", () => {
  const all = pagerace("check", "--all", "test/cli/fixtures/undeclared.ts");
  const one = pagerace("check", "--all", "--keep-violations", "1", "test/cli/fixtures/undeclared.ts");
  assert.equal(all.code, 1);
  assert.equal(one.code, 1);
  assert.ok(drawn(all.out) > 1, all.out);
  assert.equal(drawn(one.out), 1, one.out);
  // The same row, but for its time: the violations are counted all the same.
  const untimed = (out: string) => row(out, "lost update", "sc").replace(/ +[\d,]+$/, "");
  assert.equal(untimed(one.out), untimed(all.out));
  assert.equal(counted(one.out), counted(all.out), "the same count of violating executions");
  assert.equal(counted(one.out), String(drawn(all.out)), "all drawn by default: as many as are counted");
});

test("--keep-violations wants a positive integer", () => {
  const r = pagerace("check", "--keep-violations", "0", "test/cli/fixtures/undeclared.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /--keep-violations expects a positive integer, got '0'/);
});

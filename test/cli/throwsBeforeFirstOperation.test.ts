// A thread that throws before its first operation leaves an execution with
// nothing in it. `check` says so where it would draw the execution, with
// the failure and the replay id; `replay` of that id (its path is empty)
// reports the failure as check does, a model error (exit 2), not blank
// lines.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pagerace } from "./pagerace.ts";
import { NOTHING_TO_DRAW } from "../../src/report/columns.ts";

const FIXTURE = "test/cli/fixtures/throwsBeforeFirstOperation.ts";
const THREW = /^thread P0 threw: .+ \(at test\/cli\/fixtures\/throwsBeforeFirstOperation\.ts:12:\d+\)$/;

// Wide enough that the failure's line is not wrapped.
const WIDE = ["--width", "300"];

test("check: the model error says there is nothing to draw, then the failure and the replay id", () => {
  const r = pagerace("check", ...WIDE, FIXTURE);
  assert.equal(r.code, 2, r.err);
  const block = r.out.split("\n\n").find((b) => b.startsWith("misspelled read [sc]: model error: "));
  assert.ok(block, r.out);
  const lines = block.split("\n");
  assert.match(lines[0]!.slice("misspelled read [sc]: model error: ".length), THREW);
  assert.equal(lines[1], NOTHING_TO_DRAW, block);
  assert.match(lines[2]!, /^✗ thread P0 threw: /);
  assert.match(lines[3]!, /^replay: pagerace replay \S+ \S+\.sc\.$/, "an id with an empty path");
});

test("replay of an id with an empty path: the failure as check reports it, exit 2", () => {
  const checked = pagerace("check", ...WIDE, FIXTURE);
  const id = /^replay: pagerace replay \S+ (\S+)$/m.exec(checked.out)?.[1];
  assert.ok(id, checked.out);
  const r = pagerace("replay", ...WIDE, FIXTURE, id);
  assert.equal(r.code, 2, r.err);
  const lines = r.out.trimEnd().split("\n");
  const head = `misspelled read [sc], replay ${id}: model error: `;
  assert.ok(lines[0]!.startsWith(head), r.out);
  assert.match(lines[0]!.slice(head.length), THREW);
  assert.deepEqual(lines.slice(1, 3), ["", NOTHING_TO_DRAW], r.out);
  assert.match(lines[3]!, /^✗ thread P0 threw: /);
  assert.equal(lines.length, 4, r.out);
  assert.match(r.err, /misspelled read' \[sc\]: thread P0 threw: /);
  const json = pagerace("replay", "--json", FIXTURE, id);
  assert.equal(json.code, 2, json.err);
  const doc = JSON.parse(json.out) as { status: string; violation: { message: string } | null; graph: { events: unknown[][] } };
  assert.equal(doc.status, "error");
  assert.match(doc.violation?.message ?? "", THREW);
  assert.deepEqual(doc.graph.events, [[]]);
});

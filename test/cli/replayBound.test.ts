// An id printed by `check --max-events N` names a path that ends where the
// bound cut the thread off: the replay command check prints carries the
// bound, and `replay` honours it, so the replay stops at the same event.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pagerace } from "./pagerace.ts";

const SPIN = "test/cli/fixtures/eventBound.ts";

/** The `replay:` command of a check's output, split into its arguments (after `pagerace`). */
function replayArgs(out: string): string[] {
  const line = out.split("\n").find((l) => l.startsWith("replay: pagerace replay "));
  assert.ok(line !== undefined, out);
  return line.slice("replay: pagerace ".length).split(" ");
}

test("check --max-events 50 prints a replay command with the bound, and replaying it stops at 50 events", () => {
  const checked = pagerace("check", "--max-events", "50", SPIN);
  assert.equal(checked.code, 1, checked.err);
  const args = replayArgs(checked.out);
  assert.deepEqual(args.slice(0, 4), ["replay", "--max-events", "50", SPIN]);
  const replayed = pagerace(...args);
  assert.equal(replayed.code, 1, replayed.err);
  assert.match(replayed.out, /waiter did not finish within 50 events/);
  const json = pagerace("replay", "--json", ...args.slice(1));
  assert.equal(JSON.parse(json.out).violation.kind, "bound");
});

test("the default bound is left out of the replay command, and the id does not replay under another bound", () => {
  const checked = pagerace("check", SPIN);
  const args = replayArgs(checked.out);
  assert.deepEqual(args.slice(0, 2), ["replay", SPIN]);
  assert.equal(pagerace(...args).code, 1);
  // The bug this fixes: the id of a run cut at 50 events, replayed under the default bound, leads nowhere.
  const short = replayArgs(pagerace("check", "--max-events", "50", SPIN).out);
  const unbounded = pagerace("replay", SPIN, short.at(-1)!);
  assert.equal(unbounded.code, 2);
  assert.match(unbounded.err, /leads to no execution/);
});

test("replay --max-events rejects what is not a positive integer", () => {
  const r = pagerace("replay", "--max-events", "x", SPIN, "elo23.sc.~ATA");
  assert.equal(r.code, 2);
  assert.match(r.err, /--max-events expects a positive integer, got 'x'/);
});

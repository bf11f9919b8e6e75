// `check` on a thread that throws: the model error on stderr, and below the
// table the execution that led there with the command that replays it;
// `replay` reproduces it (and is a model error too, exit 2).

import { test } from "node:test";
import assert from "node:assert/strict";
import { pagerace } from "./pagerace.ts";

const FIXTURE = "test/cli/fixtures/threadErrors.ts";

for (const [name, message, thread] of [
  ["throws after read", "thread reader threw (step check_x): x was already set (at test/cli/fixtures/threadErrors.ts:16:49)", "reader"],
  ["update throws", "thread incrementer threw in the update of its RMW of x (step inc): update saw 5 (at test/cli/fixtures/threadErrors.ts:30:28)", "incrementer"],
] as const) {
  test(`${name}: the error comes with its trace and a replay id that reproduces it`, () => {
    // Wide enough that the failure's line is not wrapped.
    const r = pagerace("check", "--events", "--width", "200", FIXTURE);
    assert.equal(r.code, 2, r.err);
    assert.ok(r.err.includes(`model '${name}' [sc]: ${message}`), r.err);
    const block = r.out.split("\n\n").find((b) => b.startsWith(`${name} [sc]: model error:`));
    assert.ok(block, r.out);
    const lines = block.split("\n");
    assert.match(lines[1]!, new RegExp(`\\b${thread}\\b`), "the timeline's header names the threads");
    assert.ok(lines.includes(`✗ ${message}`), block);
    const replay = /^replay: pagerace replay (\S+) (\S+)$/m.exec(block);
    assert.ok(replay, block);

    const again = pagerace("replay", "--width", "200", replay[1]!, replay[2]!);
    assert.equal(again.code, 2, again.err);
    assert.ok(again.err.includes(message), again.err);
    assert.ok(again.out.includes(`✗ ${message}`), again.out);
  });
}

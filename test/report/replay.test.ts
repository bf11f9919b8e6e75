// A violation's replay id reproduces exactly its execution.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/index.ts";
import { encodeReplayId, decodeReplayId } from "../../src/explore/replayId.ts";
import { replay } from "../../src/explore/replay.ts";
import { renderColumns } from "../../src/report/columns.ts";
import { faultTruncate } from "../../examples/faultTruncate.ts";
import { abba } from "../../examples/lockOrder.ts";

test("id -> replay -> identical trace, for every violation of a model", () => {
  for (const m of [faultTruncate(3, 3, "buggy"), abba]) {
    const r = explore(m, { stopOnViolation: false });
    assert.ok(r.violations.length >= 1);
    for (const v of r.violations) {
      const id = encodeReplayId(m, "sc", v.path!);
      const again = replay(m, id);
      assert.equal(renderColumns(m, again.graph, again.outcome), renderColumns(m, v.graph, v.outcome), id);
      assert.deepEqual(decodeReplayId(id).path, v.path);
    }
  }
});

test("a replay id refuses another model", () => {
  const m = faultTruncate(2, 2, "buggy");
  const id = encodeReplayId(m, "sc", explore(m).violations[0]!.path!);
  assert.throws(() => replay(abba, id), /made for another model/);
});

test("the trace shows steps, reads with their source, and the broken check last", () => {
  const m = faultTruncate(2, 2, "buggy");
  const v = explore(m).violations[0]!;
  const lines = renderColumns(m, v.graph, v.outcome).split("\n");
  assert.match(lines[0]!, /^fault0 +\| fault1 +\| truncate$/);
  assert.ok(lines.some((l) => /i_size_write\(1\):/.test(l)));
  assert.ok(lines.some((l) => /read i_size = 2  ← init/.test(l)));
  assert.equal(lines[lines.length - 1], "✗ check failed: no pte maps a page beyond i_size or out of the page cache");
});

// A thread's registers are its own returned fields: names that Object's
// prototype carries (constructor, toString, __proto__, ...) are absent
// unless the thread returns them, and hold what it returned if it does.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type FinalState } from "../../src/index.ts";

const NAMES = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"];

test("registers named like Object.prototype members: absent when not returned, exact when returned", () => {
  const seen: string[] = [];
  const m = model("prototype names", (b) => {
    const x = b.location("x");
    b.thread("P0", function* (t) {
      const r = yield* t.read(x);
      return Object.fromEntries([
        ["__proto__", r + 1],
        ["constructor", r + 2],
      ]) as Record<string, number>;
    });
    b.thread("P1", function* (t) {
      yield* t.read(x);
    });
    b.forall("registers", (s: FinalState) => {
      const p0 = s.result("P0")!;
      const p1 = s.result("P1")!;
      seen.push(`${String(p0.__proto__)},${String(p0.constructor)},${NAMES.map((n) => String(p1[n])).join(",")}`);
      return true;
    });
  });
  const r = explore(m);
  assert.equal(r.executions, 1);
  assert.deepEqual([...new Set(seen)], ["1,2,undefined,undefined,undefined,undefined,undefined"]);
});

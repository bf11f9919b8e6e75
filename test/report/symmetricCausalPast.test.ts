// Under symmetry reduction a check is judged over every exchange of the
// identical threads' names, and a violation may hold only for one of them:
// the trace must not fold, as not involved, an identical thread whose
// result the failing exchange reads.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { causalPast } from "../../src/report/causalPast.ts";

test("a check on one identical thread's result involves every thread identical to it", () => {
  const m = model("first-incrementer", (b) => {
    const count = b.location("count", 0);
    const bystander = b.location("bystander", 0);
    for (const name of ["T0", "T1", "T2"])
      b.thread(
        name,
        function* (t) {
          const seen = yield* t.read(count);
          yield* t.write(count, seen + 1);
          return { seen };
        },
        { identical: "incrementer" },
      );
    b.thread("other", function* (t) {
      yield* t.write(bystander, 1);
    });
    b.forall("T0 ran first", (s) => (s.result("T0") as { seen: number } | undefined)?.seen === 0);
  });
  const r = explore(m, { stopOnViolation: false });
  assert.equal(r.symmetry?.reduced, true);
  assert.ok(r.violations.length > 0, "T0 need not run first");
  for (const v of r.violations) {
    const past = causalPast(m, v.graph, v.outcome);
    assert.ok(past !== undefined);
    for (const tid of [0, 1, 2]) {
      const events = v.graph.threads[tid]!;
      assert.ok(past.has(events[events.length - 1]!.id), `${m.threads[tid]!.name} is involved in: ${v.outcome.violation!.message}`);
    }
    assert.ok(!past.has(v.graph.threads[3]![0]!.id), "the bystander is not involved");
  }
});

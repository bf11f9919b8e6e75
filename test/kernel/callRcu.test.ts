// call_rcu: the callback runs only after a grace period that began after
// call_rcu, so a reader that found the object before it was unpublished
// never sees it freed; queueing a head twice is misuse.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { RcuHead, callRcu, declareRcuReaders, rcuCallbackThread, rcuReadLock, rcuReadUnlock } from "../../src/kernel/index.ts";

function unpublishAndFree(useCallRcu: boolean) {
  return model(`call_rcu ${useCallRcu}`, (m) => {
    declareRcuReaders(m);
    const gp = m.location("gp", 1);
    const freed = m.location("obj.freed", 0);
    const head = new RcuHead(m, "obj", function* (t) {
      yield* t.write(freed, 1, "once");
    });
    m.thread("reader", function* (t) {
      yield* rcuReadLock(t);
      const p = yield* t.read(gp, "once");
      const dead = p === 1 ? yield* t.read(freed, "once") : 0;
      yield* rcuReadUnlock(t);
      return { dead };
    });
    m.thread("updater", function* (t) {
      yield* t.write(gp, 0, "once");
      if (useCallRcu) yield* callRcu(t, head);
      else yield* t.write(freed, 1, "once"); // kfree at once: the bug call_rcu exists to prevent
    });
    if (useCallRcu) rcuCallbackThread(m, [head]);
    m.forall("a reader never uses a freed object", (s) => s.result("reader")?.dead === 0);
    if (useCallRcu) m.exists("the callback ran", (s) => s.int(head.state) === 2);
  });
}

test("call_rcu defers the free past every reader that could have seen the object (SC and LKMM)", () => {
  for (const mm of ["sc", "lkmm"] as const) {
    const r = explore(unpublishAndFree(true), { memoryModel: memoryModelNamed(mm) });
    assert.equal(r.violations.length, 0, `${mm}: ${r.violations[0]?.outcome.violation?.message}`);
    assert.ok(r.exhaustive && [...r.existsCounts.values()][0]! > 0, `${mm}: the callback runs in some execution`);
  }
  const direct = explore(unpublishAndFree(false), { memoryModel: memoryModelNamed("sc") });
  assert.ok(direct.violations.length > 0, "freeing without a grace period is caught");
});

test("call_rcu twice on one head is misuse", () => {
  const r = explore(
    model("double call_rcu", (m) => {
      const head = new RcuHead(m, "obj", function* () {});
      m.thread("t", function* (t) {
        yield* callRcu(t, head);
        yield* callRcu(t, head);
      });
    }),
  );
  assert.match(r.violations[0]!.outcome.violation!.message, /double call_rcu/);
});

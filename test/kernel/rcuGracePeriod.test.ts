// synchronize_rcu() waits for the readers that were inside a read section
// when it began, under every memory model: an updater that replaces a
// pointer, waits for a grace period and frees the old object never frees it
// under a reader; without the wait it does, and pagerace says so.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, ModelError, type Model } from "../../src/index.ts";
import type { MemoryModel } from "../../src/models/memoryModel.ts";
import { sc } from "../../src/models/sc.ts";
import { tso } from "../../src/models/tso.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { ThreadReplayer } from "../../src/runtime/threadReplayer.ts";
import { declareRcuReaders, rcuReadLock, rcuReadUnlock, smpStoreRelease, synchronizeRcu } from "../../src/kernel/index.ts";

const LIVE = 1;
const FREED = 0;

function publishRetire(opts: { synchronize: boolean; declare?: boolean; readers?: number }): Model {
  return model(`rcu publish/retire${opts.synchronize ? "" : " without synchronize_rcu"}`, (m) => {
    const oldObj = m.location("old.val", LIVE);
    const newObj = m.location("new.val", LIVE);
    const gp = m.location("gp", oldObj);
    if (opts.declare ?? true) declareRcuReaders(m);
    for (let i = 0; i < (opts.readers ?? 1); i++)
      m.thread(`reader${i}`, function* (t) {
        yield* rcuReadLock(t);
        t.step("rcu_dereference(gp)");
        const p = yield* t.readValue(gp, "once");
        if (typeof p === "number") throw new Error("gp holds a pointer");
        // The read through the pointer depends on the read of it (its address): LKMM's rcu_dereference.
        const v = yield* t.readValue(p, "once", { addr: [1] });
        t.assert(v !== FREED, `use after free: read ${p.name} after it was freed`);
        yield* rcuReadUnlock(t);
      });
    m.thread("updater", function* (t) {
      t.step("rcu_assign_pointer(gp, new)");
      yield* smpStoreRelease(t, gp, newObj);
      if (opts.synchronize) yield* synchronizeRcu(t);
      t.step("kfree(old)");
      yield* t.write(oldObj, FREED, "once");
    });
  });
}

const models: [string, MemoryModel][] = [
  ["sc", sc],
  ["tso", tso],
  ["lkmm", lkmm],
];

for (const [name, memoryModel] of models) {
  test(`${name}: synchronize_rcu() waits for the pre-existing reader; the old object is never freed under it`, () => {
    for (const readers of [1, 2]) {
      const r = explore(publishRetire({ synchronize: true, readers }), { memoryModel, stopOnViolation: false });
      assert.equal(r.violations.length, 0, `${readers} reader(s)`);
      assert.ok(r.executions > 1);
      assert.equal(r.deadlocks, 0);
    }
  });

  test(`${name}: without synchronize_rcu() the use after free is found`, () => {
    const r = explore(publishRetire({ synchronize: false }), { memoryModel });
    assert.match(r.violations[0]!.outcome.violation!.message, /assertion failed in reader0: use after free: read old\.val after it was freed/);
  });
}

test("synchronize_rcu() under SC without the readers word declared is a model error, not a silent no-op", () => {
  assert.throws(
    () => explore(publishRetire({ synchronize: true, declare: false })),
    (e: unknown) => e instanceof ModelError && /thread updater threw.*synchronize_rcu\(\) under .* declare it in the model with declareRcuReaders\(m\)/.test(e.message),
  );
});

test("under LKMM read sections and grace periods are the model's fences only, with no accesses added", () => {
  const md = publishRetire({ synchronize: true });
  const g = ExecutionGraph.initial(md.initial, md.threads.length);
  const first = (memoryModel: string | undefined, tid: number) => {
    const p = new ThreadReplayer(md, 100, undefined, memoryModel).pending(g, tid);
    assert.equal(p.kind, "op");
    return p.kind === "op" ? p.op : undefined;
  };
  const underLkmm = first("lkmm", 0)!;
  assert.deepEqual([underLkmm.kind, underLkmm.kind === "fence" ? underLkmm.fence : undefined], ["fence", "rcu-lock"]);
  assert.equal(first("sc", 0)!.kind, "rmw");
  assert.equal(first("sc", 0)!.name, "rcu_read_lock");
});

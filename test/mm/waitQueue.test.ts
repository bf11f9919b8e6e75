// Wait queues: prepare_to_wait before the condition check means no lost
// wake-up; checking the condition before queueing loses one (a deadlock).

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { WaitQueueHead, finishWait, prepareToWait, scheduleWoken, waitqueueActive, wakeUp } from "../../src/kernel/index.ts";

function sleeper(queueFirst: boolean) {
  return model(`sleeper ${queueFirst ? "queue first" : "check first"}`, (m) => {
    const wq = new WaitQueueHead(m, "wq", ["sleeper"]);
    const cond = m.location("cond", 0);
    m.thread("sleeper", function* (t) {
      if (queueFirst) {
        yield* prepareToWait(t, wq);
        if ((yield* t.read(cond, "once")) === 0) yield* scheduleWoken(t, wq);
        yield* finishWait(t, wq);
        return;
      }
      if ((yield* t.read(cond, "once")) !== 0) return;
      yield* prepareToWait(t, wq);
      yield* scheduleWoken(t, wq);
      yield* finishWait(t, wq);
    });
    m.thread("waker", function* (t) {
      yield* t.write(cond, 1, "once");
      yield* t.fence("mb");
      if (yield* waitqueueActive(t, wq)) yield* wakeUp(t, wq);
    });
  });
}

test("prepare_to_wait, check, schedule: every wake-up is seen", () => {
  const r = explore(sleeper(true));
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.ok(r.exhaustive && r.executions > 2);
});

test("check, then prepare_to_wait: the wake-up falls in between and the sleeper sleeps forever", () => {
  const r = explore(sleeper(false));
  assert.equal(r.violations[0]?.outcome.violation?.kind, "deadlock");
});

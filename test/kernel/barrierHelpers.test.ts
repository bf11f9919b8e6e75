// smp_acquire__after_ctrl_dep() and wq_has_sleeper(): the barrier each
// adds is the one that closes its race, under the models where it matters.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type Model } from "../../src/index.ts";
import { finishWait, prepareToWait, readOnce, scheduleWoken, smpAcquireAfterCtrlDep, smpWmb, WaitQueueHead, waitqueueActive, wakeUp, wqHasSleeper, writeOnce } from "../../src/kernel/index.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { tso } from "../../src/models/tso.ts";
import type { MemoryModel } from "../../src/models/memoryModel.ts";

/** Message passing whose reader tests the flag and then reads the data, with or without the barrier in the branch. */
function controlledMessagePassing(barrier: boolean): Model {
  return model(`MP, ctrl${barrier ? " + smp_acquire__after_ctrl_dep" : ""}`, (m) => {
    const data = m.location("data", 0);
    const flag = m.location("flag", 0);
    m.thread("writer", function* (t) {
      yield* writeOnce(t, data, 1);
      yield* smpWmb(t);
      yield* writeOnce(t, flag, 1);
    });
    m.thread("reader", function* (t) {
      if ((yield* readOnce(t, flag)) === 1) {
        if (barrier) yield* smpAcquireAfterCtrlDep(t);
        t.assert((yield* readOnce(t, data)) === 1, "the data written before the flag is seen");
      }
    });
  });
}

/** A waker that stores the condition, then looks for sleepers with waitqueue_active() alone or with wq_has_sleeper(). */
function waker(hasSleeper: boolean): Model {
  return model(`waker, ${hasSleeper ? "wq_has_sleeper" : "waitqueue_active"}`, (m) => {
    const wq = new WaitQueueHead(m, "wq", ["sleeper"]);
    const cond = m.location("cond", 0);
    m.thread("sleeper", function* (t) {
      yield* prepareToWait(t, wq);
      if ((yield* t.read(cond, "once")) === 0) yield* scheduleWoken(t, wq);
      yield* finishWait(t, wq);
    });
    m.thread("waker", function* (t) {
      yield* t.write(cond, 1, "once");
      if (yield* (hasSleeper ? wqHasSleeper(t, wq) : waitqueueActive(t, wq))) yield* wakeUp(t, wq);
    });
  });
}

const found = (m: Model, memoryModel: MemoryModel) => explore(m, { memoryModel }).violations[0]?.outcome.violation?.kind;

test("smp_acquire__after_ctrl_dep orders the flag's load before the data's, which the control dependency alone does not", () => {
  assert.equal(found(controlledMessagePassing(false), lkmm), "assertion");
  assert.equal(found(controlledMessagePassing(true), lkmm), undefined);
});

test("wq_has_sleeper's barrier keeps the waker from missing a sleeper that missed the condition", () => {
  for (const memoryModel of [tso, lkmm]) {
    assert.equal(found(waker(false), memoryModel), "deadlock", memoryModel.name);
    assert.equal(found(waker(true), memoryModel), undefined, memoryModel.name);
  }
});

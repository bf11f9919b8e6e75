// Which locations a thread may still write and read from a point of its run
// on (futureAccesses.ts): every continuation, each read taking any value its
// location can hold; "not known" past the search's bound.

import { test } from "node:test";
import assert from "node:assert/strict";
import { model } from "../../src/index.ts";
import { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { FutureAccesses, QUICK_DOMAIN_BUDGET } from "../../src/explore/futureAccesses.ts";
import { ThreadReplayer } from "../../src/runtime/threadReplayer.ts";
import { newEvent, setReadValue } from "../../src/explore/eventFactory.ts";

const m = model("branching writer", (b) => {
  const f = b.location("f", 0);
  const y = b.location("y", 0);
  const z = b.location("z", 0);
  b.thread("reader", function* (t) {
    if ((yield* t.read(f)) === 1) yield* t.write(y, 1);
    else yield* t.write(z, 1);
  });
  b.thread("setter", function* (t) {
    yield* t.write(f, 1);
  });
});
// Location ids, in the order declared.
const [f, y, z] = [0, 1, 2];

test("from its start a thread may write what any value of its reads leads it to", () => {
  const g = ExecutionGraph.initial(m.initial, m.threads.length);
  const writes = new FutureAccesses(m, 100, "sc");
  assert.deepEqual([...writes.after(g, 0, 0)!.writes].sort(), [y, z]);
  assert.deepEqual([...writes.after(g, 0, 0)!.reads], [f]);
  assert.deepEqual([...writes.after(g, 1, 0)!.writes], [f]);
  assert.deepEqual([...writes.after(g, 1, 0)!.reads], []);
});

test("past a read, only what the value it read leads to", () => {
  const g = ExecutionGraph.initial(m.initial, m.threads.length);
  const replayer = new ThreadReplayer(m, 100, undefined, "sc");
  const r = newEvent(g, 0, replayer.pending(g, 0));
  g.threads[0]!.push(r);
  setReadValue(r, 1);
  const writes = new FutureAccesses(m, 100, "sc");
  assert.deepEqual([...writes.after(g, 0, 1)!.writes], [y]);
  assert.deepEqual([...writes.after(g, 0, 1)!.reads], []);
  setReadValue(r, 0);
  assert.deepEqual([...writes.after(g, 0, 1)!.writes], [z]);
});

test("a thread whose runs outgrow the search is not known", () => {
  const counting = model("counting", (b) => {
    const c = b.location("c", 0);
    b.thread("counter", function* (t) {
      for (let i = 0; i < 40; i++) yield* t.write(c, (yield* t.read(c)) + 1);
    });
  });
  const g = ExecutionGraph.initial(counting.initial, counting.threads.length);
  assert.equal(new FutureAccesses(counting, 2000, "sc").after(g, 0, 0), undefined);
});

test("writes other than a lock acquisition or its holder's release are told apart (lockWords.ts)", () => {
  const locks = model("lock words", (b) => {
    const lock = b.location("lock", 0);
    const x = b.location("x", 0);
    b.thread("locker", function* (t) {
      yield* t.awaitRmw(lock, (v) => v === 0, () => 1, "acquire");
      yield* t.write(x, 1);
      yield* t.write(lock, 0, "release");
    });
    b.thread("stray", function* (t) {
      yield* t.write(lock, 0, "release");
    });
    b.thread("exchanger", function* (t) {
      yield* t.xchg(lock, 1);
    });
    b.thread("grabber", function* (t) {
      yield* t.awaitRmw(lock, () => true, () => 1, "acquire");
    });
  });
  const [lock, x] = [0, 1];
  const g = ExecutionGraph.initial(locks.initial, locks.threads.length);
  const future = new FutureAccesses(locks, 100, "sc");
  const nonLock = (tid: number) => [...future.after(g, tid, 0)!.nonLockWrites].sort();
  assert.deepEqual(nonLock(0), [x]);
  assert.deepEqual([...future.after(g, 0, 0)!.writes].sort(), [lock, x]);
  // A release by a thread that does not hold the lock, an xchg, an acquisition that also succeeds on the locked value.
  assert.deepEqual(nonLock(1), [lock]);
  assert.deepEqual(nonLock(2), [lock]);
  assert.deepEqual(nonLock(3), [lock]);
});

test("whether the value domains are known within a budget does not depend on the searches made before", () => {
  // Ten reads, each of 0 or 1: the search follows 2^10 runs, more than the quick budget allows.
  const many = model("many reads", (b) => {
    const x = b.location("x", 0);
    b.thread("reader", function* (t) {
      for (let i = 0; i < 10; i++) yield* t.read(x);
    });
    b.thread("writer", function* (t) {
      yield* t.write(x, 1);
    });
  });
  const first = new FutureAccesses(many, 100, "sc");
  assert.equal(first.valuesOf(0, QUICK_DOMAIN_BUDGET), undefined);
  assert.deepEqual([...first.valuesOf(0)!].sort(), [0, 1]);
  // Found by the full search, they are still not known within the quick budget, in this run or the next.
  assert.equal(first.valuesOf(0, QUICK_DOMAIN_BUDGET), undefined);
  assert.equal(new FutureAccesses(many, 100, "sc").valuesOf(0, QUICK_DOMAIN_BUDGET), undefined);
  assert.deepEqual([...new FutureAccesses(many, 100, "sc").valuesOf(0)!].sort(), [0, 1]);
});

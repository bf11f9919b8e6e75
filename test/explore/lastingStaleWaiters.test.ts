// A waiter left on a stale value by a later write x is not explored further
// once no revisit can take x away: either x is followed by an event no
// revisit deletes, or no write still to come can revisit a read added
// before x without having x in its prefix (every revisit that deletes x
// revisits such a read; one that keeps x freezes it), or each such revisit
// would delete an event no revisit may delete. Every graph below would end
// blocked. The executions, deadlocks and failures are those
// of the explorer that explores and counts every blocked graph
// (`pruneStaleAwaits: false`, checked against the brute-force oracle in
// optimalVsOracle.test.ts). On a lock word a waiting lock acquisition is
// taken out of the graph instead (lockReissue.ts): the locks here are
// not lock words, so that the waiters stay (see takeLock).

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type ExplorationResult, type Model } from "../../src/index.ts";
import { faultTruncate } from "../../examples/faultTruncate.ts";
import { randomProgram } from "../support/randomProgram.ts";
import type { ThreadContext } from "../../src/program/threadContext.ts";
import type { Loc } from "../../src/program/value.ts";

const PROGRAMS = Number(process.env.PAGERACE_PRUNING_PROGRAMS ?? 4000);
const FIRST_SEED = Number(process.env.PAGERACE_PRUNING_SEED ?? 300001);

/**
 * A lock that takes 0 or 2 and is released with 2: its word is no lock word
 * (a lock word's release writes its initial value, lockWords.ts), so a
 * waiting acquisition stays in the graph rather than being issued again
 * (lockReissue.ts), and these tests see the rule for waiters that stay.
 */
function* takeLock(t: ThreadContext, lock: Loc) {
  yield* t.awaitRmw(lock, (v) => v !== 1, () => 1, "acquire");
}

function* dropLock(t: ThreadContext, lock: Loc) {
  yield* t.write(lock, 2, "release");
}

function both(m: Model): { pruned: ExplorationResult; eager: ExplorationResult } {
  const pruned = explore(m, { stopOnViolation: false });
  const eager = explore(m, { stopOnViolation: false, pruneStaleAwaits: false });
  const real = (r: ExplorationResult) => [r.executions, r.deadlocks, r.assertionFailures, r.duplicates];
  assert.deepEqual(real(pruned), real(eager), `${m.name}: executions, deadlocks, failures, duplicates`);
  return { pruned, eager };
}

test("a lock taken over and then released, when nothing else is left to write: no blocked exploration", () => {
  // b's acquisition takes the lock a had taken (a revisit), so a waits on b's acquisition;
  // b's unlock overtakes a in the graph where it does not revisit a. Then both threads are
  // done or waiting: no write is left to take the unlock away, and a would stay behind.
  const m = model("lock taken over", (b) => {
    const lock = b.location("lock", 0);
    const x = b.location("x", 0);
    for (const name of ["a", "b"]) {
      b.thread(name, function* (t) {
        yield* takeLock(t, lock);
        yield* t.write(x, 1);
        yield* dropLock(t, lock);
      });
    }
  });
  const { pruned, eager } = both(m);
  assert.equal(pruned.executions, 2);
  assert.equal(eager.blocked, 2);
  assert.equal(pruned.blocked, 0);
});

test("a thread yet to run that never writes the lock does not keep the overtaken waiter explored", () => {
  // c may still run, but no run of c writes the lock (futureAccesses.ts): no write still to
  // come can revisit a's acquisition or b's, which every revisit deleting b's unlock needs.
  const m = model("lock taken over, bystander", (b) => {
    const lock = b.location("lock", 0);
    const x = b.location("x", 0);
    const y = b.location("y", 0);
    for (const name of ["a", "b"]) {
      b.thread(name, function* (t) {
        yield* takeLock(t, lock);
        yield* t.write(x, 1);
        yield* dropLock(t, lock);
      });
    }
    b.thread("c", function* (t) {
      if ((yield* t.read(x)) === 1) yield* t.write(y, 1);
    });
  });
  const { pruned, eager } = both(m);
  assert.ok(eager.blocked > 0);
  assert.equal(pruned.blocked, 0);
});

/**
 * Two threads take a lock in turn while a reader reads f and a writer
 * writes it; with `writerReadsLock`, the writer reads the lock first.
 */
function lockTakenOver(writerReadsLock: boolean) {
  return model(`lock taken over, earlier reader, later writer${writerReadsLock ? " that reads the lock" : ""}`, (b) => {
    const lock = b.location("lock", 0);
    const f = b.location("f", 0);
    b.thread("reader", function* (t) {
      yield* t.read(f);
    });
    for (const name of ["a", "b"]) {
      b.thread(name, function* (t) {
        yield* takeLock(t, lock);
        yield* dropLock(t, lock);
      });
    }
    b.thread("writer", function* (t) {
      if (writerReadsLock) yield* t.read(lock);
      yield* t.write(f, 1);
    });
  });
}

test("a write still to come whose revisit would delete a frozen event does not keep the waiter explored", () => {
  // The writer may still write f, and the reader read f before the locks were taken; but
  // revisiting that read would delete b's acquisition, which b's revisit of a froze, and
  // the writer reads nothing that could put b's acquisition in its prefix.
  const { pruned, eager } = both(lockTakenOver(false));
  assert.equal(pruned.executions, 4);
  assert.ok(eager.blocked > 0);
  assert.equal(pruned.blocked, 0);
});

test("a write still to come that may read the lock may have the frozen acquisition in its prefix", () => {
  // As above, but the writer reads the lock first: reading b's release puts b's acquisition
  // in its write's prefix, and its revisit of the reader's read then deletes the release.
  const { pruned, eager } = both(lockTakenOver(true));
  assert.equal(pruned.executions, 20);
  assert.ok(pruned.blocked < eager.blocked);
});

test("FT(2,2) and FT(4,4): no waiter overtaken by an unlock is explored", () => {
  // In FT(4,4) the truncate still has pages to go when it unlocks one a fault waits on; its
  // later writes may revisit the faults' reads of those pages, but each comes after the
  // unlock, so such a revisit keeps the unlock (and freezes it).
  const small = both(faultTruncate(2, 2, "fixed")).pruned;
  assert.equal(small.executions, 18);
  assert.equal(small.blocked, 0);
  const { pruned, eager } = both(faultTruncate(4, 4, "fixed"));
  assert.equal(pruned.executions, 648);
  assert.ok(eager.blocked > 0);
  assert.equal(pruned.blocked, 0);
});

test("a waiter overtaken while a later write may still revisit it is explored", () => {
  // When "one" overtakes the waiter, "two" may still write 0, revisit the waiter and so
  // take "one"'s write away: those executions are only below the overtaken graph.
  const m = model("overtaken, then released", (b) => {
    const f = b.location("f", 0);
    b.thread("waiter", function* (t) {
      yield* t.await(f, (v) => v === 0);
    });
    b.thread("one", function* (t) {
      yield* t.write(f, 1);
    });
    b.thread("two", function* (t) {
      yield* t.write(f, 2);
      yield* t.write(f, 0);
    });
  });
  const { pruned, eager } = both(m);
  assert.equal(pruned.executions, 6);
  assert.equal(pruned.deadlocks, 1);
  assert.ok(pruned.blocked < eager.blocked);
});

test(`the explorer that cuts stale waiters short agrees with the one that does not on ${PROGRAMS} larger random programs`, () => {
  // Among these, waiters are cut short for every reason above, including a frozen event
  // that a write still to come would delete and a write that may read its way to it.
  let blocked = 0;
  let eagerBlocked = 0;
  for (let seed = FIRST_SEED; seed < FIRST_SEED + PROGRAMS; seed++) {
    const { model: m, text } = randomProgram(seed, 2);
    const pruned = explore(m, { stopOnViolation: false });
    const eager = explore(m, { stopOnViolation: false, pruneStaleAwaits: false });
    const real = (r: ExplorationResult) => [r.executions, r.deadlocks, r.assertionFailures, r.duplicates];
    assert.deepEqual(real(pruned), real(eager), `seed ${seed}: ${text}`);
    assert.ok(pruned.blocked <= eager.blocked, `seed ${seed}: more blocked explorations when cutting short`);
    blocked += pruned.blocked;
    eagerBlocked += eager.blocked;
  }
  assert.ok(blocked < eagerBlocked);
});

// An await that the latest write does not let through waits its turn: its
// thread issues the read once the latest write lets it through, or when no
// other thread can move. Such a waiter is then never overtaken by a later
// write, which would leave it on a stale value (a blocked exploration). The
// executions, deadlocks and final states are those of the explorer that
// issues the await at once (`pruneStaleAwaits: false`, checked against the
// brute-force oracle in optimalVsOracle.test.ts).

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type ExplorationResult, type Model } from "../../src/index.ts";

function both(m: Model): { held: ExplorationResult; eager: ExplorationResult } {
  const held = explore(m, { stopOnViolation: false });
  const eager = explore(m, { stopOnViolation: false, pruneStaleAwaits: false });
  const real = (r: ExplorationResult) => [r.executions, r.deadlocks, r.assertionFailures, r.duplicates];
  assert.deepEqual(real(held), real(eager), `${m.name}: executions, deadlocks, failures, duplicates`);
  return { held, eager };
}

test("a flag awaited before it is set: no blocked exploration", () => {
  const m = model("await-before-set", (b) => {
    const flag = b.location("flag", 0);
    b.thread("waiter", function* (t) {
      yield* t.await(flag, (v) => v === 1);
    });
    b.thread("setter", function* (t) {
      yield* t.write(flag, 1);
    });
  });
  const { held, eager } = both(m);
  assert.equal(held.executions, 1);
  assert.equal(eager.blocked, 1, "issued at once, the await reads 0 and the write leaves it behind");
  assert.equal(held.blocked, 0);
});

test("a lock found held is asked for again once it is released", () => {
  // The holder keeps the lock until the starter's flag comes; the contender, after it in
  // the schedule, finds the lock held and asks again only once the release lets it through.
  const m = model("lock-held-across-a-wait", (b) => {
    const lock = b.location("lock", 0);
    const go = b.location("go", 0);
    b.thread("holder", function* (t) {
      yield* t.awaitRmw(lock, (v) => v === 0, () => 1, "acquire");
      yield* t.await(go, (v) => v === 1);
      yield* t.write(lock, 0, "release");
    });
    b.thread("contender", function* (t) {
      yield* t.awaitRmw(lock, (v) => v === 0, () => 1, "acquire");
      yield* t.write(lock, 0, "release");
    });
    b.thread("starter", function* (t) {
      yield* t.write(go, 1);
    });
  });
  const { held, eager } = both(m);
  assert.equal(held.executions, 2);
  assert.equal(eager.blocked, 4);
  // The contender's and the holder's own waits are never overtaken. The holder overtaken
  // while it waits for a lock the contender took first (by a revisit) is not explored
  // further either: the starter, the one thread left to write, never writes the lock
  // (lastingStaleWaiters.test.ts).
  assert.equal(held.blocked, 0);
});

test("an await that nothing ever lets through is still a deadlock", () => {
  const m = model("never-set", (b) => {
    const flag = b.location("flag", 0);
    const other = b.location("other", 0);
    b.thread("waiter", function* (t) {
      yield* t.await(flag, (v) => v === 1);
    });
    b.thread("bystander", function* (t) {
      yield* t.write(other, 1);
      yield* t.write(flag, 2);
    });
  });
  const { held } = both(m);
  assert.equal(held.deadlocks, 1);
  assert.equal(held.blocked, 0);
});

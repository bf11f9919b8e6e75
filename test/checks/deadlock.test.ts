import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { lockBit, setBit } from "../../src/kernel/index.ts";
import { abba, ordered, selfDeadlock } from "../../examples/lockOrder.ts";

test("a lock taken twice by one thread is a deadlock with a one-thread cycle", () => {
  const r = explore(selfDeadlock);
  const v = r.violations[0]!.outcome.violation!;
  assert.equal(v.kind, "deadlock");
  assert.deepEqual(v.deadlock!.cycle, ["writer", "writer"]);
  assert.deepEqual(
    v.deadlock!.waits.map((w) => [w.thread, w.location, w.heldBy, w.waitsIn]),
    [["writer", "page1.locked", "writer", "lock_page"]],
  );
});

test("ABBA is a deadlock with the two-thread cycle; one lock order verifies", () => {
  const r = explore(abba, { stopOnViolation: false });
  assert.ok(r.deadlocks >= 1);
  const v = r.violations.find((x) => x.outcome.violation!.kind === "deadlock")!.outcome.violation!;
  assert.deepEqual(v.deadlock!.cycle, ["T1", "T2", "T1"]);
  assert.match(v.message, /T1 waits in lock_page on B\.locked \(sees 1, written by T2\)/);
  const ok = explore(ordered, { stopOnViolation: false });
  assert.equal(ok.violations.length, 0);
  assert.equal(ok.executions, 2);
});

test("the holder of a bit lock is the thread that set the bit, not a later writer of another bit in the word", () => {
  const md = model("relock-with-neighbour", (m) => {
    const flags = m.location("P.flags");
    const lruSet = m.location("lru_set");
    const locked = { loc: flags, bit: 0, name: "PG_locked(P)" };
    m.thread("writer", function* (t) {
      yield* lockBit(t, locked);
      yield* t.await(lruSet, (v) => v === 1);
      yield* lockBit(t, locked);
    });
    m.thread("lru", function* (t) {
      yield* setBit(t, { loc: flags, bit: 4, name: "PG_lru(P)" });
      yield* t.write(lruSet, 1);
    });
  });
  const deadlocks = explore(md, { stopOnViolation: false }).violations.map((v) => v.outcome.violation!);
  assert.ok(deadlocks.length > 0);
  for (const v of deadlocks) assert.deepEqual(v.deadlock!.cycle, ["writer", "writer"]);
});

test("a lock whose holder returned is named as such in the headline, not left as a bare deadlock", () => {
  const md = model("exited holding", (m) => {
    const lock = m.location("L");
    const x = m.location("x");
    m.thread("T1", function* (t) {
      yield* t.awaitRmw(lock, (v) => v === 0, () => 1, "acquire", "spin_lock(L)");
    });
    m.thread("T2", function* (t) {
      yield* t.write(x, 1);
      yield* t.awaitRmw(lock, (v) => v === 0, () => 1, "acquire", "spin_lock(L)");
      yield* t.write(lock, 0, "release");
    });
  });
  const deadlocks = explore(md, { stopOnViolation: false }).violations.map((v) => v.outcome.violation!).filter((v) => v.kind === "deadlock");
  assert.ok(deadlocks.length > 0);
  for (const v of deadlocks) {
    assert.equal(v.deadlock!.cycle, undefined);
    assert.equal(v.message.split("\n")[0], "deadlock: T1 exited holding L; T2 waits for L");
  }
});

test("a waiter that keeps its own value unacceptable is not named as the holder: the message says who wrote last", () => {
  // The word starts held (1); the waiter marks itself as waiting (2, still not 0) and waits for 0, which nobody writes.
  const md = model("waits-after-marking", (m) => {
    const word = m.location("word", 1);
    m.thread("sleeper", function* (t) {
      yield* t.rmw(word, (v) => (v === 0 ? 0 : 2), "mb", "mark waiting");
      yield* t.await(word, (v) => v === 0);
    });
  });
  const v = explore(md).violations[0]!.outcome.violation!;
  assert.equal(v.kind, "deadlock");
  // The holder is whoever made the word unacceptable first: here nobody, the initial value.
  assert.equal(v.deadlock!.waits[0]!.heldBy, undefined);
  assert.match(v.message, /sleeper waits in await on word \(sees 2; no write since the initial value lets it through; last written by sleeper\)/);
});

test("the waiter's value is named as the model describes it, and a word unacceptable from the start says so", () => {
  // A lock word that starts held: the waiter sees the initial value, which nobody wrote.
  const md = model("starts-held", (m) => {
    const word = m.location("word", 1);
    m.describe(word, (v) => (v === 0 ? "free" : v === 1 ? "held" : undefined));
    m.thread("waiter", function* (t) {
      yield* t.await(word, (v) => v === 0, "acquire", "lock");
    });
  });
  const v = explore(md).violations[0]!.outcome.violation!;
  assert.equal(v.kind, "deadlock");
  assert.match(v.message, /waiter waits in lock on word \(sees held, the initial value\)$/m);
});

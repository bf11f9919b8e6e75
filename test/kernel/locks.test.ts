// The kernel's locks as thread code: mutual exclusion, the rwsem's writer
// preference, and the misuse reports (bad unlock, sleeping in atomic context).

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { downRead, downWrite, downWriteTrylock, mutexLock, mutexUnlock, rcuReadLock, rcuReadUnlock, spinLock, spinTrylock, spinUnlock, upRead, upWrite } from "../../src/kernel/index.ts";
import { lockBit, trylockBit, unlockBit } from "../../src/kernel/bitLock.ts";

function firstViolation(md: ReturnType<typeof model>) {
  return explore(md).violations[0]?.outcome.violation;
}

test("spin_lock excludes: two unlocked increments lose an update, locked ones never do", () => {
  const counter = (locked: boolean) =>
    model(`counter-${locked}`, (m) => {
      const x = m.location("x");
      const lock = m.location("lock");
      for (const name of ["A", "B"])
        m.thread(name, function* (t) {
          if (locked) yield* spinLock(t, lock);
          const v = yield* t.read(x);
          yield* t.write(x, v + 1);
          if (locked) yield* spinUnlock(t, lock);
        });
      m.forall("no lost update", (s) => s.int(x) === 2);
    });
  assert.match(firstViolation(counter(false))!.message, /no lost update/);
  const r = explore(counter(true));
  assert.equal(r.violations.length, 0);
  assert.equal(r.executions, 2);
});

test("spin_trylock fails on a held lock and then owns nothing to unlock", () => {
  const md = model("trylock", (m) => {
    const lock = m.location("lock", 1);
    m.thread("T", function* (t) {
      const got = yield* spinTrylock(t, lock);
      t.assert(!got, "trylock took a held lock");
      yield* spinUnlock(t, lock);
    });
  });
  assert.match(firstViolation(md)!.message, /misuse: releasing lock \(spinlock\), which T does not hold/);
});

test("sleeping under a spinlock or in an RCU read section is reported as misuse", () => {
  const underSpin = model("mutex-under-spinlock", (m) => {
    const spin = m.location("ptl");
    const mutex = m.location("i_mutex");
    m.thread("T", function* (t) {
      yield* spinLock(t, spin);
      t.step("mutex_lock");
      yield* mutexLock(t, mutex);
    });
  });
  assert.match(firstViolation(underSpin)!.message, /sleeping in atomic context: mutex_lock\(i_mutex\) while holding spinlock ptl \(step mutex_lock\)/);
  const inRcu = model("lock_page-in-rcu", (m) => {
    const flags = m.location("P.flags");
    m.thread("T", function* (t) {
      yield* rcuReadLock(t);
      yield* lockBit(t, { loc: flags, bit: 0, name: "PG_locked(P)" });
    });
  });
  assert.match(firstViolation(inRcu)!.message, /sleeping in atomic context: lock_page\(PG_locked\(P\)\) while inside rcu_read_lock\(\)/);
  const unbalanced = model("rcu-unbalanced", (m) => {
    m.location("x");
    m.thread("T", function* (t) {
      yield* rcuReadUnlock(t);
    });
  });
  assert.match(firstViolation(unbalanced)!.message, /rcu_read_unlock\(\) without rcu_read_lock\(\)/);
});

test("a mutex is released by its owner only; a page lock by anyone, but only when locked", () => {
  const foreign = model("foreign-mutex-unlock", (m) => {
    const mutex = m.location("m", 1);
    m.thread("T", function* (t) {
      yield* mutexUnlock(t, mutex);
    });
  });
  assert.match(firstViolation(foreign)!.message, /releasing m \(mutex\), which T does not hold/);
  const pageLock = (initiallyLocked: boolean) =>
    model(`unlock_page-${initiallyLocked}`, (m) => {
      const flags = m.location("P.flags", initiallyLocked ? 1 : 0);
      m.thread("io-completion", function* (t) {
        yield* unlockBit(t, { loc: flags, bit: 0, name: "PG_locked(P)" });
      });
    });
  assert.equal(firstViolation(pageLock(true)), undefined);
  assert.match(firstViolation(pageLock(false))!.message, /unlock_page\(PG_locked\(P\)\) on an unlocked PG_locked\(P\)/);
});

test("trylock_page never sleeps: under contention one thread gets the lock, the other backs off", () => {
  const md = model("trylock_page", (m) => {
    const flags = m.location("P.flags");
    const owners = m.location("owners");
    for (const name of ["A", "B"])
      m.thread(name, function* (t) {
        const bit = { loc: flags, bit: 0, name: "PG_locked(P)" };
        if (!(yield* trylockBit(t, bit))) return;
        yield* t.rmw(owners, (v) => v + 1, "mb", "own");
        yield* unlockBit(t, bit);
      });
    m.forall("someone owned the page", (s) => s.int(owners) >= 1);
  });
  const r = explore(md);
  assert.equal(r.violations.length, 0);
  assert.equal(r.deadlocks, 0);
  assert.ok(r.executions >= 3);
});

test("rw_semaphore: readers share, a waiting writer blocks new readers (nested down_read deadlocks)", () => {
  const shared = model("two-readers", (m) => {
    const sem = m.location("sem");
    const inside = m.location("inside");
    const peak = m.location("peak");
    for (const name of ["A", "B"])
      m.thread(name, function* (t) {
        yield* downRead(t, sem);
        const n = yield* t.rmw(inside, (v) => v + 1, "mb", "enter");
        if (n === 1) yield* t.write(peak, 2);
        yield* t.rmw(inside, (v) => v - 1, "mb", "leave");
        yield* upRead(t, sem);
      });
    m.forall("readers never overlap", (s) => s.int(peak) !== 2);
  });
  // Readers share: the overlap is reachable.
  assert.match(firstViolation(shared)!.message, /readers never overlap/);

  // down_read; (a writer queues); down_read again: the second read waits for the writer, which waits for the first.
  const nested = model("nested-down_read", (m) => {
    const sem = m.location("mmap_lock");
    m.thread("reader", function* (t) {
      yield* downRead(t, sem);
      t.step("nested fault: down_read again");
      yield* downRead(t, sem);
      yield* upRead(t, sem);
      yield* upRead(t, sem);
    });
    m.thread("writer", function* (t) {
      yield* downWrite(t, sem);
      yield* upWrite(t, sem);
    });
  });
  const v = explore(nested).violations[0]?.outcome.violation;
  assert.equal(v?.kind, "deadlock");
  assert.match(v!.message, /reader waits in down_read\(mmap_lock\)/);
});

test("down_write_trylock: takes a free semaphore, fails while it is held or a writer waits, and excludes readers once taken", () => {
  const md = model("write-trylock", (m) => {
    const sem = m.location("sem");
    const inside = m.location("inside");
    m.thread("trier", function* (t) {
      if (!(yield* downWriteTrylock(t, sem))) return { took: 0 };
      yield* t.rmw(inside, (v) => v + 1, "mb", "enter");
      yield* t.rmw(inside, (v) => v - 1, "mb", "leave");
      yield* upWrite(t, sem);
      return { took: 1 };
    });
    m.thread("reader", function* (t) {
      yield* downRead(t, sem);
      const n = yield* t.rmw(inside, (v) => v + 1, "mb", "enter");
      t.assert(n === 0, "a reader inside together with the writer");
      yield* t.rmw(inside, (v) => v - 1, "mb", "leave");
      yield* upRead(t, sem);
    });
  });
  const outcomes = new Set<number>();
  const r = explore(md, { stopOnViolation: false, onExecution: (_g, o) => outcomes.add(o.final.result("trier")?.took as number) });
  assert.equal(r.violations.length, 0);
  assert.equal(r.deadlocks, 0);
  // It takes the semaphore when the reader is out, fails when the reader is in.
  assert.deepEqual([...outcomes].sort(), [0, 1]);
});

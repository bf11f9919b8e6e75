// lockdep's "lock held when returning to user space": a thread whose
// function returns with a lock held is a violation naming the thread and
// the lock, unless the model declares that someone else releases it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { downRead, kernelThread, lockBit, mayExitHolding, mutexLock, rcuReadLock, spinLock, spinUnlock, unlockBit } from "../../src/kernel/index.ts";

const locked = (m: { location(name: string): import("../../src/index.ts").Loc }) => ({ loc: m.location("P.flags"), bit: 0, name: "PG_locked(P)" });

test("each kind of lock left held at return is named with its thread", () => {
  const cases: [string, string][] = [
    ["spinlock", "spinlock ptl"],
    ["mutex", "mutex i_mutex"],
    ["rwsem", "rwsem-read mmap_lock"],
    ["page lock", "bit-lock PG_locked(P)"],
    ["rcu", "rcu_read_lock()"],
  ];
  for (const [kind, named] of cases) {
    const md = model(`leaks ${kind}`, (m) => {
      const ptl = m.location("ptl");
      const mutex = m.location("i_mutex");
      const sem = m.location("mmap_lock");
      const page = locked(m);
      m.thread("T", function* (t) {
        t.step("do_thing");
        if (kind === "spinlock") yield* spinLock(t, ptl);
        if (kind === "mutex") yield* mutexLock(t, mutex);
        if (kind === "rwsem") yield* downRead(t, sem);
        if (kind === "page lock") yield* lockBit(t, page);
        if (kind === "rcu") yield* rcuReadLock(t);
      });
    });
    const v = explore(md).violations[0]?.outcome.violation;
    assert.equal(v?.kind, "assertion", kind);
    assert.equal(
      v!.message,
      `assertion failed in T: misuse: T returned holding ${named} (lock held when returning to user space); if another thread releases it, declare kernelThread(t).mayExitHolding(name) (step do_thing)`,
    );
  }
});

test("a lock released before return, or declared as handed off, is not reported", () => {
  const md = model("handoff", (m) => {
    const ptl = m.location("ptl");
    const page = locked(m);
    m.thread("reader", function* (t) {
      yield* spinLock(t, ptl);
      yield* spinUnlock(t, ptl);
      // The page lock is released by I/O completion, in the other thread.
      kernelThread(t).mayExitHolding(page.name);
      yield* lockBit(t, page);
    });
    m.thread("io", function* (t) {
      mayExitHolding(t, "nothing");
      yield* t.await(page.loc, (w) => (w & 1) !== 0);
      yield* unlockBit(t, page, "end_page_read");
    });
  });
  const r = explore(md, { stopOnViolation: false });
  assert.equal(r.violations.length, 0);
  assert.equal(r.executions, 1);
});

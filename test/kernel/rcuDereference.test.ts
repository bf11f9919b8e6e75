// rcu_dereference publication written as kernel code is written: the reader
// follows the pointer it loaded, declaring no dependency, and pagerace
// orders the read through the pointer after the load (LKMM's addr), as the
// kernel's MP+onceassign+derefonce litmus test says. Each model is checked
// against the same program run through pagerace's litmus front end: same
// verdict, same number of executions, same bad-outcome count, same flags.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type ExplorationResult, type Model } from "../../src/index.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { rcuAssignPointer, rcuDereference, rcuReadLock, rcuReadUnlock, readOnce, readOncePtr, smpLoadAcquirePtr, writeOnce } from "../../src/kernel/index.ts";
import { isLoc, type Loc, type Value } from "../../src/program/value.ts";
import type { ThreadContext } from "../../src/program/threadContext.ts";
import { runLkmm } from "../litmus/lkmmStrategies.ts";

type Reader = "rcu_dereference" | "READ_ONCE, field by name" | "plain, field by name" | "smp_load_acquire";

/** Publication: the writer initialises x and publishes &x in p; the reader loads p and, if it is &x, reads x. */
function publication(reader: Reader): Model {
  return model(`publish x, reader ${reader}`, (m) => {
    const y = m.location("y", 0);
    const x = m.location("x", 0);
    const p = m.location("p", y);
    m.thread("P0", function* (t) {
      yield* writeOnce(t, x, 1);
      yield* rcuAssignPointer(t, p, x);
    });
    m.thread("P1", function* (t) {
      if (reader === "rcu_dereference") yield* rcuReadLock(t);
      const r0 = yield* loadPointer(t, reader, p);
      if (!isLoc(r0)) throw new Error("p holds a pointer");
      // The two "by name" readers read x itself, the location the model declared, not the reference they loaded: no dependency.
      const r1 = yield* readOnce(t, reader.endsWith("by name") ? x : r0);
      if (reader === "rcu_dereference") yield* rcuReadUnlock(t);
      return { r0, r1 };
    });
    // Registers hold the model's own locations, so === compares them.
    m.exists("1:r0=x /\\ 1:r1=0", (s) => s.result("P1")?.r0 === x && s.result("P1")?.r1 === 0);
  });
}

function* loadPointer(t: ThreadContext, reader: Reader, p: Loc): Generator<never, Value, Value | undefined> {
  if (reader === "rcu_dereference") return yield* rcuDereference(t, p) as Generator<never, Value, Value | undefined>;
  if (reader === "smp_load_acquire") return yield* smpLoadAcquirePtr(t, p) as Generator<never, Value, Value | undefined>;
  if (reader === "plain, field by name") return yield* t.readValue(p) as Generator<never, Value, Value | undefined>;
  return yield* readOncePtr(t, p) as Generator<never, Value, Value | undefined>;
}

const LITMUS: Record<Reader, string> = {
  rcu_dereference: "rcu_read_lock();\n  r0 = rcu_dereference(*p);\n  r1 = READ_ONCE(*r0);\n  rcu_read_unlock();",
  "READ_ONCE, field by name": "r0 = READ_ONCE(*p);\n  r1 = READ_ONCE(*x);",
  "plain, field by name": "r0 = *p;\n  r1 = READ_ONCE(*x);",
  smp_load_acquire: "r0 = smp_load_acquire(p);\n  r1 = READ_ONCE(*r0);",
};

function litmusOf(reader: Reader): string {
  return `C publication
{
  int *p=y;
  int x;
  int y=0;
}
P0(int *x, int **p)
{
  WRITE_ONCE(*x, 1);
  rcu_assign_pointer(*p, x);
}
P1(int *x, int **p)
{
  int *r0;
  int r1;
  ${LITMUS[reader]}
}
exists (1:r0=x /\\ 1:r1=0)
`;
}

function check(reader: Reader): { model: ExplorationResult; litmusBad: number; litmusCounted: number; litmusFlags: readonly string[] } {
  const r = explore(publication(reader), { memoryModel: lkmm, stopOnViolation: false, dataRaces: "warning" });
  const run = runLkmm(litmusOf(reader));
  // The model's counts must be the front end's: the same program, compiled two ways.
  assert.equal(r.executions, run.holds + run.fails, "executions");
  assert.equal(r.existsCounts[0], run.holds, "executions with the bad outcome");
  assert.equal((r.dataRaces?.executions ?? 0) > 0, run.flags.includes("data-race"), "data race");
  return { model: r, litmusBad: run.holds, litmusCounted: run.holds + run.fails, litmusFlags: run.flags };
}

test("rcu_dereference then a read through the pointer, no deps argument: the stale read is forbidden, as in MP+onceassign+derefonce", () => {
  const { model: r } = check("rcu_dereference");
  assert.equal(r.existsCounts[0], 0);
  assert.ok(r.executions >= 2, "the reader sees the old and the new pointer");
  assert.equal(r.dataRaces?.executions ?? 0, 0);
});

test("smp_load_acquire of the pointer, then a read through it: forbidden", () => {
  assert.equal(check("smp_load_acquire").model.existsCounts[0], 0);
});

test("the same reader reading x by its name, not through the loaded pointer, has no dependency: the stale read is allowed", () => {
  assert.ok(check("READ_ONCE, field by name").model.existsCounts[0]! > 0);
});

test("a plain load of the pointer and x read by name: the stale read is allowed, and the pointer load races with the publication", () => {
  const { model: r, litmusFlags } = check("plain, field by name");
  assert.ok(r.existsCounts[0]! > 0);
  assert.ok(litmusFlags.includes("data-race"));
});

test("rcu_dereference outside a read section is reported, as lockdep's RCU checking does", () => {
  const m = model("bare rcu_dereference", (mb) => {
    const x = mb.location("x", 0);
    const p = mb.location("p", x);
    mb.thread("P0", function* (t) {
      yield* rcuDereference(t, p);
    });
  });
  const r = explore(m, { memoryModel: lkmm, stopOnViolation: false });
  assert.ok(r.assertionFailures > 0);
  assert.match(JSON.stringify(r.violations.map((v) => v.outcome)), /rcu_dereference\(p\) outside an RCU read-side critical section/);
});

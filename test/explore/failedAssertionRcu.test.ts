// A failed assertion is reported only from an execution that can be
// completed consistently: under LKMM the failing thread still owes the
// rcu_read_unlock() of the section it failed in, and the grace-period
// guarantee applies to that section. Each model here is compared, under
// SC, TSO and LKMM, with the same program as a litmus test whose condition
// is the assertion's failure: the assertion fails in some execution exactly
// when herd's answer is not Never.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type Model } from "../../src/index.ts";
import { declareRcuReaders, rcuReadLock, rcuReadUnlock, synchronizeRcu } from "../../src/kernel/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { compileLitmus, parseLitmus } from "../../src/litmus/index.ts";
import { runLitmus } from "../../src/litmus/run/runLitmus.ts";

type Shape = "grace period" | "no grace period" | "store buffering";

/**
 * The reader asserts inside its read-side critical section, before
 * rcu_read_unlock(). Under SC and TSO the kernel layer builds the grace
 * period from accesses to the readers word; under LKMM read sections and
 * grace periods are LKMM's fences, whose RCU axiom gives the guarantee.
 */
function rcuModel(shape: Shape): Model {
  return model(`rcu-${shape}`, (m) => {
    declareRcuReaders(m);
    const x = m.location("x");
    const y = m.location("y");
    m.thread("updater", function* (t) {
      if (shape === "store buffering") {
        yield* t.write(y, 1, "once");
        return { r0: yield* t.read(x, "once") };
      }
      yield* t.write(x, 1, "once");
      if (shape === "grace period") yield* synchronizeRcu(t);
      yield* t.write(y, 1, "once");
      return undefined;
    });
    m.thread("reader", function* (t) {
      yield* rcuReadLock(t);
      if (shape === "store buffering") {
        yield* t.write(x, 1, "once");
        const r1 = yield* t.read(y, "once");
        t.assert(r1 !== 0, "the updater's y not seen");
        yield* rcuReadUnlock(t);
        return { r1 };
      }
      const r1 = yield* t.read(y, "once");
      const r2 = yield* t.read(x, "once");
      t.assert(!(r1 === 1 && r2 === 0), "y seen without x");
      yield* rcuReadUnlock(t);
      return { r1, r2 };
    });
  });
}

function litmusText(shape: Shape): string {
  if (shape === "store buffering") {
    return `C rcu-sb
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
P1(int *x, int *y) { int r1; rcu_read_lock(); WRITE_ONCE(*x, 1); r1 = READ_ONCE(*y); rcu_read_unlock(); }
exists (1:r1=0)
`;
  }
  return `C rcu-${shape === "grace period" ? "gp" : "nogp"}
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); ${shape === "grace period" ? "synchronize_rcu();" : ""} WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r1; int r2; rcu_read_lock(); r1 = READ_ONCE(*y); r2 = READ_ONCE(*x); rcu_read_unlock(); }
exists (1:r1=1 /\\ 1:r2=0)
`;
}

const SHAPES: readonly Shape[] = ["grace period", "no grace period", "store buffering"];

for (const shape of SHAPES) {
  for (const name of ["sc", "tso", "lkmm"]) {
    test(`${shape} under ${name}: the assertion fails exactly when the litmus condition can hold`, () => {
      const memoryModel = memoryModelNamed(name);
      const herd = runLitmus(compileLitmus(parseLitmus(litmusText(shape), "rcu.litmus")), { memoryModel });
      assert.equal(herd.incomplete, undefined);
      for (const strategy of ["optimal", "candidates"] as const) {
        const r = explore(rcuModel(shape), { memoryModel, strategy, stopOnViolation: false });
        assert.equal(r.assertionFailures > 0, herd.verdict.observation !== "Never", `${strategy}: ${r.assertionFailures} failures, herd ${herd.verdict.observation}`);
      }
    });
  }
}

test("under LKMM the failing partial graph is counted as blocked, not as a violation", () => {
  // With the grace period, the reader's failing execution exists only as a
  // partial graph (its unlock absent), which has no consistent completion.
  for (const strategy of ["optimal", "candidates"] as const) {
    const r = explore(rcuModel("grace period"), { memoryModel: memoryModelNamed("lkmm"), strategy, stopOnViolation: false });
    assert.deepEqual([r.assertionFailures, r.blocked], [0, 1], strategy);
  }
});

// Ordering classes of the atomics (checked under LKMM on store buffering),
// reference counts, and user copies that fault or come back short.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import {
  atomicInc,
  atomicIncReturn,
  copyFromUser,
  copyFromUserInatomic,
  refFreeze,
  refGetUnlessZero,
  refPutTestZero,
  smpMbAfterAtomic,
  type UserPage,
} from "../../src/kernel/index.ts";

/** SB where each side does an RMW on its own flag, then reads the other's: atomic_inc is unordered, atomic_inc_return is a full barrier. */
function storeBuffering(kind: "void" | "returning" | "void+mb") {
  return model(`SB-${kind}`, (m) => {
    const x = m.location("x");
    const y = m.location("y");
    const threads: [string, typeof x, typeof x][] = [["P0", x, y], ["P1", y, x]];
    for (const [name, mine, other] of threads)
      m.thread(name, function* (t) {
        if (kind === "returning") yield* atomicIncReturn(t, mine);
        else yield* atomicInc(t, mine);
        if (kind === "void+mb") yield* smpMbAfterAtomic(t);
        return { r: yield* t.read(other, "once") };
      });
    m.forall("some side sees the other", (s) => s.result("P0")!.r === 1 || s.result("P1")!.r === 1);
  });
}

test("atomic_inc does not order a later read under LKMM; atomic_inc_return and smp_mb__after_atomic do", () => {
  const lkmm = memoryModelNamed("lkmm");
  assert.equal(explore(storeBuffering("void"), { memoryModel: lkmm }).violations.length, 1);
  assert.equal(explore(storeBuffering("returning"), { memoryModel: lkmm }).violations.length, 0);
  assert.equal(explore(storeBuffering("void+mb"), { memoryModel: lkmm }).violations.length, 0);
  // Under TSO every RMW is a locked instruction: a full fence.
  assert.equal(explore(storeBuffering("void"), { memoryModel: memoryModelNamed("tso") }).violations.length, 0);
});

test("page_ref_freeze excludes a speculative get: never both succeed", () => {
  const md = model("freeze-vs-get", (m) => {
    const count = m.location("_refcount", 1);
    m.thread("reclaim", function* (t) {
      return { frozen: (yield* refFreeze(t, count, 1)) ? 1 : 0 };
    });
    m.thread("lookup", function* (t) {
      return { got: (yield* refGetUnlessZero(t, count)) ? 1 : 0 };
    });
    m.forall("freeze and get exclude each other", (s) => (s.result("reclaim")!.frozen as number) + (s.result("lookup")!.got as number) === 1);
  });
  const r = explore(md);
  assert.equal(r.violations.length, 0);
  assert.equal(r.executions, 2);
});

test("dropping a reference that is not there is reported as a double free", () => {
  const md = model("double-put", (m) => {
    const count = m.location("P._refcount", 1);
    m.thread("T", function* (t) {
      t.step("put_page");
      yield* refPutTestZero(t, count);
      t.step("put_page again");
      yield* refPutTestZero(t, count);
    });
  });
  const v = explore(md).violations[0]!.outcome.violation!;
  assert.match(v.message, /misuse: dropping a reference to P\._refcount at count 0: dropped twice, never taken, or lost to a count overwritten under its holder \(step put_page again\)/);
});

test("copy_from_user faults a missing page in; the atomic copy stops short instead", () => {
  const md = (atomic: boolean) =>
    model(`copy-${atomic}`, (m) => {
      const pte = m.location("pte");
      const page: UserPage = {
        name: "buf",
        *present(t) {
          return (yield* t.read(pte)) !== 0;
        },
        *fault(t) {
          yield* t.write(pte, 1);
          return true;
        },
      };
      m.thread("T", function* (t) {
        const copied = atomic ? yield* copyFromUserInatomic(t, [page]) : yield* copyFromUser(t, [page]);
        return { copied };
      });
      m.forall("the copy is complete", (s) => s.result("T")!.copied === 1);
    });
  assert.equal(explore(md(false)).violations.length, 0);
  assert.equal(explore(md(true)).violations.length, 1);
});

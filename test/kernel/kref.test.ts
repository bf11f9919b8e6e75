// kref: the last kref_put runs the release exactly once, after every other
// holder's put; a get on a released object and a put too many are misuse.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { Kref, krefGet, krefGetUnlessZero, krefPut } from "../../src/kernel/index.ts";

test("kref_put: the release runs once, in whichever thread drops the last reference", () => {
  const r = explore(
    model("two holders", (m) => {
      const k = new Kref(m, "obj", 2);
      const released = m.location("released", 0);
      for (const name of ["a", "b"])
        m.thread(name, function* (t) {
          const last = yield* krefPut(t, k, function* (t) {
            yield* t.write(released, (yield* t.read(released, "once")) + 1, "once");
          });
          return { last: last ? 1 : 0 };
        });
      m.forall("released once", (s) => s.int(released) === 1);
      m.forall("exactly one thread was last", (s) => (s.result("a")!.last as number) + (s.result("b")!.last as number) === 1);
      m.exists("a was last", (s) => s.result("a")?.last === 1);
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.ok(r.exhaustive && [...r.existsCounts.values()][0]! > 0);
});

test("kref_get after the release is refcount_t's use-after-free; kref_get_unless_zero refuses instead", () => {
  const uaf = explore(
    model("get after release", (m) => {
      const k = new Kref(m, "obj");
      m.thread("put", function* (t) {
        yield* krefPut(t, k, function* () {});
      });
      m.thread("lookup", function* (t) {
        yield* krefGet(t, k);
      });
    }),
  );
  assert.match(uaf.violations[0]!.outcome.violation!.message, /addition on 0; use-after-free/);
  const safe = explore(
    model("get unless zero", (m) => {
      const k = new Kref(m, "obj");
      m.thread("put", function* (t) {
        yield* krefPut(t, k, function* () {});
      });
      m.thread("lookup", function* (t) {
        if (yield* krefGetUnlessZero(t, k)) yield* krefPut(t, k, function* () {});
      });
    }),
  );
  assert.equal(safe.violations.length, 0, safe.violations[0]?.outcome.violation?.message);
  const twice = explore(
    model("put twice", (m) => {
      const k = new Kref(m, "obj");
      m.thread("t", function* (t) {
        yield* krefPut(t, k, function* () {});
        yield* krefPut(t, k, function* () {});
      });
    }),
  );
  assert.match(twice.violations[0]!.outcome.violation!.message, /underflow/);
});

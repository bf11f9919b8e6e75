// `t.read(x)` without yield* creates an operation and drops it. Nothing
// happens, and until this was reported the model verified silently.

import { test } from "node:test";
import assert from "node:assert/strict";
import { branchOn, explore, model, ModelError } from "../../src/index.ts";

const isModelError = (pattern: RegExp) => (e: unknown) => e instanceof ModelError && pattern.test(e.message);

test("an operation created in the middle of a thread and never run is named with its thread and step", () => {
  const md = model("dropped read", (m) => {
    const x = m.location("x");
    const y = m.location("y");
    m.thread("P0", function* (t) {
      t.step("check_flag");
      t.read(x);
      yield* t.write(y, 1);
    });
  });
  assert.throws(() => explore(md), isModelError(/thread P0 created t\.read\(x, \.\.\.\) \(step check_flag\) and never ran it/));
});

test("a write as the last statement before return is caught", () => {
  const md = model("dropped final write", (m) => {
    const x = m.location("x");
    m.thread("P0", function* (t) {
      yield* t.read(x);
      t.write(x, 1);
    });
    m.forall("x is set", (s) => s.int(x) === 1);
  });
  assert.throws(() => explore(md), isModelError(/thread P0 created t\.write\(x, \.\.\.\) and never ran it: .*`yield\* t\.write\(x, \.\.\.\)`/));
});

test("a thread made only of dropped operations is caught", () => {
  const md = model("nothing yielded", (m) => {
    const x = m.location("x");
    m.thread("P0", function* (t) {
      t.fence("mb");
      t.cmpxchg(x, 0, 1);
    });
  });
  assert.throws(() => explore(md), isModelError(/thread P0 created t\.fence\(\.\.\.\)|thread P0 created t\.cmpxchg/));
});

test("an operation kept in a variable or handed to a helper before it runs is not reported", () => {
  const md = model("created then run", (m) => {
    const x = m.location("x");
    const y = m.location("y");
    m.thread("P0", function* (t) {
      const v = yield* branchOn(t, t.read(x));
      const op = v === 0 ? t.write(y, 1) : t.write(y, 2);
      yield* op;
    });
  });
  const r = explore(md);
  assert.equal(r.executions, 1);
  assert.equal(r.violations.length, 0);
});

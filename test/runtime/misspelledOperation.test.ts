// A thread calling an operation its context lacks throws a TypeError that
// does not name it (V8: "yield* (intermediate value)(intermediate value) is
// not iterable"): the failure names the call and the closest operation.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";

function failureOf(body: (t: any, x: any) => Generator<any, unknown, any>): string {
  const m = model("typo", (b) => {
    const x = b.location("x", 0);
    b.thread("P0", function* (t) {
      return yield* body(t, x);
    });
  });
  try {
    explore(m);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail("the thread should have thrown");
}

test("a misspelled operation is named, with the one meant", () => {
  const message = failureOf(function* (t, x) {
    return yield* t.raed(x);
  });
  assert.match(message, /thread P0 threw: .* \(at test\/runtime\/misspelledOperation\.test\.ts:\d+:\d+: t\.raed is not an operation of the thread context; did you mean t\.read\?\)/);
});

test("a type error of the model's own is left as it is", () => {
  const message = failureOf(function* (t, x) {
    const v: number = yield* t.read(x);
    const missing: { f?: () => void } = {};
    missing.f!();
    return v;
  });
  assert.match(message, /missing\.f is not a function \(at test\/runtime\/misspelledOperation\.test\.ts:\d+:\d+\)$/);
});

// Faults in the model itself are reported as model errors, not verdicts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, ModelError } from "../../src/index.ts";

test("thread code that differs between re-runs is reported as nondeterministic", () => {
  let runs = 0; // state kept between runs: exactly what threads must not have
  const m = model("nondeterministic", (b) => {
    const x = b.location("x");
    b.thread("A", function* (t) {
      yield* t.read(x);
      yield* t.write(x, runs++);
    });
    b.thread("B", function* (t) {
      yield* t.write(x, 5);
    });
  });
  assert.throws(() => explore(m), (e: unknown) => e instanceof ModelError && /A is not deterministic/.test(e.message));
});

test("a thread that throws names the thread and its step", () => {
  const m = model("throws", (b) => {
    const x = b.location("x");
    b.thread("A", function* (t) {
      t.step("do_thing");
      const v = yield* t.read(x);
      if (v === 0) throw new Error("boom");
    });
  });
  assert.throws(() => explore(m), /thread A threw \(step do_thing\): boom/);
});

test("yield without * is explained", () => {
  const m = model("missing star", (b) => {
    const x = b.location("x");
    b.thread("A", function* (t) {
      yield t.read(x) as never;
    });
  });
  assert.throws(() => explore(m), /yielded a generator: write `yield\* t\.read\(x\)`/);
});

test("a spin loop without await hits the event bound and is named", () => {
  const m = model("spin", (b) => {
    const flag = b.location("flag");
    b.thread("spinner", function* (t) {
      t.step("wait_for_flag");
      while ((yield* t.read(flag)) === 0) {
        /* polls forever */
      }
    });
  });
  const r = explore(m, { maxEventsPerThread: 50 });
  const v = r.violations[0]!.outcome.violation!;
  assert.equal(v.kind, "bound");
  assert.match(v.message, /spinner did not finish within 50 events \(in step wait_for_flag\): likely an unbounded loop/);
});

test("assertion failures are violations with the thread's message", () => {
  const m = model("assert", (b) => {
    const x = b.location("x");
    b.thread("A", function* (t) {
      yield* t.write(x, 1);
    });
    b.thread("B", function* (t) {
      t.assert((yield* t.read(x)) === 1, "x must be set");
    });
  });
  const r = explore(m, { stopOnViolation: false });
  assert.equal(r.assertionFailures, 1);
  assert.equal(r.executions, 1);
  assert.equal(r.violations[0]!.outcome.violation!.message, "assertion failed in B: x must be set");
});

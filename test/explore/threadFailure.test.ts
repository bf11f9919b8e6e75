// A thread that throws, in its own code or in an RMW's update function, is
// a model error reported like a failed assertion: which thread, in which
// step, the execution that led there, and a replay id that reaches it again.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/explore/explore.ts";
import { replay } from "../../src/explore/replay.ts";
import { encodeReplayId } from "../../src/explore/replayId.ts";
import { ThreadFailure } from "../../src/runtime/threadFailure.ts";
import { isModelError } from "../../src/runtime/modelError.ts";
import { throwsAfterRead, updateThrows } from "../cli/fixtures/threadErrors.ts";
import { model } from "../../src/index.ts";
import type { Value } from "../../src/program/value.ts";

function failureOf(run: () => unknown): ThreadFailure {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof ThreadFailure, `expected a ThreadFailure, got ${String(e)}`);
    return e;
  }
  assert.fail("the exploration did not throw");
}

test("an RMW update that throws names its thread and step, with the graph that fed it and a path", () => {
  const f = failureOf(() => explore(updateThrows));
  assert.ok(isModelError(f), "still a model error: the verdict cannot be trusted");
  assert.equal(f.thread, "incrementer");
  assert.equal(f.step, "inc");
  // Where the model's code threw comes last: the update's line in the fixture.
  assert.equal(f.message, "thread incrementer threw in the update of its RMW of x (step inc): update saw 5 (at test/cli/fixtures/threadErrors.ts:30:28)");
  assert.ok(f.graph !== undefined && f.path !== undefined);
  // The incrementer's read is in the graph, reading the setter's 5.
  const read = f.graph.threads[f.tid]!.at(-1)!;
  assert.equal(read.kind, "R");
  assert.equal(read.value, 5);
});

test("a thread that throws after a read carries the execution up to the throw", () => {
  const f = failureOf(() => explore(throwsAfterRead));
  assert.equal(f.message, "thread reader threw (step check_x): x was already set (at test/cli/fixtures/threadErrors.ts:16:49)");
  assert.equal(f.events, 1);
  const reader = f.graph!.threads[f.tid]!;
  assert.equal(reader.length, 1);
  assert.equal(reader[0]!.value, 1);
});

test("the failure's replay id leads back to the same failure, drawn from the same graph", () => {
  for (const m of [throwsAfterRead, updateThrows]) {
    const f = failureOf(() => explore(m));
    const again = replay(m, encodeReplayId(m, "sc", f.path!));
    assert.ok(again.failure !== undefined, m.name);
    assert.equal(again.failure.message, f.message);
    assert.equal(again.outcome.violation?.message, f.message);
    assert.deepEqual(
      again.graph.threads.map((t) => t.map((e) => [e.kind, e.loc, e.value])),
      f.graph!.threads.map((t) => t.map((e) => [e.kind, e.loc, e.value])),
    );
  }
});

test("candidate enumeration (LKMM) reports the thread too", () => {
  const f = failureOf(() => explore(throwsAfterRead, { strategy: "candidates" }));
  assert.match(f.message, /^thread reader threw \(step check_x\): x was already set \(at test\/cli\/fixtures\/threadErrors\.ts:16:49\)$/);
});

test("an RMW's update runs once per event and value: the explorer's answer is the replayer's", () => {
  // Each run of the incrementer notes the values its update was called on.
  const calls: Value[][] = [];
  const counted = model("counted update", (m) => {
    const x = m.location("x");
    m.thread("setter", function* (t) {
      yield* t.write(x, 5, "once");
    });
    m.thread("incrementer", function* (t) {
      const seen: Value[] = [];
      calls.push(seen);
      yield* t.rmwValue(x, (v) => {
        seen.push(v);
        return (v as number) + 1;
      }, "relaxed");
    });
  });
  const r = explore(counted);
  assert.equal(r.executions, 2);
  for (const seen of calls) assert.equal(new Set(seen).size, seen.length, `a run's update called twice on one value: ${seen.join(", ")}`);
  assert.ok(calls.some((seen) => seen.length > 0));
});

test("an update that reaches for the clock is caught by the determinism guard, in the thread's name", () => {
  // Only the first call of each run's update reaches for it: whoever asks first (the explorer) must be guarded too.
  const sneaky = model("sneaky update", (m) => {
    const x = m.location("x");
    m.thread("incrementer", function* (t) {
      t.step("inc");
      let first = true;
      yield* t.rmw(x, (v) => {
        if (first) {
          first = false;
          Date.now();
        }
        return v + 1;
      }, "relaxed", "sneaky_inc");
    });
  });
  assert.throws(() => explore(sneaky), (e: unknown) => isModelError(e) && /^thread incrementer called Date\.now \(step inc\)/.test((e as Error).message));
});

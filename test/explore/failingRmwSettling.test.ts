// Under LKMM a revisit may close a load-buffering cycle, after which the
// values along the cycle are computed again (valueCycles.ts). An RMW whose
// read then takes a value it fails on (a lock's await, an update giving
// nothing) writes nothing, so the graph's write half no longer fits its
// thread: that revisit is no execution. It was taken for one, the RMW's
// write given no value, and the next RMW of that location failed on it as
// a model error in the kernel's own rw_semaphore.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, formatValue, model, type Model } from "../../src/index.ts";
import { downRead, downWrite, mutexLock, mutexUnlock, upRead, upWrite } from "../../src/kernel/index.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { sc } from "../../src/models/sc.ts";

/** Thread P0 takes the rw_semaphore for writing, then the mutex; P1 the mutex, then the semaphore for reading (`twice`: P0 writes again after). */
function rwsemAndMutex(twice: boolean): Model {
  return model(`rwsem and mutex${twice ? ", written twice" : ""}`, (m) => {
    const sem = m.location("sem", 0);
    const mu = m.location("mu", 0);
    m.thread("P0", function* (t) {
      yield* downWrite(t, sem);
      yield* upWrite(t, sem);
      yield* mutexLock(t, mu);
      yield* mutexUnlock(t, mu);
      if (twice) {
        yield* downWrite(t, sem);
        yield* upWrite(t, sem);
      }
    });
    m.thread("P1", function* (t) {
      yield* mutexLock(t, mu);
      yield* downRead(t, sem);
      yield* upRead(t, sem);
      yield* mutexUnlock(t, mu);
    });
  });
}

function finalStates(m: Model, strategy: "optimal" | "candidates", memoryModel = lkmm) {
  const seen = new Set<string>();
  const r = explore(m, {
    memoryModel,
    strategy,
    stopOnViolation: false,
    onExecution: (g, o) => {
      if (o.status !== "blocked") seen.add(`${o.status} ${g.finalValues().map(formatValue)}`);
    },
  });
  return { executions: r.executions, deadlocks: r.deadlocks, states: [...seen].sort() };
}

test("an RMW that fails once values settle along a cycle: not an execution, and the rest as candidate enumeration finds them", () => {
  const small = rwsemAndMutex(false);
  const optimal = finalStates(small, "optimal");
  assert.deepEqual(optimal, finalStates(small, "candidates"));
  assert.equal(optimal.executions, 4);
});

test("the kernel's rw_semaphore and a mutex under LKMM: no model error, and the executions of SC (every access is under a lock)", () => {
  const larger = rwsemAndMutex(true);
  const weak = finalStates(larger, "optimal");
  assert.deepEqual(weak, finalStates(larger, "optimal", sc));
  assert.equal(weak.executions, 6);
});

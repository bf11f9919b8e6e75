// The TSO coherence bound on store-buffering shapes where it is easy to get
// wrong: a read of the thread's own buffered write orders nothing (rfi is
// not in the TSO order), mfence and locked instructions (failed cmpxchg
// included) order a write before a later read, other fences do not. The
// optimal explorer under the fast model must find exactly the executions
// brute force finds under the declarative one, including the one outcome
// that distinguishes TSO from SC.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type Model } from "../../src/index.ts";
import type { FenceKind } from "../../src/program/operation.ts";
import type { ThreadContext } from "../../src/program/threadContext.ts";
import type { Loc } from "../../src/program/value.ts";
import { tso, tsoDeclarative } from "../../src/models/tso.ts";

type Middle = { fence: FenceKind } | "failed-cmpxchg" | "xchg" | "none";

/**
 * SB where P0 first reads its own write of x (store forwarding); P0 puts
 * `middle` between that read and its read of y, P1 `middle1` between its
 * write and read.
 */
function sbForwarding(middle: Middle, middle1: Middle = middle): Model {
  const between = function* (t: ThreadContext, z: Loc, middle: Middle) {
    if (middle === "none") return;
    if (middle === "failed-cmpxchg") yield* t.cmpxchg(z, 5, 1);
    else if (middle === "xchg") yield* t.xchg(z, 1);
    else yield* t.fence(middle.fence);
  };
  return model("SB+rfi", (m) => {
    const x = m.location("x");
    const y = m.location("y");
    const z = m.location("z");
    m.thread("P0", function* (t) {
      yield* t.write(x, 1);
      const own = yield* t.read(x);
      yield* between(t, z, middle);
      return { own, ry: yield* t.read(y) };
    });
    m.thread("P1", function* (t) {
      yield* t.write(y, 1);
      yield* between(t, z, middle1);
      return { rx: yield* t.read(x) };
    });
  });
}

function outcomes(m: Model, strategy: "optimal" | "enumerate") {
  const seen = new Set<string>();
  const result = explore(m, {
    memoryModel: strategy === "optimal" ? tso : tsoDeclarative,
    strategy,
    stopOnViolation: false,
    onExecution: (_g, o) => void seen.add(`ry=${o.ends[0]?.kind === "done" ? o.ends[0].result?.ry : "?"} rx=${o.ends[1]?.kind === "done" ? o.ends[1].result?.rx : "?"}`),
  });
  return { executions: result.executions, both0: seen.has("ry=0 rx=0") };
}

const cases: [string, Middle, Middle, boolean][] = [
  ["nothing", "none", "none", true],
  ["smp_wmb", { fence: "wmb" }, { fence: "wmb" }, true],
  ["smp_rmb", { fence: "rmb" }, { fence: "rmb" }, true],
  ["smp_mb", { fence: "mb" }, { fence: "mb" }, false],
  // P0's read of its own write does not order its write before its read of y.
  ["smp_mb in P1 only", "none", { fence: "mb" }, true],
  ["a failed cmpxchg (locked)", "failed-cmpxchg", "failed-cmpxchg", false],
  ["an xchg (locked)", "xchg", "xchg", false],
];

for (const [name, middle, middle1, storeBuffering] of cases) {
  test(`TSO bound: SB with store forwarding and ${name} between: ${storeBuffering ? "both reads may see 0" : "not both 0"}`, () => {
    const m = sbForwarding(middle, middle1);
    const fast = outcomes(m, "optimal");
    const oracle = outcomes(m, "enumerate");
    assert.equal(fast.executions, oracle.executions);
    assert.equal(fast.both0, storeBuffering);
    assert.equal(oracle.both0, storeBuffering);
  });
}

// Knuth's estimator (stateSpaceEstimate.ts) against the counts an
// exhaustive run finds: its mean over many descents is close on trees whose
// branching varies, and exact where every descent multiplies the same
// branching factors.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type Model } from "../../src/index.ts";
import { estimateStateSpace } from "../../src/explore/stateSpaceEstimate.ts";
import { faultTruncate } from "../../examples/faultTruncate.ts";
import { IRIW, SB, fetchAdders, sbRing } from "../../bench/families.ts";
import { genmcFamily } from "../../bench/genmc/families.ts";

function explorations(m: Model): number {
  const r = explore(m, { stopOnViolation: false });
  return r.executions + r.blocked + r.deadlocks + r.assertionFailures + r.boundHits;
}

/** Threads that each write their own locations: one execution, and no choice anywhere but the one way on. */
const independentWriters = model("independent writers", (m) => {
  const xs = [m.location("a"), m.location("b"), m.location("c")];
  xs.forEach((x, i) =>
    m.thread(`W${i}`, function* (t) {
      yield* t.write(x, 1);
      yield* t.write(x, 2);
    }),
  );
});

/** One writer and readers that each read a location the others never write. */
const oneWriterReaders = model("one writer, two readers", (m) => {
  const x = m.location("x");
  const y = m.location("y");
  m.thread("W", function* (t) {
    yield* t.write(x, 1);
  });
  m.thread("R", function* (t) {
    return { r: yield* t.read(y) };
  });
});

test("on a tree where every descent meets the same branching, the estimate is exact", () => {
  for (const m of [independentWriters, oneWriterReaders]) {
    const e = estimateStateSpace(m, { descents: 50 });
    assert.equal(e.uniform, true, `${m.name}: every descent should agree`);
    assert.equal(e.explorations, explorations(m), m.name);
    assert.equal(e.standardError, 0, m.name);
  }
});

test("descents do not run the model's checks: they only tell executions from blocked runs and deadlocks", () => {
  let judged = 0;
  const counted = model("counted checks", (m) => {
    const x = m.location("x");
    for (const name of ["a", "b", "c"]) m.thread(name, function* (t) {
      yield* t.fetchAdd(x, 1);
    });
    m.forall("all counted", (s) => (judged++, s.int(x) === 3));
    m.exists("never four", (s) => (judged++, s.int(x) === 4));
  });
  const e = estimateStateSpace(counted, { descents: 20 });
  assert.ok(e.executions > 0 && e.descents === 20);
  assert.equal(judged, 0);
  explore(counted, { stopOnViolation: false });
  assert.equal(judged, 12, "each of the six executions judged by both checks, once");
});

// Seeded, so each figure is reproducible; the tolerance is what a sample mean of
// 2,000 descents allows: four standard errors, and a spread below a quarter of the count
// (FT's lopsided tree has the widest: about a fifth of FT(3,3)'s 138 explorations).
test("over many descents the mean is within four standard errors of the exhaustive count", () => {
  const models = [SB, IRIW, sbRing(3), fetchAdders(4), faultTruncate(2, 2, "fixed"), faultTruncate(3, 3, "fixed"), genmcFamily("CoA").build(3), genmcFamily("fib_bench").build(2)];
  for (const m of models) {
    const exact = explorations(m);
    const e = estimateStateSpace(m, { descents: 2000, seed: 7 });
    assert.equal(e.descents, 2000);
    assert.ok(Math.abs(e.explorations - exact) <= 4 * e.standardError + 1e-9, `${m.name}: estimate ${e.explorations} ± ${e.standardError}, exhaustive ${exact}`);
    assert.ok(e.standardError <= exact / 4, `${m.name}: spread ${e.standardError} of ${exact}`);
  }
});

test("a time limit bounds the descents, but at least one is made", () => {
  const e = estimateStateSpace(faultTruncate(3, 3, "fixed"), { descents: 1e9, timeLimitMs: 0 });
  assert.equal(e.descents, 1);
});

test("progress says how far along the estimate a run is, and when it is past it", async () => {
  const { alongText } = await import("../../src/cli/progressLine.ts");
  const p = { executions: 250, blocked: 0, explored: 250, elapsedMs: 5000, perSecond: 50 };
  assert.equal(alongText(p), "");
  assert.equal(alongText({ ...p, expected: 1000 }), ", ~25%, ETA 15 s");
  assert.equal(alongText({ ...p, expected: 200 }), ", past the estimated size");
});

test("what a run has left, estimated at a leaf it reached, is close to what it then explores, and nothing at its last leaf", async () => {
  const { estimateRemaining } = await import("../../src/explore/stateSpaceEstimate.ts");
  const { OptimalExplorer } = await import("../../src/explore/optimalExplorer.ts");
  const { ThreadReplayer } = await import("../../src/runtime/threadReplayer.ts");
  const { ExecutionRecorder } = await import("../../src/explore/executionRecorder.ts");
  const { sc } = await import("../../src/models/sc.ts");
  for (const m of [faultTruncate(3, 3, "fixed"), genmcFamily("CoA").build(3)]) {
    const total = explorations(m);
    const paths = new Map<number, number[]>();
    let explorer: InstanceType<typeof OptimalExplorer> | undefined;
    let n = 0;
    const recorder = new ExecutionRecorder(m, {
      stopOnViolation: false,
      keepViolations: 0,
      countDuplicates: false,
      progressEveryMs: Infinity,
      onExecution: () => void paths.set(++n, explorer!.path.slice()),
    });
    explorer = new OptimalExplorer(m, sc, new ThreadReplayer(m, 2000, undefined, "sc"), recorder, true);
    explorer.run();
    assert.equal(n, total);
    for (const at of [Math.floor(total / 4), Math.floor(total / 2)]) {
      const e = estimateRemaining(m, paths.get(at)!, { descents: 2000, seed: 5 });
      assert.ok(Math.abs(e.explorations - (total - at)) <= 4 * e.standardError + 1e-9, `${m.name} at ${at}: ${e.explorations} ± ${e.standardError}, exactly ${total - at}`);
    }
    assert.equal(estimateRemaining(m, paths.get(total)!, { descents: 50 }).explorations, 0, `${m.name}: nothing left at the last leaf`);
  }
});

// --max-executions N bounds a run only when something was left unexplored:
// a run whose exploration ends with exactly N explorations is complete (and
// may be verified), one that had more stops at N, bounded, and one whose
// explorer is still searching for its next execution past the count (and
// then past a short probe) is bounded too.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, type Strategy } from "../../src/explore/explore.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { readersWriter } from "../../bench/families.ts";
import { model } from "../../src/index.ts";
import { pagerace } from "../cli/pagerace.ts";

const cases: [string, Strategy, typeof lkmm | undefined][] = [
  ["optimal", "optimal", undefined],
  ["enumerate", "enumerate", undefined],
  ["candidates (LKMM)", "candidates", lkmm],
];

for (const [name, strategy, memoryModel] of cases) {
  test(`${name}: a run that ends at exactly --max-executions is complete; one short of its count is bounded`, () => {
    const m = readersWriter(3);
    const all = explore(m, { strategy, memoryModel });
    const n = all.executions;
    assert.equal(n, memoryModel === undefined ? 27 : 64);
    assert.equal(all.blocked, 0);

    const exact = explore(m, { strategy, memoryModel, maxExecutions: n });
    assert.equal(exact.executions, n);
    assert.equal(exact.bounded, undefined);
    assert.equal(exact.exhaustive, true);

    const over = explore(m, { strategy, memoryModel, maxExecutions: n + 1 });
    assert.equal(over.bounded, undefined);
    assert.equal(over.exhaustive, true);

    const short = explore(m, { strategy, memoryModel, maxExecutions: n - 1 });
    assert.equal(short.executions, n - 1, "the exploration after the count is not counted");
    assert.equal(short.bounded, `--max-executions ${n - 1} reached`);
    assert.equal(short.exhaustive, false);
  });

  test(`${name}: the exploration past --max-executions is not judged: the model's checks see what is counted only`, () => {
    let judged = 0;
    const base = readersWriter(3);
    const counting = { ...base, checks: [...base.checks, { name: "judged", kind: "forall" as const, holds: () => (judged++, true) }] };
    const short = explore(counting, { strategy, memoryModel, maxExecutions: 10 });
    assert.equal(short.executions, 10);
    assert.equal(judged, 10);
  });
}

test("blocked explorations count towards the limit, and the last one ends the run complete too", () => {
  // A lock taken by two threads: some explorations block (an await reading a stale value).
  const locked = model("two lockers", (m) => {
    const lock = m.location("lock");
    for (const name of ["A", "B"])
      m.thread(name, function* (t) {
        yield* t.awaitRmw(lock, (v) => v === 0, () => 1, "acquire", "lock");
        yield* t.write(lock, 0, "release");
      });
  });
  const all = explore(locked, { pruneStaleAwaits: false });
  const total = all.executions + all.blocked;
  assert.ok(all.blocked > 0, "the model has blocked explorations");
  const exact = explore(locked, { pruneStaleAwaits: false, maxExecutions: total });
  assert.deepEqual([exact.executions, exact.blocked, exact.bounded, exact.exhaustive], [all.executions, all.blocked, undefined, true]);
  const short = explore(locked, { pruneStaleAwaits: false, maxExecutions: total - 1 });
  assert.equal(short.executions + short.blocked, total - 1);
  assert.equal(short.bounded, `--max-executions ${total - 1} reached`);
});

test("past the count, an explorer that searches on without reaching an execution is cut off, bounded", () => {
  // One quick execution; the second takes two thousand writes, each after a millisecond or so of work.
  let writes = 0;
  const slowSecond = model("slow second execution", (m) => {
    const x = m.location("x");
    const y = m.location("y");
    m.thread("writer", function* (t) {
      yield* t.write(x, 1);
    });
    m.thread("reader", function* (t) {
      // The explorer reads the coherence-last write (1) first: that execution is quick.
      if ((yield* t.read(x)) === 1) return;
      for (let i = 0; i < 2000; i++) {
        yield* t.write(y, work(i));
        writes++;
      }
    });
  });
  const r = explore(slowSecond, { maxExecutions: 1, maxEventsPerThread: 5000 });
  assert.equal(r.executions, 1);
  assert.equal(r.bounded, "--max-executions 1 reached");
  assert.ok(writes < 2000, `stopped within its probe, not after the whole second execution (${writes} writes)`);
});

/** About a millisecond of arithmetic, deterministic. */
function work(seed: number): number {
  let h = seed;
  for (let k = 0; k < 300_000; k++) h = (Math.imul(h, 31) + k) | 0;
  return h & 1;
}

test("check: --max-executions equal to the run's executions verifies it (exit 0); one less is bounded (exit 3)", () => {
  // examples/storeBuffering.ts: SB under SC, 3 executions.
  const exact = pagerace("check", "--max-executions", "3", "examples/storeBuffering.ts");
  assert.equal(exact.code, 0, exact.out + exact.err);
  assert.match(exact.out, /\nSB +sc +verified +verified +3 +0 /);
  const short = pagerace("check", "--json", "--max-executions", "2", "examples/storeBuffering.ts");
  assert.equal(short.code, 3, short.err);
  const r = JSON.parse(short.out).results[0];
  assert.deepEqual([r.verdict, r.bounded, r.executions, r.exhaustive], ["not verified", "--max-executions 2 reached", 2, false]);
});

// Under LKMM, a graph that one sequence of revisits made and another makes
// again is explored once (revisitMemo.ts). These tests take programs where
// that happens, check that it did, and that the answers stay those of
// candidate enumeration and of the explorer without the memo; then that
// the memo's key tells apart graphs that differ in anything the explorer
// reads of them.

import { test } from "node:test";
import assert from "node:assert/strict";
import { bothStrategies, figures, runLkmm } from "../litmus/lkmmStrategies.ts";
import { randomLockLitmus } from "../litmus/randomLockLitmus.ts";
import { RevisitMemo } from "../../src/explore/revisitMemo.ts";
import { explore, model } from "../../src/index.ts";
import { compileLitmus, parseLitmus } from "../../src/litmus/index.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { holeAt, isHole, type GraphEvent } from "../../src/graph/event.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";

/**
 * Runs `f`, counting the revisits the memo skipped meanwhile and keeping a
 * copy of the first graphs it was asked about; with `off`, the memo skips
 * nothing (the explorer as it was without it).
 */
function watchingMemo<T>(f: () => T, off = false): { result: T; skipped: number; graphs: ExecutionGraph[] } {
  const proto = RevisitMemo.prototype;
  const original = proto.madeBefore;
  let skipped = 0;
  const graphs: ExecutionGraph[] = [];
  proto.madeBefore = function (this: RevisitMemo, g: ExecutionGraph) {
    if (graphs.length < 200) graphs.push(g.clone());
    const before = !off && original.call(this, g);
    if (before) skipped++;
    return before;
  };
  try {
    return { result: f(), skipped, graphs };
  } finally {
    proto.madeBefore = original;
  }
}

/** Store buffering between threads that each hold a lock taken with xchg_acquire and released with smp_store_release. */
function xchgLockedStoreBuffering(threads: number): string {
  const body = (i: number) => `P${i}(int *lk, int *x${i}, int *x${(i + 1) % threads})
{
	int r0;
	int r1;

	r0 = xchg_acquire(lk, 1);
	WRITE_ONCE(*x${i}, 1);
	r1 = READ_ONCE(*x${(i + 1) % threads});
	smp_store_release(lk, 0);
}
`;
  const all = Array.from({ length: threads }, (_, i) => `${i}:r0=0 /\\ ${i}:r1=0`).join(" /\\ ");
  return `C xchg-locked-SB-${threads}\n\n{}\n\n${Array.from({ length: threads }, (_, i) => body(i)).join("\n")}\nexists (${all})\n`;
}

test("LKMM: revisits that make a graph again are skipped on xchg-based locks, and the answer is candidate enumeration's", () => {
  const text = xchgLockedStoreBuffering(3);
  const { result, skipped } = watchingMemo(() => bothStrategies(text));
  assert.ok(skipped > 0, "no revisit made a graph made before");
  assert.deepEqual(result.auto, result.oracle);
  // The locks order the critical sections: some thread reads another's write.
  assert.equal(result.auto.observation, "Never");
});

test("LKMM: random xchg-lock litmus tests give candidate enumeration's answers, many with revisits the memo skips", () => {
  let exercised = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const text = randomLockLitmus(seed, "xchg");
    const { result, skipped } = watchingMemo(() => bothStrategies(text));
    if (skipped > 0) exercised++;
    assert.deepEqual(result.auto, result.oracle, `seed ${seed}\n${text}`);
  }
  assert.ok(exercised >= 30, `only ${exercised} programs had a revisit skipped`);
});

test("LKMM: skipping the revisits the memo skips changes no figure of herd's answer", () => {
  for (let seed = 151; seed <= 200; seed++) {
    const text = randomLockLitmus(seed, "xchg");
    const on = watchingMemo(() => figures(runLkmm(text)));
    const off = watchingMemo(() => figures(runLkmm(text)), true);
    assert.deepEqual(on.result, off.result, `seed ${seed}\n${text}`);
  }
});

test("the memo's key is the graph's: the same for a copy, different for any change the explorer would see", () => {
  const compiled = compileLitmus(parseLitmus(xchgLockedStoreBuffering(2), "sb.litmus"));
  const { graphs } = watchingMemo(() => explore(compiled.model, { memoryModel: lkmm, stopOnViolation: false }));
  assert.ok(graphs.length > 0);
  const memo = new RevisitMemo(true);
  const changes: [string, (g: ExecutionGraph) => boolean][] = [
    ["a read's source", (g) => changeSource(g)],
    ["a value", (g) => changeEvent(g, (e) => e.kind === "W", (e) => (e.value = (e.value as number) + 7))],
    ["maximality", (g) => changeEvent(g, () => true, (e) => (e.addedMax = !e.addedMax))],
    ["being frozen", (g) => changeEvent(g, () => true, (e) => (e.revisitable = !e.revisitable))],
    ["an access mode", (g) => changeEvent(g, (e) => e.kind !== "F", (e) => (e.mode = e.mode === "once" ? "acquire" : "once"))],
    ["the order events were added in", (g) => swapStamps(g)],
    ["a coherence order", (g) => swapCoherence(g)],
    ["a hole", (g) => punchHole(g)],
  ];
  const seen = new Set<string>();
  for (const g of graphs) {
    const key = memo.key(g)!;
    assert.ok(key !== undefined);
    assert.equal(memo.key(g.clone()), key);
    for (const [what, change] of changes) {
      const h = g.clone();
      if (change(h)) seen.add(what), assert.notEqual(memo.key(h), key, what);
    }
  }
  assert.deepEqual([...seen].sort(), changes.map(([what]) => what).sort(), "some change never applied");
});

test("a graph holding an RMW of a model that does not name its dependencies is not remembered", () => {
  // Load buffering around xchgs: revisits whose graphs hold RMWs.
  const m = model("xchg-LB", (b) => {
    const x = b.location("x");
    const y = b.location("y");
    b.thread("A", function* (t) {
      const r = yield* t.xchg(x, 1, "relaxed");
      yield* t.write(y, 1, "once");
      return { r };
    });
    b.thread("B", function* (t) {
      const r = yield* t.xchg(y, 2, "relaxed");
      yield* t.write(x, 2, "once");
      return { r };
    });
  });
  assert.notEqual(m.dependenciesNamed, true);
  const memo = new RevisitMemo(false);
  const { graphs } = watchingMemo(() => explore(m, { memoryModel: lkmm, stopOnViolation: false }));
  const holdingRmw = graphs.filter((g) => g.threads.some((t) => t.some((e) => e.op?.kind === "rmw")));
  assert.ok(holdingRmw.length > 0, "no revisit made a graph holding an RMW");
  for (const g of holdingRmw) assert.equal(memo.key(g), undefined);
  // The same graphs of a litmus model (which names its dependencies) have keys.
  for (const g of holdingRmw) assert.notEqual(new RevisitMemo(true).key(g), undefined);
});

function events(g: ExecutionGraph): GraphEvent[] {
  return g.threads.flat().filter((e) => !isHole(e));
}

function changeEvent(g: ExecutionGraph, which: (e: GraphEvent) => boolean, change: (e: GraphEvent) => void): boolean {
  const e = events(g).find(which);
  if (e === undefined) return false;
  change(e);
  return true;
}

function changeSource(g: ExecutionGraph): boolean {
  for (const r of events(g)) {
    if (r.kind !== "R") continue;
    const other = g.co[r.loc]!.find((w) => w !== r.rf);
    if (other === undefined) continue;
    r.rf = other;
    return true;
  }
  return false;
}

function swapStamps(g: ExecutionGraph): boolean {
  const all = events(g);
  if (all.length < 2) return false;
  const [a, b] = [all[0]!, all[all.length - 1]!];
  [a.stamp, b.stamp] = [b.stamp, a.stamp];
  return a.stamp !== b.stamp;
}

function swapCoherence(g: ExecutionGraph): boolean {
  const order = g.co.find((o) => o.length >= 3);
  if (order === undefined) return false;
  [order[1], order[2]] = [order[2]!, order[1]!];
  return true;
}

function punchHole(g: ExecutionGraph): boolean {
  const thread = g.threads.find((t) => t.length >= 2 && !isHole(t[0]!));
  if (thread === undefined) return false;
  thread[0] = holeAt(thread[0]!.tid, 0);
  g.holes++;
  return true;
}

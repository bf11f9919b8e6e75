// Symmetry reduction against the full exploration, on random programs with
// 2–3 identical threads and distinct ones (randomSymmetricProgram.ts). Every
// graph either run reaches is put in canonical form: the least encoding over
// every exchange of the identical threads. The reduced run must reach one
// graph per class, and exactly the classes the full run reaches (no class
// missed, none made up); assertion failures, deadlocks and blocked graphs
// are classes like the others. A check that tells the identical threads
// apart fails on a class exactly when it fails on some graph of it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, formatValue, lkmm, model, replay, sc, tso, type MemoryModel } from "../../src/index.ts";
import type { ExplorationResult } from "../../src/index.ts";
import type { Outcome } from "../../src/checks/outcome.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { eventId, idxOf, tidOf } from "../../src/graph/event.ts";
import { encodeReplayId } from "../../src/explore/replayId.ts";
import { estimateStateSpace } from "../../src/explore/stateSpaceEstimate.ts";
import { fetchAdders, readersWriter } from "../../bench/families.ts";
import { randomSymmetricProgram, type SymmetricProgram } from "../support/randomSymmetricProgram.ts";
import { lockSymmetricProgram } from "../support/lockProgram.ts";

const PROGRAMS = Number(process.env.PAGERACE_RANDOM_PROGRAMS ?? 400);

/** Every renaming of threads (old tid → new tid) that permutes the identical ones among themselves. */
function exchanges(threads: number, identical: readonly number[]): number[][] {
  const out: number[][] = [];
  const permute = (rest: number[], chosen: number[]) => {
    if (rest.length === 0) {
      const renaming = Array.from({ length: threads }, (_, t) => t);
      identical.forEach((tid, i) => (renaming[tid] = chosen[i]!));
      out.push(renaming);
      return;
    }
    rest.forEach((x, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...chosen, x]));
  };
  permute([...identical], []);
  return out;
}

/** The graph with thread t renamed to renaming[t], written out: events with their sources, coherence, how each thread ended. */
function encode(g: ExecutionGraph, o: Outcome, renaming: readonly number[]): string {
  const rename = (id: number) => (tidOf(id) < 0 ? id : eventId(renaming[tidOf(id)]!, idxOf(id)));
  const byNewTid: string[] = new Array(g.threadCount);
  g.threads.forEach((events, tid) => {
    const end = o.ends[tid];
    const ended = end === undefined ? "waits" : end.kind === "done" ? JSON.stringify(end.result) : end.kind;
    byNewTid[renaming[tid]!] = events.map((e) => `${e.kind}${e.loc}=${formatValue(e.value)}${e.kind === "R" ? `<${rename(e.rf)}` : ""}`).join(" ") + ` / ${ended}`;
  });
  const co = g.co.map((order) => order.map(rename).join(","));
  return `${o.status} | ${byNewTid.join(" | ")} | co ${co.join(" ; ")}`;
}

function canonical(g: ExecutionGraph, o: Outcome, renamings: readonly number[][]): string {
  let least: string | undefined;
  for (const r of renamings) {
    const s = encode(g, o, r);
    if (least === undefined || s < least) least = s;
  }
  return least!;
}

interface Reached {
  readonly result: ExplorationResult;
  /** Each graph reached, canonical, in the order reached. */
  readonly graphs: string[];
  /** Per class: whether the check telling copies apart failed on it. */
  readonly failsCheck: Map<string, boolean>;
}

function reach(m: ReturnType<typeof randomSymmetricProgram>, memoryModel: MemoryModel, symmetry: boolean, pruneStaleAwaits: boolean): Reached {
  const renamings = exchanges(m.model.threads.length, m.identical);
  const graphs: string[] = [];
  const failsCheck = new Map<string, boolean>();
  const result = explore(m.model, {
    memoryModel,
    symmetry,
    pruneStaleAwaits,
    stopOnViolation: false,
    onExecution: (g, o) => {
      const c = canonical(g, o, renamings);
      graphs.push(c);
      failsCheck.set(c, (failsCheck.get(c) ?? false) || o.violation?.kind === "invariant");
    },
  });
  return { result, graphs, failsCheck };
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

function agree(seed: number, memoryModel: MemoryModel, pruneStaleAwaits: boolean, size: 1 | 2 = 1, make: (seed: number, size: 1 | 2) => SymmetricProgram = randomSymmetricProgram): number {
  const p = make(seed, size);
  const where = `${memoryModel.name}, seed ${seed}${pruneStaleAwaits ? "" : " (stale awaits explored)"}: ${p.text}`;
  const full = reach(p, memoryModel, false, pruneStaleAwaits);
  const reduced = reach(p, memoryModel, true, pruneStaleAwaits);
  assert.equal(full.result.symmetry?.reduced, false, where);
  assert.equal(reduced.result.symmetry?.reduced, true, where);
  assert.equal(new Set(reduced.graphs).size, reduced.graphs.length, `the reduced run reached a class twice: ${where}`);
  if (pruneStaleAwaits) {
    // Stale-await pruning cuts subtrees of blocked graphs by where threads stand in the tree, not up to exchange: compare real executions.
    const real = (xs: Iterable<string>) => sorted(new Set([...xs].filter((s) => !s.startsWith("blocked"))));
    assert.deepEqual(real(reduced.graphs), real(full.graphs), `classes of executions differ: ${where}`);
  } else {
    assert.deepEqual(sorted(reduced.graphs), sorted(new Set(full.graphs)), `classes differ: ${where}`);
  }
  const counts = (r: ExplorationResult) => [r.executions, r.blocked, r.deadlocks, r.assertionFailures];
  counts(reduced.result).forEach((n, i) => assert.ok(n <= counts(full.result)[i]!, `the reduced run counted more: ${where}`));
  const has = (r: ExplorationResult) => [r.deadlocks > 0, r.assertionFailures > 0];
  assert.deepEqual(has(reduced.result), has(full.result), `deadlocks or assertion failures found by one run only: ${where}`);
  for (const [c, fails] of reduced.failsCheck) assert.equal(fails, full.failsCheck.get(c), `the check telling copies apart judged a class otherwise: ${where}`);
  assert.equal(reduced.result.duplicates, 0, where);
  return full.result.executions - reduced.result.executions;
}

test(`symmetry reduction reaches every class of executions, once, on ${PROGRAMS} random programs under SC`, () => {
  let saved = 0;
  for (let seed = 1; seed <= PROGRAMS; seed++) {
    saved += agree(seed, sc, true);
    saved += agree(seed, sc, false);
  }
  assert.ok(saved > PROGRAMS, "the identical threads should often have executions that are exchanges of each other");
});

test(`... and on ${PROGRAMS / 8} larger ones`, () => {
  for (let seed = 20_001; seed <= 20_000 + PROGRAMS / 8; seed++) agree(seed, sc, true, 2);
});

test(`... and on ${PROGRAMS / 2} under TSO`, () => {
  for (let seed = 10_001; seed <= 10_000 + PROGRAMS / 2; seed++) {
    agree(seed, tso, true);
    agree(seed, tso, false);
  }
});

test(`... and on ${PROGRAMS / 4} programs of identical threads taking locks (lock acquisitions issued again, lockReissue.ts)`, () => {
  for (let seed = 1; seed <= PROGRAMS / 4; seed++) {
    agree(seed, sc, true, 1, lockSymmetricProgram);
    agree(seed, sc, false, 1, lockSymmetricProgram);
    if (seed <= PROGRAMS / 40) agree(seed + 100_000, tso, true, 2, lockSymmetricProgram);
  }
});

test("a violation found under symmetry reduction replays to the same execution", () => {
  let replayed = 0;
  for (let seed = 1; seed <= 200 && replayed < 20; seed++) {
    const p = randomSymmetricProgram(seed);
    const r = explore(p.model, { stopOnViolation: false });
    for (const v of r.violations) {
      if (v.path === undefined) continue;
      const again = replay(p.model, encodeReplayId(p.model, "sc", v.path));
      const events = (g: ExecutionGraph) => g.threads.map((t) => t.map((e) => [e.kind, e.loc, e.value, e.rf]));
      assert.deepEqual(events(again.graph), events(v.graph), `seed ${seed}`);
      assert.deepEqual(again.graph.co, v.graph.co, `seed ${seed}`);
      assert.equal(again.outcome.status, v.outcome.status, `seed ${seed}`);
      replayed++;
    }
  }
  assert.ok(replayed > 0);
});

test("symmetry reduction is off under LKMM, with --no-symmetry, and for models that declare no identical threads", () => {
  const p = randomSymmetricProgram(7);
  assert.deepEqual(explore(p.model, { memoryModel: lkmm, stopOnViolation: false }).symmetry?.reduced, false);
  // Off because of what LKMM allows, which a program with no load buffering of its own (one write each) must not be told it has.
  const writers = model("writers", (m) => {
    const x = m.location("x");
    for (const name of ["A", "B"])
      m.thread(
        name,
        function* (t) {
          yield* t.write(x, 1);
        },
        { identical: "w" },
      );
  });
  assert.deepEqual(explore(writers, { memoryModel: lkmm }).symmetry, {
    classes: [["A", "B"]],
    reduced: false,
    why: "not applied under memory models that allow load buffering, such as lkmm",
  });
  assert.deepEqual(explore(p.model, { symmetry: false, stopOnViolation: false }).symmetry?.reduced, false);
  const plain = model("plain", (m) => {
    const x = m.location("x");
    m.thread("A", function* (t) {
      yield* t.write(x, 1);
    });
  });
  assert.equal(explore(plain).symmetry, undefined);
});

test("threads declared identical that are not are a model error", () => {
  const wrong = model("not identical", (m) => {
    const x = m.location("x");
    for (let i = 0; i < 2; i++)
      m.thread(
        `T${i}`,
        function* (t) {
          yield* t.write(x, i + 1);
        },
        { identical: "t" },
      );
  });
  // Only the value written differs: the message says the values, and the location by its name; the model is named where the error is shown.
  assert.throws(() => explore(wrong), (e: Error) => {
    assert.equal(
      e.message,
      "threads T0 and T1 are declared identical, but after reading the same values their 1st operations differ: T0 writes 1 to x, T1 writes 2 to x; " +
        "declare them apart, or run without symmetry reduction",
    );
    return true;
  });
  const apart = model("apart", (m) => {
    const x = m.location("x", 0);
    const y = m.location("y", 0);
    for (const name of ["A", "B"])
      m.thread(
        name,
        function* (t) {
          t.step("bump");
          const v = yield* t.read(x);
          yield* t.write(name === "A" ? x : y, v + 1);
        },
        { identical: "w" },
      );
  });
  assert.throws(() => explore(apart), /their 2nd operations differ: A writes 1 to x \(in step bump\), B writes 1 to y \(in step bump\);/);
});

test("the size estimate is of the reduced tree: within four standard errors of the classes explored", () => {
  for (const m of [fetchAdders(5, { identical: true }), readersWriter(4, { identical: true })]) {
    const r = explore(m, { stopOnViolation: false });
    const e = estimateStateSpace(m, { descents: 2000, seed: 3 });
    const explored = r.executions + r.blocked;
    assert.ok(Math.abs(e.explorations - explored) <= 4 * e.standardError + 1e-9, `${m.name}: ${explored} explored, estimated ${e.explorations} ± ${e.standardError}`);
    assert.ok(e.explorations < explored * 4, `${m.name}: the estimate should not be of the full tree`);
  }
});

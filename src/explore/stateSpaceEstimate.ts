// Estimating how many explorations a run will take, without taking them:
// Knuth's estimator on the optimal explorer's tree. A descent goes from the
// root to a leaf taking, at each choice point, one of the choices there
// uniformly at random, and multiplies the numbers of choices it met; a leaf
// that is an exploration contributes that product, a dead end (every
// continuation inconsistent) 0. The product's expectation is the tree's
// number of explorations, so the mean over many descents estimates it, and
// the spread of the products says how far to trust it. On a tree whose
// nodes at each depth all have the same number of children, every descent
// gives the exact count.
//
// A descent asks the explorer for its choices through a choice gate: a run
// from the root follows the choices taken so far and, at the next depth,
// lists the choices offered there without entering any. Each is looked at
// one level down, and one of those that lead somewhere is picked: a descent
// of depth d and branching b costs about d·b guided runs.
//
// Under load buffering the explorer may reach one complete graph more than
// once and records it once; a descent counts every leaf, so the estimate
// is of the tree's leaves, an upper bound of the explorations.

import type { Model } from "../program/model.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import { sc } from "../models/sc.ts";
import { ThreadReplayer } from "../runtime/threadReplayer.ts";
import { ExecutionRecorder } from "./executionRecorder.ts";
import { OptimalExplorer } from "./optimalExplorer.ts";
import type { ChoiceGate } from "./choiceGate.ts";

export interface StateSpaceEstimate {
  /** Estimated explorations (executions, blocked ones, deadlocks, failures: what a run counts). */
  readonly explorations: number;
  /** Estimated complete executions. */
  readonly executions: number;
  /** Standard error of `explorations` (the spread of the descents over the square root of their number). */
  readonly standardError: number;
  readonly descents: number;
  /** Every descent gave the same product: on such a tree the estimate is exact. */
  readonly uniform: boolean;
}

export interface EstimateOptions {
  readonly memoryModel?: MemoryModel;
  /** Descents to make (default 200) ... */
  readonly descents?: number;
  /** ... or fewer, once this much time has passed (at least one descent is made). */
  readonly timeLimitMs?: number;
  readonly seed?: number;
  readonly maxEventsPerThread?: number;
  readonly pruneStaleAwaits?: boolean;
}

/** Follows `prefix`, and lists the choices offered just below it without entering them. */
class DescentGate implements ChoiceGate {
  readonly offered: number[] = [];

  constructor(private readonly prefix: readonly number[]) {}

  admits(path: readonly number[], c: number): boolean {
    const depth = path.length;
    if (depth < this.prefix.length) return this.prefix[depth] === c;
    if (depth === this.prefix.length) this.offered.push(c);
    return false;
  }
}

interface Probe {
  readonly offered: readonly number[];
  readonly recorded: number;
  readonly complete: number;
}

/** A small, seeded generator: the same seed gives the same descents. */
function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function estimateStateSpace(model: Model, options: EstimateOptions = {}): StateSpaceEstimate {
  const memoryModel = options.memoryModel ?? sc;
  const descents = options.descents ?? 200;
  const deadline = options.timeLimitMs === undefined ? Infinity : performance.now() + options.timeLimitMs;
  const random = randomSource(options.seed ?? 1);
  const replayer = new ThreadReplayer(model, options.maxEventsPerThread ?? 2000, undefined, memoryModel.name);
  const recorder = new ExecutionRecorder(model, { stopOnViolation: false, keepViolations: 0, countDuplicates: false, progressEveryMs: Infinity });
  let sum = 0;
  let sumSquares = 0;
  let sumComplete = 0;
  let first: number | undefined;
  let uniform = true;
  let made = 0;
  // One guided run: what is offered just below `prefix`, and what the node there recorded (a leaf's exploration).
  const probe = (prefix: readonly number[]): Probe => {
    const gate = new DescentGate(prefix);
    const total = recorder.total;
    const complete = recorder.counts.complete;
    new OptimalExplorer(model, memoryModel, replayer, recorder, options.pruneStaleAwaits ?? true, undefined, gate).run();
    return { offered: gate.offered, recorded: recorder.total - total, complete: recorder.counts.complete - complete };
  };
  while (made < descents && (made === 0 || performance.now() < deadline)) {
    const prefix: number[] = [];
    let weight = 1;
    let here = probe(prefix);
    let product = 0;
    let complete = 0;
    for (;;) {
      if (here.offered.length === 0) {
        product = weight * here.recorded;
        complete = weight * here.complete;
        break;
      }
      // A choice that leads nowhere at once (an inconsistent one, an empty group of revisits) is not counted as a
      // branch: the estimate stays unbiased, and descents are not wasted on it.
      const live: { choice: number; below: Probe }[] = [];
      for (const choice of here.offered) {
        const below = probe([...prefix, choice]);
        if (below.offered.length > 0 || below.recorded > 0) live.push({ choice, below });
      }
      if (live.length === 0) break;
      const next = live[Math.floor(random() * live.length)]!;
      weight *= live.length;
      prefix.push(next.choice);
      here = next.below;
    }
    if (first === undefined) first = product;
    else if (product !== first) uniform = false;
    sum += product;
    sumSquares += product * product;
    sumComplete += complete;
    made++;
  }
  const mean = sum / made;
  const variance = made > 1 ? Math.max(0, (sumSquares - made * mean * mean) / (made - 1)) : 0;
  return { explorations: mean, executions: sumComplete / made, standardError: Math.sqrt(variance / made), descents: made, uniform };
}

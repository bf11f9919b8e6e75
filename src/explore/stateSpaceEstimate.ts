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
import { ThreadReplayer, type RunningSite } from "../runtime/threadReplayer.ts";
import { leaveStoppedThreadCode } from "../runtime/determinismGuard.ts";
import { TimedOut, withinTime } from "../runtime/timeBound.ts";
import { ExecutionRecorder, type Progress } from "./executionRecorder.ts";
import { OptimalExplorer } from "./optimalExplorer.ts";
import { ThreadSymmetry } from "./threadSymmetry.ts";
import type { ChoiceGate } from "./choiceGate.ts";
import { seededRandom } from "./seededRandom.ts";
import type { Subtree } from "./subtree.ts";

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
  /** Estimate the tree symmetry reduction leaves, where the model declares identical threads (default true; see threadSymmetry.ts). */
  readonly symmetry?: boolean;
  /** Where the descents' thread code reports that it runs (the command line's watchdog: `check --estimate`). */
  readonly site?: RunningSite;
}

/** When a run estimates its size along the way, for its progress line. */
export interface EstimatePacing {
  /** No estimate before the run has taken this long (a short run pays nothing for one) ... */
  readonly afterMs: number;
  /** ... then again this often ... */
  readonly everyMs: number;
  /** ... or this often while the run is past the estimate ... */
  readonly pastEveryMs: number;
  /** ... spending this long each time (descents of the tree): at most a twentieth of the run. */
  readonly spendMs: number;
}

/** A run's pacing, whole or split: from 2 s, every 5 s (2 s once past), 0.1 s each time. */
export const RUN_PACING: EstimatePacing = { afterMs: 2000, everyMs: 5000, pastEveryMs: 2000, spendMs: 100 };

/**
 * A run's size, estimated as its progress is reported (explore.ts, and a
 * split run's coordinator: splitRunEstimate.ts): each report shows the last
 * estimate, and the next is made after it once due. Once an estimate could
 * not be made (boundedEstimate), none is tried again: it would cost as much
 * each time.
 */
export class PacedEstimate {
  private expected: number | undefined;
  private estimatedAt = -Infinity;
  private failed = false;

  constructor(private readonly pacing: EstimatePacing) {}

  /** Report `p` with the run's estimated size, when there is one. */
  shown(p: Progress): Progress {
    return this.expected === undefined ? p : { ...p, explored: exploredOf(p), expected: this.expected };
  }

  /**
   * After report `p`: when due, `estimate` is made within `timeLimitMs`,
   * and `size` says the run's size from it (undefined: no size this time).
   */
  update(p: Progress, estimate: (timeLimitMs: number) => StateSpaceEstimate, size: (e: StateSpaceEstimate, explored: number) => number | undefined): void {
    if (this.failed || p.elapsedMs < this.pacing.afterMs) return;
    const explored = exploredOf(p);
    const past = this.expected === undefined || this.expected <= explored;
    if (p.elapsedMs - this.estimatedAt < (past ? this.pacing.pastEveryMs : this.pacing.everyMs)) return;
    this.estimatedAt = p.elapsedMs;
    const e = boundedEstimate(() => estimate(this.pacing.spendMs), this.pacing.spendMs + ESTIMATE_OVERRUN_MS);
    if (e === undefined) this.failed = true;
    this.expected = e === undefined ? undefined : size(e, explored);
  }
}

function exploredOf(p: Progress): number {
  return p.explored ?? p.executions + p.blocked;
}

/**
 * How long past its own time an estimate made along a run may take (a
 * descent is not stopped part-way by the estimate's time limit).
 */
const ESTIMATE_OVERRUN_MS = 1000;

/**
 * An estimate made along a run (its progress), or undefined when it could
 * not be made: its descents run executions the run has not reached, whose
 * thread code may throw, or never return. The run reaches such an
 * execution itself later and reports it there, with its replay id; the
 * estimate is stopped by V8's watchdog (timeBound.ts) instead of hanging
 * the run.
 */
export function boundedEstimate(estimate: () => StateSpaceEstimate, ms: number): StateSpaceEstimate | undefined {
  try {
    return withinTime(ms, estimate);
  } catch (e) {
    if (e instanceof TimedOut) leaveStoppedThreadCode();
    return undefined;
  }
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

/** Guided runs of the optimal explorer over one model: what is offered below a prefix, and Knuth descents from it. */
class TreeProbe {
  /** The model without its checks: a descent needs to know what each leaf is (an execution, blocked, a deadlock), not what the checks say of it, and a model's checks may be slow, or note what they judge. */
  private readonly unchecked: Model;
  private readonly replayer: ThreadReplayer;
  private readonly recorder: ExecutionRecorder;
  private readonly memoryModel: MemoryModel;
  private readonly symmetry: ThreadSymmetry | undefined;

  constructor(
    private readonly model: Model,
    private readonly options: EstimateOptions,
  ) {
    this.unchecked = { ...model, checks: [] };
    this.memoryModel = options.memoryModel ?? sc;
    this.symmetry = (options.symmetry ?? true) && this.memoryModel.porfAcyclic ? ThreadSymmetry.of(model) : undefined;
    this.replayer = new ThreadReplayer(model, options.maxEventsPerThread ?? 2000, options.site, this.memoryModel.name);
    this.recorder = new ExecutionRecorder(model, { stopOnViolation: false, keepViolations: 0, countDuplicates: false, progressEveryMs: Infinity });
  }

  /** One guided run: what is offered just below `prefix`, and what the node there recorded (a leaf's exploration). */
  probe(prefix: readonly number[]): Probe {
    const gate = new DescentGate(prefix);
    const recorder = this.recorder;
    const total = recorder.total;
    const complete = recorder.counts.complete;
    new OptimalExplorer(this.unchecked, this.memoryModel, this.replayer, recorder, this.options.pruneStaleAwaits ?? true, undefined, gate, this.symmetry).run();
    return { offered: gate.offered, recorded: recorder.total - total, complete: recorder.counts.complete - complete };
  }

  /** A descent from the node at `start` (already probed: `here`) to a leaf: its products of choices met, explorations and executions. */
  descend(start: readonly number[], here: Probe, random: () => number): { explorations: number; executions: number } {
    const prefix = [...start];
    let weight = 1;
    for (;;) {
      if (here.offered.length === 0) return { explorations: weight * here.recorded, executions: weight * here.complete };
      // A choice that leads nowhere at once (an inconsistent one, an empty group of revisits) is not counted as a
      // branch: the estimate stays unbiased, and descents are not wasted on it.
      const live: { choice: number; below: Probe }[] = [];
      for (const choice of here.offered) {
        const below = this.probe([...prefix, choice]);
        if (below.offered.length > 0 || below.recorded > 0) live.push({ choice, below });
      }
      if (live.length === 0) return { explorations: 0, executions: 0 };
      const next = live[Math.floor(random() * live.length)]!;
      weight *= live.length;
      prefix.push(next.choice);
      here = next.below;
    }
  }
}

/** Sums of descents' products, and the estimate they make. */
class DescentTally {
  private sum = 0;
  private sumSquares = 0;
  private sumExecutions = 0;
  private first: number | undefined;
  private uniform = true;
  made = 0;

  add(d: { explorations: number; executions: number }): void {
    if (this.first === undefined) this.first = d.explorations;
    else if (d.explorations !== this.first) this.uniform = false;
    this.sum += d.explorations;
    this.sumSquares += d.explorations * d.explorations;
    this.sumExecutions += d.executions;
    this.made++;
  }

  estimate(): StateSpaceEstimate {
    const made = this.made;
    const mean = made === 0 ? 0 : this.sum / made;
    const variance = made > 1 ? Math.max(0, (this.sumSquares - made * mean * mean) / (made - 1)) : 0;
    return { explorations: mean, executions: made === 0 ? 0 : this.sumExecutions / made, standardError: Math.sqrt(variance / Math.max(made, 1)), descents: made, uniform: this.uniform };
  }
}

export function estimateStateSpace(model: Model, options: EstimateOptions = {}): StateSpaceEstimate {
  const descents = options.descents ?? 200;
  const deadline = options.timeLimitMs === undefined ? Infinity : performance.now() + options.timeLimitMs;
  const random = seededRandom(options.seed ?? 1);
  const tree = new TreeProbe(model, options);
  const tally = new DescentTally();
  const root = tree.probe([]);
  while (tally.made < descents && (tally.made === 0 || performance.now() < deadline)) tally.add(tree.descend([], root, random));
  return tally.estimate();
}

/**
 * The explorations a depth-first run has still to make once it stands at
 * the leaf `path`: the subtrees of the choices after `path[d]` at each
 * depth d (each node offers its choices in increasing order, and takes them
 * in that order). What the run has explored is exact, so the estimate of
 * the whole run gets better as it goes, and is exact at its end.
 */
export function estimateRemaining(model: Model, path: readonly number[], options: EstimateOptions = {}): StateSpaceEstimate {
  return estimateSubtrees(model, path.map((c, d) => ({ prefix: path.slice(0, d), from: c + 1, to: null })), options);
}

/**
 * The explorations in `subtrees` (what a run split across workers has left:
 * subtree.ts). Their choices' subtrees form a forest; a descent picks one
 * of its trees uniformly and goes on as Knuth's does, multiplying by the
 * number of trees.
 */
export function estimateSubtrees(model: Model, subtrees: readonly Subtree[], options: EstimateOptions = {}): StateSpaceEstimate {
  const descents = options.descents ?? 200;
  const deadline = options.timeLimitMs === undefined ? Infinity : performance.now() + options.timeLimitMs;
  const random = seededRandom(options.seed ?? 1);
  const tree = new TreeProbe(model, options);
  const roots: number[][] = [];
  for (const s of subtrees) for (const c of tree.probe(s.prefix).offered) if (c >= s.from && (s.to === null || c <= s.to)) roots.push([...s.prefix, c]);
  const tally = new DescentTally();
  if (roots.length === 0) return { ...tally.estimate(), uniform: true };
  while (tally.made < descents && (tally.made === 0 || performance.now() < deadline)) {
    const root = roots[Math.floor(random() * roots.length)]!;
    const d = tree.descend(root, tree.probe(root), random);
    tally.add({ explorations: d.explorations * roots.length, executions: d.executions * roots.length });
  }
  return tally.estimate();
}

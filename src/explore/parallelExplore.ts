// Exploration on several worker threads. The optimal explorer's subtrees
// share no state, and each is named by the choices leading to it
// (subtree.ts), so the coordinator hands out subtrees and adds up their
// tallies:
//
// - The coordinator first runs explore() with a gate that enters no choice:
//   that runs the load-buffering pre-check and picks the strategy exactly
//   as a single run would. A run the optimal explorer does not do (or a
//   program without a single choice) is that whole run; otherwise the
//   workers explore the tree.
// - Dynamic sharing by stealing: one worker starts with the whole tree; a
//   worker without work makes the coordinator ask a busy one to donate the
//   unexplored siblings of its shallowest open choice (subtreeCursor.ts).
// - Every message from a worker that changes what it has left (a donation,
//   a snapshot, its end) says exactly what that is and what it counted, so
//   at any moment the queue, the workers' latest snapshots and the tally of
//   finished subtrees partition the tree: that is what a checkpoint writes,
//   and what a resumed run starts from.
//
// Counts, the violations kept (the first ones in depth-first order, as one
// run keeps them) and the verdict are those of a single run, whatever the
// number of workers. A run that stops at its first violation stops every
// worker (which violation is found first then depends on timing).

import type { Worker } from "node:worker_threads";
import type { Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Outcome } from "../checks/outcome.ts";
import { memoryModelNamed } from "../models/registry.ts";
import { ModelError } from "../runtime/modelError.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import { explore, symmetryNoteOf, type ExploreOptions, type ExplorationResult, type Strategy, type SymmetryNote } from "./explore.ts";
import type { Progress, RecordedViolation } from "./executionRecorder.ts";
import { addTallies, emptyTally, progressOfTally, type Tally } from "./explorationTally.ts";
import { timeLimitReached } from "./explorationBudget.ts";
import { ask, newControl, REQUEST, SubtreeCursor, UNASKED } from "./subtreeCursor.ts";
import { decidedOf, frontierOf, type SubtreeRunOptions } from "./subtreeRun.ts";
import type { FromWorker, ToWorker } from "./subtreeWorker.ts";
import { chainAt, WHOLE_TREE, type Subtree } from "./subtree.ts";
import type { ChoiceGate } from "./choiceGate.ts";

/** Where a run stands: everything a resumed run needs besides the model. */
export interface Frontier {
  /** What the pre-check decided (the strategy is always the optimal explorer's here). */
  readonly decided: { readonly strategy: Strategy; readonly incomplete: string | null; readonly preCheckMs: number };
  /** What the finished parts counted, and the counted parts of the unfinished ones. */
  readonly tally: Tally;
  /** What is left to explore. */
  readonly open: readonly Subtree[];
}

export interface ParallelExploreOptions {
  readonly run: SubtreeRunOptions;
  /** How the workers load the model (passed to their loader as it is). */
  readonly source: unknown;
  /** The strategy asked for (default: as explore() picks it). */
  readonly strategy?: Strategy;
  /** Continue from here instead of from the root. */
  readonly resume?: Frontier;
  /** Called with the frontier every `everyMs`, and once at the end. */
  readonly checkpoint?: { readonly everyMs: number; readonly write: (f: Frontier) => void };
  /** Polled ten times a second: a reason to stop (the workers yield what they have left). */
  readonly interruption?: () => string | undefined;
  readonly timeLimitMs?: number;
  /** Told the run's counts, and once split, what it has left (the frontier's open subtrees, for an estimate of its size). */
  readonly onProgress?: (p: Progress, open?: readonly Subtree[]) => void;
  readonly progressEveryMs?: number;
  /** The watchdog's site, for the pre-check (which runs in the caller's thread). */
  readonly site?: RunningSite;
  /** How often a busy worker is asked where it stands, when neither progress nor checkpoints ask sooner (ms). */
  readonly snapshotEveryMs?: number;
  /**
   * Explore in the caller's thread first, and hand the run to the workers
   * only once it has counted this many explorations: a small run then is
   * exactly a single run, and pays for no threads.
   */
  readonly inThreadFirst?: number;
}

interface PoolMember {
  readonly worker: Worker;
  readonly control: Int32Array;
  unit: { readonly id: number; readonly startedAt: number } | undefined;
  /** What the current unit has left and has counted, as of its latest message. */
  snapshot: { left: readonly Subtree[]; tally: Tally } | undefined;
  donationAsked: boolean;
  listener: ((m: FromWorker) => void) | undefined;
}

/** Worker threads that explore subtrees (see subtreeWorker.ts); one exploration at a time. The threads start when a run is first split. */
export class SubtreePool {
  private started: PoolMember[] | undefined;
  private nextUnit = 1;

  /** `start(control)` starts a worker thread running serveSubtrees with that control array. */
  constructor(
    readonly size: number,
    private readonly start: (control: SharedArrayBuffer) => Worker,
  ) {}

  private get members(): PoolMember[] {
    this.started ??= Array.from({ length: this.size }, () => {
      const control = new Int32Array(new SharedArrayBuffer(4));
      const worker = this.start(control.buffer as SharedArrayBuffer);
      const member: PoolMember = { worker, control, unit: undefined, snapshot: undefined, donationAsked: false, listener: undefined };
      worker.on("message", (m: FromWorker) => member.listener?.(m));
      return member;
    });
    return this.started;
  }

  /** How many threads run (none until a run is first split). */
  get threadsStarted(): number {
    return this.started?.length ?? 0;
  }

  async close(): Promise<void> {
    const members = this.started ?? [];
    for (const m of members) m.worker.postMessage({ type: "close" } satisfies ToWorker);
    await Promise.all(members.map((m) => m.worker.terminate()));
  }

  async explore(model: Model, o: ParallelExploreOptions): Promise<ExplorationResult> {
    const started = performance.now();
    const existsChecks = model.checks.filter((c) => c.kind === "exists").length;
    const keep = o.run.keepViolations;
    let decided: Frontier["decided"];
    let committed: Tally;
    const queue: Subtree[] = [];
    // Under load buffering the explorer keeps the graphs it reached across its whole tree (reachedGraphs.ts): its subtrees are not independent, and the run stays whole, in this thread.
    if (!memoryModelNamed(o.run.memoryModel).porfAcyclic) return explore(model, { ...singleRunOptions(o), onProgress: o.onProgress, progressEveryMs: o.progressEveryMs });
    if (o.resume !== undefined) {
      decided = o.resume.decided;
      committed = o.resume.tally;
      queue.push(...o.resume.open);
    } else if (o.inThreadFirst !== undefined) {
      // The run as one thread runs it, until it has counted enough to be worth splitting: then what it left goes to the workers.
      // (A run that yields as it stops at its first violation, or at a bound, has ended: what it left is not to be explored.)
      const cursor = new SubtreeCursor(WHOLE_TREE, newControl(), UNASKED, o.inThreadFirst);
      const r = explore(model, { ...singleRunOptions(o), onProgress: o.onProgress, progressEveryMs: o.progressEveryMs, choiceGate: cursor });
      const stands = frontierOf(r, cursor, o.run);
      if (stands === undefined) return r;
      decided = stands.decided;
      committed = stands.tally;
      queue.push(...stands.open);
    } else {
      const probe = new ProbeGate();
      const r = explore(model, { ...singleRunOptions(o), choiceGate: probe });
      if (!probe.asked) return r;
      decided = decidedOf(r);
      committed = emptyTally(existsChecks, o.run.dataRaces !== undefined && r.dataRaces !== undefined);
      queue.push(WHOLE_TREE);
    }
    const frontier = (): Frontier => {
      let tally = committed;
      const open = [...queue];
      for (const m of this.members) {
        if (m.unit === undefined) continue;
        tally = addTallies(tally, m.snapshot!.tally, keep);
        open.push(...m.snapshot!.left);
      }
      return { decided, tally, open };
    };

    let stopReason: string | undefined;
    let stoppedAtViolation = false;
    let failure: Extract<FromWorker, { type: "failure" }> | undefined;
    const deadline = o.timeLimitMs === undefined ? undefined : started + o.timeLimitMs;

    await new Promise<void>((resolve) => {
      const timers: NodeJS.Timeout[] = [];
      const busy = () => this.members.filter((m) => m.unit !== undefined);
      const stopAll = (request: number) => {
        for (const m of busy()) ask(m.control, request);
      };
      const finish = () => {
        timers.forEach(clearInterval);
        for (const m of this.members) m.listener = undefined;
        resolve();
      };
      const dispatch = () => {
        const stopping = stopReason !== undefined || stoppedAtViolation || failure !== undefined;
        if (!stopping) {
          for (const m of this.members) {
            if (m.unit !== undefined || queue.length === 0) continue;
            // A chain of subtrees (what a run that yielded left) is one unit: its common prefix is replayed once.
            const subtrees = queue.splice(0, chainAt(queue, 0).length);
            m.unit = { id: this.nextUnit++, startedAt: performance.now() };
            m.snapshot = { left: subtrees, tally: emptyTally(existsChecks, committed.dataRaces !== null) };
            m.donationAsked = false;
            Atomics.store(m.control, 0, 0);
            m.worker.postMessage({ type: "unit", id: m.unit.id, source: o.source, options: o.run, subtrees } satisfies ToWorker);
          }
          // Each idle worker asks one busy worker, the one longest on its subtree, for a share.
          let idle = this.members.filter((m) => m.unit === undefined).length;
          const victims = busy()
            .filter((m) => !m.donationAsked)
            .sort((a, b) => a.unit!.startedAt - b.unit!.startedAt);
          for (const v of victims) {
            if (idle-- <= 0) break;
            v.donationAsked = true;
            ask(v.control, REQUEST.donate);
          }
        }
        if (busy().length === 0 && (queue.length === 0 || stopReason !== undefined || stoppedAtViolation || failure !== undefined)) finish();
      };
      for (const m of this.members) {
        m.listener = (msg) => {
          if (m.unit === undefined || msg.id !== m.unit.id) return;
          if (msg.type === "donation") {
            if (msg.subtree === null) {
              // Nothing to give at this point: ask again a little later rather than at once.
              setTimeout(() => {
                m.donationAsked = false;
                dispatch();
              }, 2);
              return;
            }
            m.donationAsked = false;
            queue.push(msg.subtree);
            m.snapshot = { left: msg.left, tally: msg.tally! };
          } else if (msg.type === "snapshot") {
            m.snapshot = { left: msg.left, tally: msg.tally };
            return;
          } else if (msg.type === "done") {
            const out = msg.outcome;
            committed = addTallies(committed, out.tally, keep);
            queue.push(...out.left);
            m.unit = undefined;
            m.snapshot = undefined;
            if (out.stoppedAtViolation && !stoppedAtViolation) {
              stoppedAtViolation = true;
              stopAll(REQUEST.abandon);
            }
            if (out.bounded !== null && stopReason === undefined) {
              stopReason = out.bounded;
              stopAll(REQUEST.yield);
            }
          } else {
            m.unit = undefined;
            m.snapshot = undefined;
            failure ??= msg;
            stopAll(REQUEST.abandon);
          }
          dispatch();
        };
        m.worker.once("error", (e) => {
          failure ??= { type: "failure", id: 0, message: `an exploration worker failed: ${e.message}`, path: null, modelError: false };
          m.unit = undefined;
          stopAll(REQUEST.abandon);
          dispatch();
        });
      }
      const snapshotEvery = Math.min(o.snapshotEveryMs ?? 1000, o.checkpoint?.everyMs ?? Infinity, o.onProgress === undefined ? Infinity : (o.progressEveryMs ?? 1000));
      timers.push(
        setInterval(() => {
          for (const m of busy()) ask(m.control, REQUEST.snapshot);
          if (o.onProgress !== undefined) {
            const { tally: t, open } = frontier();
            const elapsedMs = performance.now() - started;
            o.onProgress(progressOfTally(t, elapsedMs), open);
          }
        }, snapshotEvery),
      );
      if (o.checkpoint !== undefined) timers.push(setInterval(() => o.checkpoint!.write(frontier()), o.checkpoint.everyMs));
      timers.push(
        setInterval(() => {
          if (stopReason !== undefined) return;
          const reason = o.interruption?.() ?? (deadline !== undefined && performance.now() >= deadline ? timeLimitReached(o.timeLimitMs!) : undefined);
          if (reason === undefined) return;
          stopReason = reason;
          stopAll(REQUEST.yield);
          dispatch();
        }, 100),
      );
      dispatch();
    });

    if (failure !== undefined) throw reproduceFailure(model, o.run, failure);
    const end = frontier();
    o.checkpoint?.write(stoppedAtViolation ? { ...end, open: [] } : end);
    return resultOf(model, o.run, decided, end.tally, {
      exhaustive: stopReason === undefined && !stoppedAtViolation && decided.incomplete === null,
      bounded: stopReason,
      elapsedMs: performance.now() - started,
    });
  }
}

/** The options of the same run in one thread. */
export function singleRunOptions(o: Pick<ParallelExploreOptions, "run" | "strategy" | "timeLimitMs" | "site">): ExploreOptions {
  return {
    memoryModel: memoryModelNamed(o.run.memoryModel),
    strategy: o.strategy,
    maxEventsPerThread: o.run.maxEventsPerThread,
    stopOnViolation: o.run.stopOnViolation,
    keepViolations: o.run.keepViolations,
    pruneStaleAwaits: o.run.pruneStaleAwaits,
    symmetry: o.run.symmetry,
    dataRaces: o.run.dataRaces,
    timeLimitMs: o.timeLimitMs,
    site: o.site,
  };
}

/** Enters no choice, and notes whether the optimal explorer asked for one. */
export class ProbeGate implements ChoiceGate {
  asked = false;
  admits(): boolean {
    this.asked = true;
    return false;
  }
}

/** A worker's thread failure, thrown again here along its path so that it carries its graph; any other failure as it was. */
export function reproduceFailure(model: Model, run: SubtreeRunOptions, f: Pick<Extract<FromWorker, { type: "failure" }>, "message" | "path" | "modelError">): Error {
  if (f.path !== null) {
    try {
      replayPath(model, run, f.path);
    } catch (e) {
      return e as Error;
    }
  }
  return f.modelError ? new ModelError(f.message) : new Error(f.message);
}

function replayPath(model: Model, run: SubtreeRunOptions, path: readonly number[]): { graph: ExecutionGraph; outcome: Outcome } | undefined {
  let found: { graph: ExecutionGraph; outcome: Outcome } | undefined;
  explore(model, {
    memoryModel: memoryModelNamed(run.memoryModel),
    strategy: "optimal",
    guide: path,
    maxEventsPerThread: run.maxEventsPerThread,
    pruneStaleAwaits: run.pruneStaleAwaits,
    symmetry: run.symmetry,
    stopOnViolation: false,
    countDuplicates: false,
    onExecution: (graph, outcome) => {
      found ??= { graph: graph.clone(), outcome };
    },
  });
  return found;
}

/** The result a single run would give for this tally (violations and the first data race rebuilt by replaying their paths). */
export function resultOf(
  model: Model,
  run: SubtreeRunOptions,
  decided: Frontier["decided"],
  t: Tally,
  end: { readonly exhaustive: boolean; readonly bounded: string | undefined; readonly elapsedMs: number },
): ExplorationResult {
  const violations: RecordedViolation[] = t.violationPaths.flatMap((path) => {
    const v = replayPath(model, run, path);
    return v === undefined ? [] : [{ ...v, path }];
  });
  const first = t.dataRaces?.firstPath == null ? undefined : replayPath(model, run, t.dataRaces.firstPath);
  return {
    model: model.name,
    memoryModel: run.memoryModel,
    strategy: decided.strategy,
    executions: t.counts.complete,
    blocked: t.counts.blocked,
    deadlocks: t.counts.deadlock,
    assertionFailures: t.counts.error,
    boundHits: t.counts.bound,
    duplicates: t.duplicates,
    duplicateSampling: t.duplicateSampling,
    violations,
    violationCount: t.violationCount,
    existsCounts: t.existsCounts,
    exhaustive: end.exhaustive,
    incomplete: decided.incomplete ?? undefined,
    bounded: end.bounded,
    dataRaces: t.dataRaces === null ? undefined : { executions: t.dataRaces.executions, first: first === undefined ? undefined : { ...first, path: t.dataRaces.firstPath! } },
    ...symmetryField(symmetryNoteOf(model, decided.strategy, memoryModelNamed(run.memoryModel), run.symmetry)),
    elapsedMs: end.elapsedMs,
    preCheckMs: decided.preCheckMs,
  };
}

function symmetryField(note: SymmetryNote | undefined): { symmetry?: SymmetryNote } {
  return note === undefined ? {} : { symmetry: note };
}

// Optimal exploration of execution graphs: every consistent graph is visited
// exactly once, in linear memory. This is the TruSt algorithm
// (Kokologiannakis, Marmanis, Gladstein, Vafeiadis, POPL 2022, Algorithm 2):
//
// - Events are added one at a time, in the order a fixed scheduler picks
//   (the lowest-numbered thread that can move; the write half of an RMW first).
// - A read is tried against every write to its location (forward choices).
// - A write is tried at every coherence position; from each, it may also
//   revisit an existing read of its location that is not in its po ∪ rf
//   prefix: the graph is cut back to what existed when that read was added
//   plus the write's prefix, and the read now reads from the write. A kept
//   read whose source was cut goes back to reading coherence-last.
// - A revisit is taken only if everything it deletes, and the read itself,
//   were added "maximally" (reading, or placed, coherence-last), are not
//   coherence-before anything kept, and are not in the prefix of an earlier
//   revisiting write; this makes the cut graph's history unique, hence
//   optimality (the paper's maximal-extension condition).
//
// Complete for the consistent graphs in which po ∪ rf is acyclic (all of
// them under SC and TSO; under LKMM see loadBuffering.ts): a write never
// revisits a read in its own prefix. Where the model accepts any maximal
// addition (a read of the coherence-last write, a write placed
// coherence-last: the new event then has no outgoing edge), those are not
// re-checked.

import type { Model } from "../program/model.ts";
import { idxOf, isWaiting, tidOf, type GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import type { Pending, ThreadReplayer } from "../runtime/threadReplayer.ts";
import { judge } from "../checks/outcome.ts";
import { recordExecution } from "./failedThreadClosure.ts";
import { newEvent, setReadsFrom } from "./eventFactory.ts";
import { claimedByAnotherRmw, rmwAtomic } from "../models/atomicity.ts";
import { coherenceFloor } from "../models/coherenceFloor.ts";
import type { ExecutionRecorder } from "./executionRecorder.ts";
import { ThreadFailure } from "../runtime/threadFailure.ts";
import type { ChoiceGate } from "./choiceGate.ts";

export class OptimalExplorer {
  /** The choices taken from the root to the current graph: the replay path. */
  readonly path: number[] = [];

  constructor(
    private readonly model: Model,
    private readonly memoryModel: MemoryModel,
    private readonly replayer: ThreadReplayer,
    private readonly recorder: ExecutionRecorder,
    private readonly pruneStaleAwaits = true,
    /** When set, only the choices of this path are taken: exactly one graph is reached (replay). */
    private readonly guide?: readonly number[],
    /** When set, asked before every choice: confines the run to a subtree, and may hand choices off (see choiceGate.ts). */
    private readonly gate?: ChoiceGate,
  ) {}

  run(): void {
    this.visit(ExecutionGraph.initial(this.model.initial, this.model.threads.length));
  }

  private visit(g: ExecutionGraph): void {
    if (this.recorder.stopped) return;
    try {
      this.extend(g);
    } catch (e) {
      // The innermost visit sees it first: its graph and path are the ones that reach the failure again.
      if (e instanceof ThreadFailure) {
        e.graph ??= g.clone();
        e.path ??= this.path.slice();
      }
      throw e;
    }
  }

  /** Adds the scheduled thread's next event in every way, or records the execution when no thread can move. */
  private extend(g: ExecutionGraph): void {
    const pendings: Pending[] = [];
    let pick = -1;
    for (let tid = 0; tid < g.threadCount; tid++) {
      const p = this.replayer.pending(g, tid);
      pendings.push(p);
      if (p.kind === "rmw-write") {
        pick = tid;
        break;
      }
      if (p.kind === "op" && pick < 0) pick = tid;
    }
    if (pick < 0) {
      recordExecution(this.recorder, this.memoryModel, g, judge(this.model, g, pendings), this.path);
      return;
    }
    const e = newEvent(g, pick, pendings[pick]!);
    const thread = g.threads[pick]!;
    thread.push(e);
    if (e.kind === "R") this.addRead(g, e);
    else if (e.kind === "W") this.addWrite(g, e);
    else if (this.memoryModel.isConsistent(g)) this.visit(g);
    thread.pop();
  }

  /**
   * Forward choices: every write to the location, coherence-last first.
   * An await that would read a stale value it cannot accept is pruned: its
   * thread would wait there in every graph below (the read, not being
   * maximal, can neither be revisited nor deleted by a revisit), so all
   * that subtree holds is blocked explorations.
   */
  private addRead(g: ExecutionGraph, r: GraphEvent): void {
    const order = g.co[r.loc]!;
    const last = order.length - 1;
    // With a coherence bound, choices below it are inconsistent and those at
    // or above it consistent; otherwise the coherence floor rules out some.
    const bound = this.memoryModel.coherenceBound?.(g, r);
    const lowest = Math.min(bound ?? coherenceFloor(g, r), last);
    const checkBelow = bound ?? last + 1;
    for (let k = last; k >= 0 && !this.recorder.stopped; k--) {
      if (k < lowest || !this.take(last - k)) continue;
      const w = order[k]!;
      setReadsFrom(r, g.event(w));
      r.addedMax = k === last;
      if (this.pruneStaleAwaits && !r.addedMax && isWaiting(r)) {
        this.recorder.pruned();
      } else if (r.rmw === "read" && claimedByAnotherRmw(g, w, r)) {
        this.addConflictingRmwWrite(g, r);
      } else if (this.consistentRead(g, k === last, k >= checkBelow)) {
        this.visit(g);
      }
      this.path.pop();
    }
  }

  /** A read's choice: maximal (skipped where the model allows), within the coherence bound (atomicity only), or checked. */
  private consistentRead(g: ExecutionGraph, maximal: boolean, withinBound: boolean): boolean {
    if (maximal && this.memoryModel.maximallyExtensible) return true;
    if (withinBound) return rmwAtomic(g);
    return this.memoryModel.isConsistent(g);
  }

  /**
   * An RMW whose read takes a write another RMW already took cannot go on as
   * it is, but its write may revisit that other RMW's read, so that the two
   * RMWs take effect in the other order. Only those revisits are explored.
   */
  private addConflictingRmwWrite(g: ExecutionGraph, r: GraphEvent): void {
    const w = newEvent(g, r.tid, this.replayer.pending(g, r.tid));
    const thread = g.threads[r.tid]!;
    const order = g.co[w.loc]!;
    thread.push(w);
    order.splice(order.indexOf(r.rf) + 1, 0, w.id);
    this.revisitReads(g, w, 1);
    order.splice(order.indexOf(w.id), 1);
    thread.pop();
  }

  /** Every coherence position (forced right after its source for an RMW), each followed by its revisits. */
  private addWrite(g: ExecutionGraph, w: GraphEvent): void {
    const order = g.co[w.loc]!;
    // Positions are w's index in coherence once placed, tried from `highest`
    // down to `lowest`; below `checkFrom` each needs the model's check.
    let highest: number;
    let lowest: number;
    let checkFrom: number;
    if (w.rmw === "write") {
      highest = lowest = order.indexOf(g.threads[w.tid]![w.idx - 1]!.rf) + 1;
      checkFrom = lowest; // its read's choice was checked
    } else {
      const bound = this.memoryModel.coherenceBound?.(g, w);
      highest = order.length;
      lowest = (bound ?? coherenceFloor(g, w)) + 1;
      checkFrom = bound === undefined ? highest : lowest;
    }
    for (let pos = highest; pos >= lowest && !this.recorder.stopped; pos--) {
      order.splice(pos, 0, w.id);
      w.addedMax = pos === order.length - 1;
      const consistent = !this.memoryModel.maximallyExtensible
        ? this.memoryModel.isConsistent(g)
        : w.addedMax || (pos >= checkFrom ? !splitsRmw(g, order, pos) : this.memoryModel.isConsistent(g));
      if (consistent) {
        if (this.take(2 * (highest - pos))) {
          this.visit(g);
          this.path.pop();
        }
        this.revisitReads(g, w, 2 * (highest - pos) + 1);
      }
      order.splice(pos, 1);
    }
  }

  /**
   * Backward revisits of the reads of w's location outside w's po ∪ rf
   * prefix. On the replay path they are one choice, `choice`, followed by
   * the revisited read's position.
   */
  private revisitReads(g: ExecutionGraph, w: GraphEvent, choice: number): void {
    if (!this.take(choice)) return;
    const prefix = porfPrefix(g, w);
    const order = g.co[w.loc]!;
    const wAt = order.indexOf(w.id);
    const successor = wAt + 1 < order.length ? order[wAt + 1]! : undefined;
    for (let tid = 0; tid < g.threadCount && !this.recorder.stopped; tid++) {
      const events = g.threads[tid]!;
      for (let i = prefix[tid]!; i < events.length && !this.recorder.stopped; i++) {
        const r = events[i]!;
        if (r.kind !== "R" || r.loc !== w.loc) continue;
        const keep = keptView(g, prefix, r.stamp);
        // Revisits must not differ from another placement of w only in where w sits.
        if (w.rmw !== "write" && successor !== undefined && !isKept(keep, successor)) continue;
        if (!isMaximalExtension(g, keep, r, w) || !this.take(r.id)) continue;
        const cut = g.restrict(keep);
        freezePrefix(cut, prefix);
        repairDanglingReads(cut);
        const r2 = cut.threads[tid]![i]!;
        setReadsFrom(r2, cut.event(w.id));
        r2.addedMax = cut.coLast(w.loc).id === w.id;
        if (this.memoryModel.isConsistent(cut)) this.visit(cut);
        this.path.pop();
      }
    }
    this.path.pop();
  }

  /** Enters choice `c` at the current depth (pushing it on the path), unless replay guides elsewhere. */
  private take(c: number): boolean {
    if (this.guide !== undefined && this.guide[this.path.length] !== c) return false;
    if (this.gate !== undefined && !this.gate.admits(this.path, c, this.recorder)) return false;
    this.path.push(c);
    return true;
  }

}

/** TruSt's condition: the deleted events and r were each added maximally, and none is coherence-before a kept write. */
function isMaximalExtension(g: ExecutionGraph, keep: Int32Array, r: GraphEvent, w: GraphEvent): boolean {
  if (!addedMaximally(g, keep, r, w)) return false;
  for (let tid = 0; tid < g.threadCount; tid++) {
    const events = g.threads[tid]!;
    for (let i = keep[tid]!; i < events.length; i++) if (!addedMaximally(g, keep, events[i]!, w)) return false;
  }
  return true;
}

function addedMaximally(g: ExecutionGraph, keep: Int32Array, e: GraphEvent, w: GraphEvent): boolean {
  if (!e.revisitable) return false;
  if (e.kind === "F") return true;
  if (!e.addedMax) return false;
  const order = g.co[e.loc]!;
  for (let k = order.indexOf(e.kind === "R" ? e.rf : e.id) + 1; k < order.length; k++) {
    if (order[k] !== w.id && isKept(keep, order[k]!)) return false;
  }
  return true;
}

function isKept(keep: Int32Array, id: number): boolean {
  const tid = tidOf(id);
  return tid < 0 || idxOf(id) < keep[tid]!;
}

/** The revisiting write's prefix may not be undone by later revisits (it would be explored again). */
function freezePrefix(g: ExecutionGraph, prefix: Int32Array): void {
  g.threads.forEach((t, tid) => {
    for (let i = 0; i < prefix[tid]!; i++) t[i]!.revisitable = false;
  });
}

/**
 * A read kept by a revisit may have read from a write the revisit deleted
 * (the read was itself revisited earlier); it is then the last event of its
 * thread, and goes back to reading coherence-last, as if added afresh.
 */
function repairDanglingReads(g: ExecutionGraph): void {
  for (const t of g.threads) {
    const r = t[t.length - 1];
    if (r === undefined || r.kind !== "R" || g.has(r.rf)) continue;
    setReadsFrom(r, g.coLast(r.loc));
    r.addedMax = true;
  }
}

/** Whether the write just placed at `pos` comes between an RMW's write and the write it read. */
function splitsRmw(g: ExecutionGraph, order: readonly number[], pos: number): boolean {
  const after = order[pos + 1];
  if (after === undefined) return false;
  const w = g.event(after);
  return w.rmw === "write" && g.threads[w.tid]![w.idx - 1]!.rf === order[pos - 1];
}

/** Per thread, how many of its first events are in the po ∪ rf prefix of e (e included). */
export function porfPrefix(g: ExecutionGraph, e: GraphEvent): Int32Array {
  const n = g.threadCount;
  const prefix = new Int32Array(n);
  const scanned = new Int32Array(n);
  prefix[e.tid] = e.idx + 1;
  for (let changed = true; changed; ) {
    changed = false;
    for (let t = 0; t < n; t++) {
      const events = g.threads[t]!;
      while (scanned[t]! < prefix[t]!) {
        const x = events[scanned[t]!++]!;
        if (x.kind !== "R") continue;
        const wt = tidOf(x.rf);
        if (wt >= 0 && prefix[wt]! <= idxOf(x.rf)) {
          prefix[wt] = idxOf(x.rf) + 1;
          changed = true;
        }
      }
    }
  }
  return prefix;
}

/** The events a revisit keeps: those added no later than the read, and the write's prefix. */
function keptView(g: ExecutionGraph, prefix: Int32Array, stamp: number): Int32Array {
  const keep = new Int32Array(g.threadCount);
  for (let t = 0; t < g.threadCount; t++) {
    const events = g.threads[t]!;
    let k = 0;
    while (k < events.length && events[k]!.stamp <= stamp) k++;
    keep[t] = Math.max(k, prefix[t]!);
  }
  return keep;
}

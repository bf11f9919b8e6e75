// Optimal exploration of execution graphs: every consistent graph is visited
// exactly once, in linear memory. This is the TruSt algorithm
// (Kokologiannakis, Marmanis, Gladstein, Vafeiadis, POPL 2022, Algorithm 2):
//
// - Events are added one at a time, in the order a fixed scheduler picks
//   (the lowest-numbered thread that can move; the write half of an RMW
//   first; a thread whose await the latest write does not let through only
//   when no other thread can move: see latestStopsAwait).
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
// - A lock acquisition that a revisit makes wait on a lock word is taken
//   out of the graph and issued again once the lock is released
//   (lockReissue.ts).
//
// Under SC and TSO every consistent graph has an acyclic po ∪ rf, and a
// write never revisits a read in its own prefix. Under LKMM (load
// buffering) it may: see revisitReadsOutOfOrder. Where the model accepts any maximal
// addition (a read of the coherence-last write, a write placed
// coherence-last: the new event then has no outgoing edge), those are not
// re-checked.

import type { Model } from "../program/model.ts";
import { holeAt, idxOf, isHole, isWaiting, tidOf, type GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import { dropDeletedReissues, reissuedFrom, takeOutToReissue } from "./lockReissue.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import type { Pending, ThreadReplayer } from "../runtime/threadReplayer.ts";
import { judge } from "../checks/outcome.ts";
import { recordExecution } from "./failedThreadClosure.ts";
import { newEvent, setReadsFrom, setReadValue } from "./eventFactory.ts";
import { isLockAcquisitionRead, isLockWrite } from "./lockWords.ts";
import { claimedByAnotherRmw, rmwAtomic } from "../models/atomicity.ts";
import { coherenceFloor } from "../models/coherenceFloor.ts";
import type { ExecutionRecorder } from "./executionRecorder.ts";
import { ThreadFailure } from "../runtime/threadFailure.ts";
import { InfeasibleGraph } from "../runtime/infeasibleGraph.ts";
import { dependencyPrefix, dependentsOf, isMarked, keptByRevisit, porfMarks, revisitPrefix } from "./dependencyPrefix.ts";
import { ReachedGraphs } from "./reachedGraphs.ts";
import { RevisitMemo } from "./revisitMemo.ts";
import { FutureAccesses, QUICK_DOMAIN_BUDGET, type Accesses } from "./futureAccesses.ts";
import { settleValues } from "./valueCycles.ts";
import { coherenceCeiling } from "./coherenceCeiling.ts";
import type { ChoiceGate } from "./choiceGate.ts";
import type { ThreadSymmetry } from "./threadSymmetry.ts";

export class OptimalExplorer {
  /** The choices taken from the root to the current graph: the replay path. */
  readonly path: number[] = [];
  /** The model allows po ∪ rf cycles: revisits keep dependency prefixes, and graphs may have holes (dependencyPrefix.ts). */
  private readonly loadBuffering: boolean;
  /** Under load buffering, the complete graphs recorded so far (see reachedGraphs.ts). */
  private readonly reached: ReachedGraphs | undefined;
  /** Under load buffering, the graphs revisits have made (see revisitMemo.ts). */
  private readonly revisits: RevisitMemo | undefined;
  /** An await the latest write does not let through waits its turn (see extend). */
  private readonly holdAwaits: boolean;
  /** Made when a stale waiter first needs it (see noRevisitReaches). */
  private futureAccesses: FutureAccesses | undefined;
  /** A read the model may forbid to take the coherence-latest write (MemoryModel.latestSourceMayBeForbidden; see isMaximalDeletion). */
  private readonly olderSourceOnly: (g: ExecutionGraph, r: GraphEvent) => boolean;

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
    /** When set, one graph per class of graphs equal up to exchanging identical threads (threadSymmetry.ts; not under load buffering). */
    private readonly symmetry?: ThreadSymmetry,
  ) {
    this.loadBuffering = !memoryModel.porfAcyclic;
    if (symmetry !== undefined && this.loadBuffering) throw new Error("symmetry reduction is not sound under load buffering");
    this.holdAwaits = pruneStaleAwaits && !this.loadBuffering;
    replayer.revisitsOutOfOrder = this.loadBuffering;
    this.reached = this.loadBuffering ? new ReachedGraphs() : undefined;
    this.revisits = this.loadBuffering ? new RevisitMemo(model.dependenciesNamed === true) : undefined;
    this.olderSourceOnly = memoryModel.latestSourceMayBeForbidden?.bind(memoryModel) ?? (() => false);
  }

  run(): void {
    this.visit(ExecutionGraph.initial(this.model.initial, this.model.threads.length));
  }

  /** `changed`: the write just placed, or "revisit" when a revisit made g (see hasStuckStaleWaiter). */
  private visit(g: ExecutionGraph, changed?: GraphEvent | "revisit"): void {
    if (this.recorder.stopped) return;
    try {
      this.extend(g, changed);
    } catch (e) {
      // A thread that no longer issues the events a revisit kept: this graph is no execution (its own are reached elsewhere).
      if (e instanceof InfeasibleGraph) return;
      // The innermost visit sees it first: its graph and path are the ones that reach the failure again.
      if (e instanceof ThreadFailure) {
        e.graph ??= g.clone();
        e.path ??= this.path.slice();
      }
      throw e;
    }
  }

  /** Adds the scheduled thread's next event in every way, or records the execution when no thread can move. */
  private extend(g: ExecutionGraph, changed?: GraphEvent | "revisit"): void {
    if (this.pruneStaleAwaits && !this.loadBuffering && hasStuckStaleWaiter(g, changed, this)) return;
    if (this.symmetry?.outOfOrder(g)) return;
    const pendings: Pending[] = [];
    let stuck = false;
    // The lowest thread whose await the latest write does not let through, with that await.
    let held = -1;
    let heldAwait: Pending | undefined;
    for (let tid = 0; tid < g.threadCount; tid++) {
      // With holes (or with load buffering), every thread is run up to its first hole, which checks the events kept after it.
      let p: Pending;
      try {
        p = this.replayer.pending(g, tid);
      } catch (e) {
        if (!(e instanceof InfeasibleGraph)) throw e;
        // The thread does not issue an event kept after a read whose value changed: it is stuck until a later write revisits that read.
        stuck = true;
        p = { kind: "waiting" };
      }
      if (this.holdAwaits && p.kind === "op" && this.latestStopsAwait(g, tid, p)) {
        if (held < 0) (held = tid), (heldAwait = p);
        p = { kind: "waiting" };
      }
      pendings.push(p);
      // Without load buffering no thread past an RMW's write can be scheduled before it.
      if (p.kind === "rmw-write" && !this.loadBuffering) break;
    }
    let pick = scheduledThread(g, pendings);
    if (pick < 0 && held >= 0) {
      pick = held;
      pendings[held] = heldAwait!;
    }
    let e: GraphEvent;
    for (;;) {
      if (pick < 0) {
        // Still stuck with nothing left to add: no execution of the program.
        if (stuck) return;
        if (this.symmetry !== undefined && !this.symmetry.inOrder(g)) return;
        if (this.reached !== undefined && !this.reached.add(g)) return;
        recordExecution(this.recorder, this.memoryModel, g, () => judge(this.model, g, pendings), this.path);
        return;
      }
      const stamp = g.nextStamp;
      e = newEvent(g, pick, pendings[pick]!);
      if (!this.loadBuffering || e.kind !== "R" || !this.sourceless(g, e)) break;
      // A read the model may forbid to take the latest write, with no source it may take, waits for a revisit of
      // what stands in its way, while the other threads go on.
      g.nextStamp = stamp;
      stuck = true;
      pendings[pick] = { kind: "waiting" };
      pick = scheduledThread(g, pendings);
    }
    this.place(g, e);
    if (e.kind === "R") this.addRead(g, e, reissuedFrom(g, e));
    else if (e.kind === "W") this.addWrite(g, e);
    else if (this.memoryModel.isConsistent(g)) this.visit(g);
    this.unplace(g, e);
  }

  /**
   * Whether r, a thread's next event, is a read the model may forbid to take
   * the latest write (MemoryModel.latestSourceMayBeForbidden: under LKMM a
   * lock operation of a lock its thread holds) that no write of g may give
   * its value: under LKMM, the locked values happen-before orders it after.
   * The graph where an earlier read took another write, and this one a
   * locked value, still exists, but TruSt reaches it only by a revisit from
   * a graph where that earlier read is maximal, which is this one. So the
   * thread waits, without this read, while the others go on: a later write
   * may revisit that earlier read, and the thread moves again. If none
   * does, the graph is no execution.
   */
  private sourceless(g: ExecutionGraph, r: GraphEvent): boolean {
    if (!this.olderSourceOnly(g, r)) return false;
    this.place(g, r);
    let found = false;
    for (const w of g.co[r.loc]!) {
      setReadsFrom(r, g.event(w));
      // Two RMWs taking one write: this one's write may still revisit the other (addConflictingRmwWrite), unless the
      // other comes before it in its thread.
      if ((r.rmw === "read" && claimedByRmwOutside(g, w, r)) || this.memoryModel.isConsistent(g)) {
        found = true;
        break;
      }
    }
    this.unplace(g, r);
    return !found;
  }

  /**
   * Whether thread `tid`'s next operation is an await that the latest write
   * to its location does not let through. Such a thread goes last: it
   * issues its await when the latest write lets it through, or when no
   * other thread can move. A waiting read added earlier would be left
   * behind on a stale value by the next write (a blocked exploration) in
   * every graph where that write does not revisit it.
   */
  private latestStopsAwait(g: ExecutionGraph, tid: number, p: Pending): boolean {
    if (p.kind !== "op" || (p.op.kind !== "read" && p.op.kind !== "rmw") || p.op.until === undefined) return false;
    const stamp = g.nextStamp;
    const probe = newEvent(g, tid, p);
    g.nextStamp = stamp;
    setReadsFrom(probe, g.coLast(probe.loc));
    return isWaiting(probe);
  }

  /** Puts a new event in its thread: at its end, or into its first hole. */
  private place(g: ExecutionGraph, e: GraphEvent): void {
    const thread = g.threads[e.tid]!;
    if (e.idx === thread.length) thread.push(e);
    else {
      thread[e.idx] = e;
      g.holes--;
    }
  }

  /** Takes an event back out, leaving a hole where it filled one (the thread's cached run had gone past it). */
  private unplace(g: ExecutionGraph, e: GraphEvent): void {
    const thread = g.threads[e.tid]!;
    if (e.idx === thread.length - 1) thread.pop();
    else {
      thread[e.idx] = holeAt(e.tid, e.idx);
      g.holes++;
      this.replayer.forget(e.tid);
    }
  }

  /**
   * Forward choices: every write to the location, coherence-last first.
   * An await that would read a stale value it cannot accept is pruned: its
   * thread would wait there in every graph below (the read, not being
   * maximal, can neither be revisited nor deleted by a revisit), so all
   * that subtree holds is blocked explorations. It is not entered, and not
   * counted: the choice's number stays reserved, so replay paths are the
   * same with and without pruning. A lock acquisition issued again reads
   * no write below coherence position `from` (lockReissue.ts).
   */
  private addRead(g: ExecutionGraph, r: GraphEvent, from = 0): void {
    const order = g.co[r.loc]!;
    const last = order.length - 1;
    // With a coherence bound, choices below it are inconsistent and those at
    // or above it consistent; otherwise the coherence floor rules out some.
    const bound = this.memoryModel.coherenceBound?.(g, r);
    const lowest = Math.max(from, Math.min(bound ?? coherenceFloor(g, r), last));
    const checkBelow = bound ?? last + 1;
    // Filling a hole, r may be unable to read the latest writes (coherenceCeiling.ts): its maximal choice is the latest it can read.
    const latest = this.loadBuffering && r.idx + 1 < g.threads[r.tid]!.length ? Math.min(last, coherenceCeiling(g, r) - 1) : last;
    for (let k = last; k >= 0 && !this.recorder.stopped; k--) {
      if (k < lowest) continue;
      const w = order[k]!;
      setReadsFrom(r, g.event(w));
      r.addedMax = k === latest;
      // Pruned, a stale wait is no choice at all: nothing is built below it, so nothing is counted.
      if (this.pruneStaleAwaits && !r.addedMax && isWaiting(r)) continue;
      if (!this.take(last - k)) continue;
      if (r.rmw === "read" && claimedByAnotherRmw(g, w, r)) {
        this.addConflictingRmwWrite(g, r);
      } else if (this.consistentRead(g, r, k === last, k >= checkBelow)) {
        this.visit(g);
      }
      this.path.pop();
    }
  }

  /** A read's choice: maximal (skipped where the model allows), within the coherence bound (atomicity only), or checked. */
  private consistentRead(g: ExecutionGraph, r: GraphEvent, maximal: boolean, withinBound: boolean): boolean {
    if (maximal && (this.memoryModel.maximallyExtensible || this.memoryModel.extendsMaximally?.(g, r) === true)) return true;
    if (withinBound) return rmwAtomic(g);
    return this.memoryModel.isConsistent(g);
  }

  /**
   * An RMW whose read takes a write another RMW already took cannot go on as
   * it is, but its write may revisit that other RMW's read, so that the two
   * RMWs take effect in the other order. Only those revisits are explored.
   */
  private addConflictingRmwWrite(g: ExecutionGraph, r: GraphEvent): void {
    let pending: Pending;
    try {
      pending = this.replayer.pending(g, r.tid);
    } catch (e) {
      // The RMW's write would go where the thread has an event a revisit kept.
      if (e instanceof InfeasibleGraph) return;
      throw e;
    }
    const w = newEvent(g, r.tid, pending);
    const order = g.co[w.loc]!;
    this.place(g, w);
    order.splice(order.indexOf(r.rf) + 1, 0, w.id);
    this.revisitReads(g, w, 1);
    order.splice(order.indexOf(w.id), 1);
    this.unplace(g, w);
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
        ? (w.addedMax && this.memoryModel.extendsMaximally?.(g, w) === true) || this.memoryModel.isConsistent(g)
        : w.addedMax || (pos >= checkFrom ? !splitsRmw(g, order, pos) : this.memoryModel.isConsistent(g));
      if (consistent) {
        if (this.take(2 * (highest - pos))) {
          this.visit(g, w);
          this.path.pop();
        }
        this.revisitReads(g, w, 2 * (highest - pos) + 1);
      } else if (this.loadBuffering && w.rmw !== "write" && splitsRmw(g, order, pos)) {
        // Between an RMW's source and its write, w is consistent only once the RMW reads from w: that
        // revisit is the one way to a graph where the RMW's write, which w depends on, follows w.
        const split = g.event(order[pos + 1]!);
        this.revisitReads(g, w, 2 * (highest - pos) + 1, g.threads[split.tid]![split.idx - 1]);
      }
      order.splice(pos, 1);
    }
  }

  /**
   * Backward revisits of the reads of w's location outside w's po ∪ rf
   * prefix. On the replay path they are one choice, `choice`, followed by
   * the revisited read's position.
   */
  private revisitReads(g: ExecutionGraph, w: GraphEvent, choice: number, only?: GraphEvent): void {
    if (!this.take(choice)) return;
    if (this.loadBuffering) {
      this.revisitReadsOutOfOrder(g, w, Infinity, only);
      this.path.pop();
      return;
    }
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
        repairDanglingReads(cut, false);
        const r2 = cut.threads[tid]![i]!;
        setReadsFrom(r2, cut.event(w.id));
        r2.addedMax = cut.coLast(w.loc).id === w.id;
        if (cut.reissues !== undefined) dropDeletedReissues(cut, r.stamp);
        // A lock acquisition this revisit makes wait on a lock word is taken out, to be issued again (lockReissue.ts).
        if (this.pruneStaleAwaits && r2.op?.kind === "rmw" && isWaiting(r2) && this.isLockWord(cut, w.loc, tid, i)) takeOutToReissue(cut, r2);
        if (this.memoryModel.isConsistent(cut)) this.visit(cut, "revisit");
        this.path.pop();
      }
    }
    this.path.pop();
  }

  /**
   * Backward revisits where po ∪ rf may become cyclic (load buffering).
   * Besides TruSt's (reads outside w's po ∪ rf prefix), w may revisit a
   * read inside that prefix when w does not depend on it
   * (dependencyPrefix.ts), or when the cycle this closes determines the
   * read's value (valueCycles.ts). What is kept: the events added no later
   * than the read, and w's po ∪ rf prefix — less, in the read's thread past
   * the read, the reads w does not depend on, and the events whose values
   * follow from the read's new value or from a read that goes: they leave
   * holes, filled again first. Having revisited r, w may go on to revisit
   * reads added before r. A graph revisits made before is not explored
   * again (revisitMemo.ts), and each complete graph is recorded once
   * (reachedGraphs.ts).
   */
  private revisitReadsOutOfOrder(g: ExecutionGraph, w: GraphEvent, addedBefore = Infinity, only?: GraphEvent, outsidePrefixOnly = false): void {
    const porf = porfMarks(g, w);
    const depends = dependencyPrefix(g, w);
    const order = g.co[w.loc]!;
    const wAt = order.indexOf(w.id);
    const successor = wAt + 1 < order.length ? order[wAt + 1]! : undefined;
    for (let tid = 0; tid < g.threadCount && !this.recorder.stopped; tid++) {
      const events = g.threads[tid]!;
      for (let i = 0; i < events.length && !this.recorder.stopped; i++) {
        const r = events[i]!;
        if (r.kind !== "R" || r.loc !== w.loc || isHole(r) || r.stamp >= addedBefore || (only !== undefined && r !== only)) continue;
        if (tid === w.tid && i < w.idx) continue; // coherence
        const inPrefix = porf[tid]![i] === 1;
        if (inPrefix && outsidePrefixOnly && r.op?.kind !== "rmw") continue;
        // w depends on r: the cycle must determine r's value (valueCycles.ts).
        const closesCycle = inPrefix && depends[tid]![i] === 1;
        if (closesCycle && isMarked(dependentsOf(g, (x) => x === r, porf, false), w.id)) continue;
        const kept = inPrefix ? revisitPrefix(g, w, r, depends, closesCycle) : porf;
        const keep = keptByRevisit(g, kept, r.stamp);
        // Inside the prefix, what depends on the read's new value, or on a read that goes, goes too (it is added again).
        const valueChanges = r.value !== w.value;
        const redone =
          inPrefix && !closesCycle
            ? dependentsOf(g, (x) => (x === r && valueChanges) || (x.kind === "R" && x.tid >= 0 && keep[x.tid]![x.idx] === 0), keep)
            : undefined;
        if (redone !== undefined) redone.forEach((marks, t) => marks.forEach((m, k) => m === 1 && (keep[t]![k] = 0)));
        if (w.rmw !== "write" && successor !== undefined && !isMarked(keep, successor)) continue;
        // Closing a cycle, what was in w's prefix only through r's old source goes (revisitPrefix), though an earlier
        // revisit froze it: that revisit is the one being undone.
        const released = closesCycle ? releasedBy(porf, porfMarks(g, w, r), keep) : undefined;
        if (!isMaximalDeletion(g, keep, r, w, redone, inPrefix, released, this.olderSourceOnly) || !this.take(r.id)) continue;
        const cut = g.restrictTo(keep);
        // What w depends on is frozen: undoing it would undo this revisit. A read of w's po ∪ rf prefix that w does
        // not depend on stays revisitable: a later write may still take it, deleting what was added after it (a third
        // thread's RMW this revisit made read w, say), which is then added again.
        kept.forEach((marks, t) =>
          marks.forEach((m, k) => {
            if (m === 1 && depends[t]![k] === 1 && keep[t]![k] === 1 && !(t === tid && k === i)) cut.threads[t]![k]!.revisitable = false;
          }),
        );
        repairDanglingReads(cut, true);
        const r2 = cut.threads[tid]![i]!;
        // r's value before the revisit (its old source may be gone, and r repaired to another).
        const before = r.value;
        setReadsFrom(r2, cut.event(w.id));
        r2.addedMax = cut.coLast(w.loc).id === w.id;
        // Kept events whose values follow from r's without a named dependency (or around a cycle) take their new values.
        const settled = before === r2.value || settleValues(cut, this.replayer, r2, cut.event(w.id));
        if (settled && this.memoryModel.isConsistent(cut)) {
          // A graph another sequence of revisits made has been explored below (revisitMemo.ts).
          if (!this.revisits!.madeBefore(cut)) this.visit(cut);
          // Having taken a read of its own prefix, w may take over reads added before it that are outside its
          // prefix (revisiting one of those first would have kept r as it was), or RMWs whose success the
          // first revisit may have changed. Going from later reads to earlier ones names each set once.
          if (inPrefix) this.revisitReadsOutOfOrder(cut, cut.event(w.id), r.stamp, undefined, true);
        }
        this.path.pop();
      }
    }
  }

  /**
   * Whether location `loc` is a lock word (lockWords.ts) in every graph
   * below g: each write to it in g, and each write any thread may still
   * make from where it is in g (thread `waiter` from its first `upTo`
   * events), is a lock acquisition or its holder's release, and each lock
   * acquisition of it in g succeeds on the unlocked value alone.
   */
  private isLockWord(g: ExecutionGraph, loc: number, waiter: number, upTo: number): boolean {
    const unlocked = this.model.initial[loc]!;
    const acquisitions: GraphEvent[] = [];
    // What the graph shows first: it needs no search.
    for (let t = 0; t < g.threadCount; t++) {
      const events = g.threads[t]!;
      const k = t === waiter ? upTo : events.length;
      for (let i = 0; i < k; i++) {
        const e = events[i]!;
        if (e.loc !== loc) continue;
        if (e.kind === "W" && !isLockWrite(events, i, unlocked)) return false;
        if (e.kind === "R" && e.op?.kind === "rmw" && e.op.until !== undefined) acquisitions.push(e);
      }
    }
    this.futureAccesses ??= new FutureAccesses(this.model, this.replayer.maxEvents, this.memoryModel.name);
    const values = this.futureAccesses.valuesOf(loc, QUICK_DOMAIN_BUDGET);
    if (values === undefined) return false;
    // An acquisition in g may read another value below g: it must succeed on the unlocked value alone.
    for (const r of acquisitions) {
      const probe = { ...r };
      for (const v of values) {
        setReadValue(probe, v);
        if (!isLockAcquisitionRead(probe, unlocked)) return false;
      }
    }
    for (let t = 0; t < g.threadCount; t++) {
      const later = this.mayAccess(g, t, t === waiter ? upTo : g.threads[t]!.length);
      if (later === undefined || later.nonLockWrites.has(loc)) return false;
    }
    return true;
  }

  /** Whether thread `tid` has ended in g. */
  threadEnded(g: ExecutionGraph, tid: number): boolean {
    return this.replayer.pending(g, tid).kind === "end";
  }

  /** The locations thread `tid` may access after its first k events in g, when known (futureAccesses.ts). */
  mayAccess(g: ExecutionGraph, tid: number, k: number): Accesses | undefined {
    this.futureAccesses ??= new FutureAccesses(this.model, this.replayer.maxEvents, this.memoryModel.name);
    return this.futureAccesses.after(g, tid, k);
  }

  /** Enters choice `c` at the current depth (pushing it on the path), unless replay guides elsewhere. */
  private take(c: number): boolean {
    if (this.guide !== undefined && this.guide[this.path.length] !== c) return false;
    if (this.gate !== undefined && !this.gate.admits(this.path, c, this.recorder)) return false;
    this.path.push(c);
    return true;
  }

}

/**
 * Whether some thread waits at an await on a value a later write x
 * overwrote, where x stays in every graph below: the await can then
 * neither be revisited nor be deleted (it is not maximal), so every graph
 * below ends blocked. x stays when no revisit can delete it
 * (neverDeleted), or when no write yet to come can revisit a read added
 * before x, which every revisit that deletes x does (noRevisitReaches).
 * `changed` is the write just placed, or "revisit" when a revisit made g:
 * the second test is made only then, since adding an event forward cannot
 * turn its answer to yes. `threads` says whether a thread has ended, and
 * what it may still access (futureAccesses.ts).
 */
function hasStuckStaleWaiter(g: ExecutionGraph, changed: GraphEvent | "revisit" | undefined, threads: Pick<OptimalExplorer, "threadEnded" | "mayAccess">): boolean {
  for (const events of g.threads) {
    const r = events[events.length - 1];
    if (r === undefined || r.kind !== "R" || !isWaiting(r)) continue;
    const order = g.co[r.loc]!;
    for (let k = order.indexOf(r.rf) + 1; k < order.length; k++) {
      const x = g.event(order[k]!);
      // While x stays, the waiter's thread does not move again.
      if (neverDeleted(g, x)) return true;
      // Forward additions leave the events added up to x, which threads ended among them, which reads among them
      // can be revisited and what threads may still access as they were, and only add to what follows an event in
      // po ∪ rf: only a revisit, or x's own placement, can turn the answer to yes.
      if ((changed === "revisit" || changed === x) && noRevisitReaches(g, x, (t) => t === r.tid || threads.threadEnded(g, t), (t, k) => threads.mayAccess(g, t, k))) return true;
    }
  }
  return false;
}

/**
 * Whether no write added below g can take x away: only a revisit of a read
 * added before x can (a revisit keeps every event added up to the read it
 * revisits). Until the first such revisit, every graph below keeps the
 * events added up to x as they are. A write added later comes after its
 * thread's events among those, so the reads in their po ∪ rf prefix are in
 * its prefix: it cannot revisit them; and if x is in that prefix, a revisit
 * by it keeps x and freezes it, so x stays for good. A thread that has
 * ended among those events (or that waits, per `ended`) adds no write; one
 * that has not writes only where some run of it may still write
 * (`mayAccess`). Some reads can never be revisited (neverRevisitable), and
 * some revisits would delete an event no revisit may delete
 * (lastingBlockers).
 */
function noRevisitReaches(
  g: ExecutionGraph,
  x: GraphEvent,
  ended: (tid: number) => boolean,
  mayAccess: (tid: number, k: number) => Accesses | undefined,
): boolean {
  const n = g.threadCount;
  // Per thread, how many of its events were added up to x.
  const upTo = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const events = g.threads[t]!;
    let k = 0;
    while (k < events.length && events[k]!.stamp <= x.stamp) {
      // A source added after its read may go, and the read back to reading coherence-last: its prefix would change.
      if (!hasLastingSource(g, events[k]!)) return false;
      k++;
    }
    upTo[t] = k;
  }
  const candidates: GraphEvent[] = [];
  for (let t = 0; t < n; t++) {
    for (const r of g.threads[t]!) {
      if (r.stamp >= x.stamp) break;
      if (r.kind === "R" && !neverRevisitable(g, r)) candidates.push(r);
    }
  }
  if (candidates.length === 0) return true;
  const ruledOut = lastingBlockers(g, x, upTo, mayAccess);
  for (let t = 0; t < n; t++) {
    const k = upTo[t]!;
    if (k === g.threads[t]!.length && ended(t)) continue;
    // A write t adds later has these in its prefix.
    const prefix = k === 0 ? undefined : porfPrefix(g, g.threads[t]![k - 1]!);
    // With x in its prefix too, a revisit by that write keeps x and freezes it: x stays for good.
    if (prefix !== undefined && prefix[x.tid]! > x.idx) continue;
    const outside = candidates.filter((r) => r.tid !== t && (prefix === undefined || prefix[r.tid]! <= r.idx));
    if (outside.length === 0) continue;
    // Those outside it it can revisit only by writing their locations.
    const writes = mayAccess(t, k)?.writes;
    if (writes === undefined) return false;
    for (const r of outside) if (writes.has(r.loc) && !ruledOut(t, r)) return false;
  }
  return true;
}

/**
 * Whether a revisit of read r by a write that thread t adds later is ruled
 * out: it would delete an event no revisit may delete (frozen, or added up
 * to x without being maximal; such an event stays as it is until a read
 * added before x is revisited), one added after r that the write cannot
 * have in its prefix (taintedBy).
 */
function lastingBlockers(
  g: ExecutionGraph,
  x: GraphEvent,
  upTo: Int32Array,
  mayAccess: (tid: number, k: number) => Accesses | undefined,
): (t: number, r: GraphEvent) => boolean {
  const blockers: GraphEvent[] = [];
  for (const events of g.threads) {
    for (const e of events) {
      const lasting = !e.revisitable || (e.stamp <= x.stamp && e.kind !== "F" && !e.addedMax);
      if (lasting) blockers.push(e);
    }
  }
  blockers.sort((a, b) => b.stamp - a.stamp);
  const tainted = new Map<GraphEvent, Uint8Array>();
  return (t, r) => {
    for (const e of blockers) {
      if (e.stamp <= r.stamp) return false;
      let marks = tainted.get(e);
      if (marks === undefined) tainted.set(e, (marks = taintedBy(g, e, upTo, mayAccess)));
      if (marks[t] === 0) return true;
    }
    return false;
  };
}

/**
 * The threads that have, or may yet have, e in the po ∪ rf prefix of their
 * events: those with an event that follows e in po ∪ rf, and those that
 * may still read a location that such an event, or a write still to come
 * of such a thread, writes (futureAccesses.ts, from the events added up
 * to x, `upTo`); every thread when a thread's accesses are not known.
 */
function taintedBy(g: ExecutionGraph, e: GraphEvent, upTo: Int32Array, mayAccess: (tid: number, k: number) => Accesses | undefined): Uint8Array {
  const n = g.threadCount;
  // Per thread, the first position that follows e in po ∪ rf.
  const from = new Int32Array(n).fill(0x7fffffff);
  from[e.tid] = e.idx;
  for (let changed = true; changed; ) {
    changed = false;
    for (let t = 0; t < n; t++) {
      const events = g.threads[t]!;
      for (let i = 0; i < events.length && i < from[t]!; i++) {
        const r = events[i]!;
        if (r.kind !== "R") continue;
        const wt = tidOf(r.rf);
        if (wt < 0 || idxOf(r.rf) < from[wt]!) continue;
        from[t] = i;
        changed = true;
        break;
      }
    }
  }
  const marks = new Uint8Array(n);
  const locs = new Set<number>();
  const all = () => marks.fill(1);
  for (let t = 0; t < n; t++) {
    const events = g.threads[t]!;
    if (from[t]! >= events.length) continue;
    marks[t] = 1;
    for (let i = from[t]!; i < events.length; i++) if (events[i]!.kind === "W") locs.add(events[i]!.loc);
  }
  for (let t = 0; t < n; t++) {
    if (marks[t] === 0) continue;
    const later = mayAccess(t, upTo[t]!);
    if (later === undefined) return all();
    for (const l of later.writes) locs.add(l);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (let t = 0; t < n; t++) {
      if (marks[t] === 1) continue;
      const later = mayAccess(t, upTo[t]!);
      if (later === undefined) return all();
      if (![...later.reads].some((l) => locs.has(l))) continue;
      marks[t] = 1;
      for (const l of later.writes) locs.add(l);
      changed = true;
    }
  }
  return marks;
}

/** Whether e, if a read, reads a write that goes only with it: one added before it, or a frozen one. */
function hasLastingSource(g: ExecutionGraph, e: GraphEvent): boolean {
  if (e.kind !== "R") return true;
  const w = g.event(e.rf);
  return w.stamp < e.stamp || !w.revisitable;
}

/**
 * Whether read r, whose source lasts (hasLastingSource), can be revisited in
 * no graph below where it is kept as it is: it is frozen; or it read a
 * write added before it without reading coherence-last; or a write
 * coherence-after its source (of another thread, or before r in its own)
 * stays whenever r does (added before r, or frozen), so r is not maximal.
 */
function neverRevisitable(g: ExecutionGraph, r: GraphEvent): boolean {
  if (!r.revisitable) return true;
  if (!r.addedMax && g.event(r.rf).stamp < r.stamp) return true;
  const order = g.co[r.loc]!;
  for (let k = order.indexOf(r.rf) + 1; k < order.length; k++) {
    const y = g.event(order[k]!);
    if (y.tid === r.tid && y.idx > r.idx) continue;
    if (y.stamp < r.stamp || !y.revisitable) return true;
  }
  return false;
}

/**
 * A revisit deletes an event only with every event after it in its thread,
 * each added maximally and not frozen (isMaximalExtension): one that is not
 * makes the whole prefix up to it permanent.
 */
function neverDeleted(g: ExecutionGraph, x: GraphEvent): boolean {
  const events = g.threads[x.tid]!;
  for (let i = x.idx; i < events.length; i++) {
    const e = events[i]!;
    if (!e.revisitable || (e.kind !== "F" && !e.addedMax)) return true;
  }
  return false;
}

/** TruSt's condition: the deleted events and r were each added maximally, and none is coherence-before a kept write. */
function isMaximalExtension(g: ExecutionGraph, keep: Int32Array, r: GraphEvent, w: GraphEvent): boolean {
  const kept = (id: number) => isKept(keep, id);
  if (!addedMaximallyAmong(g, kept, r, w)) return false;
  for (let tid = 0; tid < g.threadCount; tid++) {
    const events = g.threads[tid]!;
    for (let i = keep[tid]!; i < events.length; i++) if (!addedMaximallyAmong(g, kept, events[i]!, w)) return false;
  }
  return true;
}

function isKept(keep: Int32Array, id: number): boolean {
  const tid = tidOf(id);
  return tid < 0 || idxOf(id) < keep[tid]!;
}

/** A read of an RMW that wrote nothing (a failed trylock or cmpxchg). */
function isFailedRmw(e: GraphEvent): boolean {
  return e.kind === "R" && e.rmw === "none" && e.op?.kind === "rmw";
}

/** No write counts as kept (for isMaximalDeletion inside w's prefix). */
const nothingKept = () => false;

/**
 * TruSt's condition with holes: every deleted event, and r, added
 * maximally, and none coherence-before a kept write. A revisit inside w's
 * prefix (load buffering) may delete an RMW coherence-before a kept write:
 * a third thread's xchg that read the lock's xchg, before its unlock, which
 * w's prefix keeps. No other revisit reaches the graphs where that thread,
 * added again, reads the xchg once more: it is scheduled first, each
 * revisit closing the cycle keeps it where it is, and an RMW's write has
 * no other coherence position (a plain write added earlier may also have
 * been placed after the kept write, and deleted from there). A failed
 * RMW's read (a trylock that found the lock taken) may be deleted by any
 * revisit, added maximally or not: under LKMM the trylock's success can be
 * inconsistent (lock-nest, its thread holding the lock), so the graph where
 * it read the coherence-latest write, which TruSt would delete it from, need
 * not exist. For the same reason a read the model may forbid to take the
 * coherence-latest write (`olderSourceOnly`: under LKMM a lock operation of
 * a lock its thread holds, which may only find it locked) may be revisited,
 * or deleted, whatever it read, unless frozen: with another thread's unlock
 * of that lock coherence-latest, no graph has it reading that unlock, and a
 * revisit from there is the only way TruSt has to the graphs where it reads
 * a lock write added later, or is added again after a revisit of an earlier
 * read. Graphs reached twice so are recorded once (reachedGraphs.ts).
 */
function isMaximalDeletion(
  g: ExecutionGraph,
  keep: readonly Uint8Array[],
  r: GraphEvent,
  w: GraphEvent,
  redone: readonly Uint8Array[] | undefined,
  inPrefix: boolean,
  released: readonly Uint8Array[] | undefined,
  olderSourceOnly: (g: ExecutionGraph, r: GraphEvent) => boolean,
): boolean {
  const kept = (id: number) => isMarked(keep, id);
  // A read inside w's prefix may have been frozen by an earlier revisit that w's prefix keeps, or have read a stale
  // write on a path whose thread structure only that value gives: only its source changes.
  if (!inPrefix && !addedMaximallyAmong(g, kept, r, w, false, true) && !(r.revisitable && olderSourceOnly(g, r))) return false;
  for (let tid = 0; tid < g.threadCount; tid++) {
    const events = g.threads[tid]!;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (keep[tid]![i] === 0 && !isHole(e) && redone?.[tid]![i] !== 1) {
        // An event of r's old source's prefix was frozen by the revisit this one undoes; r's RMW write moves with r.
        const freed = released?.[tid]![i] === 1;
        const keptPast = freed && r.rmw === "read" ? (id: number) => id !== r.id + 1 && kept(id) : kept;
        // A failed RMW's read that is not frozen may go whatever it read, and inside w's prefix an RMW may be
        // coherence-before a kept write (see above).
        if (isFailedRmw(e) && (e.revisitable || freed)) continue;
        if (addedMaximallyAmong(g, inPrefix && e.rmw !== "none" ? nothingKept : keptPast, e, w, freed, true)) continue;
        if (!((e.revisitable || freed) && olderSourceOnly(g, e))) return false;
      }
    }
  }
  return true;
}

/** The events of w's po ∪ rf prefix (`porf`) that are not in it once r reads from w (`reread`), and that the revisit deletes. */
function releasedBy(porf: readonly Uint8Array[], reread: readonly Uint8Array[], keep: readonly Uint8Array[]): Uint8Array[] | undefined {
  let any = false;
  const out = porf.map((marks, t) =>
    marks.map((m, k) => {
      const gone = m === 1 && reread[t]![k] === 0 && keep[t]![k] === 0 ? 1 : 0;
      if (gone) any = true;
      return gone;
    }),
  );
  return any ? out : undefined;
}

/**
 * Whether e was added maximally, as far as what is kept shows: it read, or
 * was placed, coherence-last among the kept writes (w aside). A kept write
 * of e's own thread after e is one e could not read (coherence). Under load
 * buffering (`withinCoherence`), where a revisit may keep what follows a
 * deleted event, nor could e read, or be placed after, a kept write at or
 * past the ceiling its coherence successors in g set (coherenceCeiling.ts):
 * in g itself e could go no further, so g is the graph where e is maximal.
 */
function addedMaximallyAmong(g: ExecutionGraph, kept: (id: number) => boolean, e: GraphEvent, w: GraphEvent, frozenToo = false, withinCoherence = false): boolean {
  if (!e.revisitable && !frozenToo) return false;
  if (e.kind === "F") return true;
  if (!e.addedMax) return false;
  const order = g.co[e.loc]!;
  for (let k = order.indexOf(e.kind === "R" ? e.rf : e.id) + 1; k < order.length; k++) {
    const later = order[k]!;
    if (later === w.id || !kept(later) || (tidOf(later) === e.tid && idxOf(later) > e.idx)) continue;
    // The first kept write after e's choice: any later one is further still.
    return withinCoherence && k >= coherenceCeiling(g, e);
  }
  return true;
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
function repairDanglingReads(g: ExecutionGraph, anywhere: boolean): void {
  for (const t of g.threads) {
    // Under load buffering (`anywhere`) a dangling read need not be last: the events after it are checked when the thread runs again.
    for (let i = anywhere ? 0 : t.length - 1; i < t.length; i++) {
      const r = t[i];
      if (r === undefined || r.kind !== "R" || g.has(r.rf)) continue;
      setReadsFrom(r, g.coLast(r.loc));
      r.addedMax = true;
    }
  }
}

/** The thread to move next: an RMW's write right after its read; then holes, in thread order; then the lowest thread that can move; -1 when none can. */
function scheduledThread(g: ExecutionGraph, pendings: readonly Pending[]): number {
  let hole = -1;
  let op = -1;
  for (let tid = 0; tid < pendings.length; tid++) {
    const p = pendings[tid]!;
    if (p.kind === "rmw-write") return tid;
    if (p.kind !== "op") continue;
    if (op < 0) op = tid;
    if (hole < 0 && g.holes > 0 && g.nextPosition(tid) < g.threads[tid]!.length) hole = tid;
  }
  return hole >= 0 ? hole : op;
}

/** Whether an RMW other than r, and not before r in r's thread, reads `source` (so that r's write may revisit it). */
function claimedByRmwOutside(g: ExecutionGraph, source: number, r: GraphEvent): boolean {
  for (const t of g.threads)
    for (const e of t) if (e !== r && e.kind === "R" && e.rmw === "read" && e.rf === source && !(e.tid === r.tid && e.idx < r.idx)) return true;
  return false;
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

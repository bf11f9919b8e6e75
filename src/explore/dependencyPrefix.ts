// What a backward revisit keeps under a model that allows load buffering
// (LKMM): the revisiting write's dependency prefix instead of its whole
// po ∪ rf prefix. A write that does not depend on a read po-before it may
// be read by a read that the first read reads from, so its thread's earlier
// events need not be kept with it (Kokologiannakis & Vafeiadis, "HMC: Model
// Checking for Hardware Memory Models", ASPLOS 2020, keeps (dep ∪ rf)
// prefixes for the same reason).
//
// An event depends on the reads its operation names in its address, data
// and control dependencies, and, so that the positions of the kept events
// stay the same whatever the deleted reads read, on every read that an
// earlier event of its thread branched on (a control dependency reaches
// past the end of its `if` here) and on every await before it (a thread
// waiting there would not get further). An RMW's write depends on its
// read. A read depends on the write it reads from. A dependency the model
// does not name (thread code that branches on a value without saying so)
// shows when the thread is run again: it no longer issues a kept event,
// and the graph is dropped as infeasible (runtime/infeasibleGraph.ts).

import { isHole, type GraphEvent } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import { idxOf, tidOf } from "../graph/event.ts";

/** Per thread, a mark for each event in the dependency prefix of e (e included). */
export function dependencyPrefix(g: ExecutionGraph, e: GraphEvent): Uint8Array[] {
  const index = new ThreadIndex(g);
  const marks = g.threads.map((t) => new Uint8Array(t.length));
  // Per thread, how many first events have had the branches and waits before them added (each is added once).
  const stickyDone = new Int32Array(g.threadCount);
  const stack: GraphEvent[] = [];
  const add = (x: GraphEvent | undefined) => {
    if (x === undefined || x.tid < 0 || isHole(x) || marks[x.tid]![x.idx] === 1) return;
    marks[x.tid]![x.idx] = 1;
    stack.push(x);
  };
  add(e);
  while (stack.length > 0) {
    const x = stack.pop()!;
    const t = x.tid;
    const thread = g.threads[t]!;
    if (x.kind === "R" && tidOf(x.rf) >= 0) add(g.event(x.rf));
    // The two halves of an RMW are one operation: kept or deleted together.
    if (x.rmw === "write") add(thread[x.idx - 1]);
    if (x.rmw === "read" && x.idx + 1 < thread.length) add(thread[x.idx + 1]);
    const own = x.op?.deps;
    if (own !== undefined) for (const named of [own.addr, own.data, own.ctrl]) if (named !== undefined) for (const n of named) add(index.read(t, n, x.idx));
    // Coherence orders a thread's accesses to one location: the latest earlier one (and through it the rest) stays.
    if (x.kind !== "F") add(index.previousAccess(t, x.idx));
    for (let i = stickyDone[t]!; i < x.idx; i++) {
      const y = thread[i]!;
      if (isHole(y)) continue;
      if (y.kind === "R" && positionsFollow(y)) add(y);
      for (const n of y.op?.deps?.ctrl ?? []) add(index.read(t, n, i));
    }
    stickyDone[t] = Math.max(stickyDone[t]!, x.idx);
  }
  return marks;
}

/** Per thread, found once: the read of each operation number, and each access's latest earlier access to its location. */
class ThreadIndex {
  private readonly reads: (Map<number, GraphEvent> | undefined)[];
  private readonly previous: (Int32Array | undefined)[];

  constructor(private readonly g: ExecutionGraph) {
    this.reads = g.threads.map(() => undefined);
    this.previous = g.threads.map(() => undefined);
  }

  /** The read of operation number `opIndex`, if it comes before position `before` (dependencies name operations by number). */
  read(tid: number, opIndex: number, before: number): GraphEvent | undefined {
    let reads = this.reads[tid];
    if (reads === undefined) {
      reads = new Map();
      for (const y of this.g.threads[tid]!) if (y.kind === "R" && !isHole(y)) reads.set(y.opIndex, y);
      this.reads[tid] = reads;
    }
    const r = reads.get(opIndex);
    return r !== undefined && r.idx < before ? r : undefined;
  }

  previousAccess(tid: number, idx: number): GraphEvent | undefined {
    let previous = this.previous[tid];
    const thread = this.g.threads[tid]!;
    if (previous === undefined) {
      previous = new Int32Array(thread.length).fill(-1);
      const last = new Map<number, number>();
      thread.forEach((y, i) => {
        if (y.kind === "F") return;
        previous![i] = last.get(y.loc) ?? -1;
        last.set(y.loc, i);
      });
      this.previous[tid] = previous;
    }
    const k = previous[idx]!;
    return k < 0 ? undefined : thread[k];
  }
}

function isAwait(r: GraphEvent): boolean {
  const op = r.op;
  return op !== undefined && (op.kind === "read" || op.kind === "rmw") && op.until !== undefined;
}

/**
 * Reads whose value decides where the thread's later events are: an await
 * (the thread waits there or goes on) and an RMW (its write is there only
 * when it succeeds).
 */
function positionsFollow(r: GraphEvent): boolean {
  return isAwait(r) || r.op?.kind === "rmw";
}

/** The events a revisit of a read added at `stamp` keeps: those added no later, and the revisiting write's prefix. */
export function keptByRevisit(g: ExecutionGraph, prefix: readonly Uint8Array[], stamp: number): Uint8Array[] {
  return g.threads.map((events, t) => {
    const keep = new Uint8Array(events.length);
    const inPrefix = prefix[t]!;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (!isHole(e) && (e.stamp <= stamp || inPrefix[i] === 1)) keep[i] = 1;
    }
    return keep;
  });
}

export function isMarked(marks: readonly Uint8Array[], id: number): boolean {
  const tid = tidOf(id);
  return tid < 0 || marks[tid]![idxOf(id)] === 1;
}

/**
 * Per thread, the events in the po ∪ rf prefix of e (e included). With
 * `rereads`, the prefix once that read reads from e: its present source
 * is not followed.
 */
export function porfMarks(g: ExecutionGraph, e: GraphEvent, rereads?: GraphEvent): Uint8Array[] {
  const marks = g.threads.map((t) => new Uint8Array(t.length));
  const upTo = new Int32Array(g.threadCount).fill(-1);
  const stack: GraphEvent[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    const thread = g.threads[x.tid]!;
    for (let i = x.idx; i > upTo[x.tid]!; i--) {
      const y = thread[i]!;
      if (isHole(y)) continue;
      marks[x.tid]![i] = 1;
      if (y.kind === "R" && tidOf(y.rf) >= 0 && y !== rereads) stack.push(g.event(y.rf));
    }
    upTo[x.tid] = Math.max(upTo[x.tid]!, x.idx);
  }
  return marks;
}

/**
 * Among the `within` events, those whose values follow from the `changed`
 * reads' (whose values change, or which are deleted and read again): the
 * events that depend on them (as dependencyPrefix counts dependencies,
 * po-loc aside) and the reads of their writes, transitively. Without
 * `control`, only the values computed from theirs (data dependencies, an
 * RMW's write), not events that merely follow a branch or an address.
 */
export function dependentsOf(g: ExecutionGraph, changed: (x: GraphEvent) => boolean, within: readonly Uint8Array[], control = true): Uint8Array[] {
  const index = new ThreadIndex(g);
  const marks = g.threads.map((t) => new Uint8Array(t.length));
  const found = (x: GraphEvent) => x.tid >= 0 && (marks[x.tid]![x.idx] === 1 || changed(x));
  /** Whether one of the reads `named` (operation numbers) before position `before` of thread t is found. */
  const namesFound = (t: number, before: number, named: readonly number[] | undefined): boolean => {
    if (named === undefined) return false;
    for (const n of named) {
      const y = index.read(t, n, before);
      if (y !== undefined && found(y)) return true;
    }
    return false;
  };
  // A thread's events in order: each depends on a change if one of its dependencies, or an earlier branch or await, does.
  for (let grew = true; grew; ) {
    grew = false;
    g.threads.forEach((thread, t) => {
      let sticky = false;
      for (let i = 0; i < thread.length; i++) {
        const x = thread[i]!;
        if (isHole(x)) continue;
        const deps = x.op?.deps;
        if (!changed(x) && within[t]![i] === 1 && marks[t]![i] === 0) {
          let dependent = sticky;
          if (!dependent && (x.rmw === "write" || isRmwSlotOf(x, thread[i - 1]))) dependent = found(thread[i - 1]!);
          if (!dependent && x.kind === "R" && tidOf(x.rf) >= 0) dependent = found(g.event(x.rf));
          if (!dependent && deps !== undefined) dependent = namesFound(t, i, deps.data) || (control && (namesFound(t, i, deps.addr) || namesFound(t, i, deps.ctrl)));
          if (dependent) (marks[t]![i] = 1), (grew = true);
        }
        // Later events follow a branch on, or an await or RMW for, a value that changes.
        if (control && namesFound(t, i, deps?.ctrl)) sticky = true;
        if (control && found(x) && x.kind === "R" && positionsFollow(x)) sticky = true;
      }
    });
  }
  return marks;
}

/** The write half of an RMW whose read is `before` (the RMW may have failed: no write). */
function isRmwSlotOf(x: GraphEvent, before: GraphEvent | undefined): boolean {
  return x.rmw === "write" && before !== undefined && before.rmw === "read";
}


/**
 * What a revisit of read r by w keeps besides the events added before r:
 * w's po ∪ rf prefix (when w depends on r, `closesCycle`, its prefix once
 * r reads from w: what was in it only through r's old source is not),
 * except the reads added after r that w does not depend on (`depends`,
 * from dependencyPrefix): in r's thread, past r, and, in the others, those
 * of w's location. They read before r took its new value, and are added
 * again after it, free to read anew — w's value among others. (Deleting a
 * read of another location in another thread only rebuilds graphs other
 * revisits build: on xchg-based locks it multiplied the graphs reached
 * again thirtyfold.) A read an earlier revisit froze
 * stays (a write whose prefix it is revisited a read: deleting it would
 * undo that), and so, in the other threads, do an RMW's read and a read of
 * a write that was not coherence-last then (deleting those would fail the
 * revisit's maximality check, where keeping them loses nothing). Equal to
 * w's po ∪ rf prefix when r is not in it (TruSt's revisits).
 */
export function revisitPrefix(g: ExecutionGraph, w: GraphEvent, r: GraphEvent, depends: readonly Uint8Array[], closesCycle: boolean): Uint8Array[] {
  const marks = porfMarks(g, w, closesCycle ? r : undefined);
  g.threads.forEach((thread, tid) => {
    for (let i = 0; i < thread.length; i++) {
      const x = thread[i]!;
      if (x.kind !== "R" || depends[tid]![i] === 1 || !x.revisitable) continue;
      // In another thread, only a read of w's location goes: one of another location would read again what it read.
      if (tid !== r.tid && x.loc !== w.loc) continue;
      if (tid === r.tid ? i > r.idx : x.stamp > r.stamp && x.addedMax && x.rmw !== "read") marks[tid]![i] = 0;
    }
  });
  return marks;
}

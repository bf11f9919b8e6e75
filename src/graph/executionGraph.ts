// An execution graph: events per thread in program order, reads-from, and a
// coherence order per location (initial write first). Mutable, so the
// explorer can add an event, try its choices and take it back; `restrict`
// copies the part a backward revisit keeps. How each thread's run ended is
// not stored here: it follows from the thread's events (see runtime/).

import type { Value } from "../program/value.ts";
import { eventId, holeAt, idxOf, isHole, tidOf, type EventId, type GraphEvent } from "./event.ts";

/**
 * A lock acquisition the optimal explorer took out of a graph, to be
 * issued again (lockReissue.ts): its position in its thread, when it was
 * first added, and the acquisition it waited on.
 */
export interface Reissue {
  readonly at: number;
  readonly stamp: number;
  readonly source: EventId;
}

export class ExecutionGraph {
  /** Per location: its initial write. */
  readonly inits: GraphEvent[];
  /** Per thread: its events in program order. */
  readonly threads: GraphEvent[][];
  /** Per location: write ids in coherence order, starting with the initial write. */
  readonly co: EventId[][];
  nextStamp: number;
  /** How many holes the threads have (see holeAt); the explorer keeps it up to date as it fills them. */
  holes: number;
  /** Per thread, the lock acquisition it is to issue again, if any (lockReissue.ts). */
  reissues: readonly (Reissue | undefined)[] | undefined;

  constructor(inits: GraphEvent[], threads: GraphEvent[][], co: EventId[][], nextStamp: number, holes = 0, reissues?: readonly (Reissue | undefined)[]) {
    this.inits = inits;
    this.threads = threads;
    this.co = co;
    this.nextStamp = nextStamp;
    this.holes = holes;
    this.reissues = reissues;
  }

  static initial(initial: readonly Value[], threadCount: number): ExecutionGraph {
    const inits = initial.map(
      (value, loc): GraphEvent => ({
        kind: "W",
        tid: -1,
        idx: loc,
        id: eventId(-1, loc),
        stamp: 0,
        loc,
        value,
        mode: "plain",
        rmw: "none",
        rf: -1,
        addedMax: true,
        revisitable: false,
        fence: undefined,
        op: undefined,
        opIndex: -1,
        step: undefined,
        tags: undefined,
      }),
    );
    return new ExecutionGraph(
      inits,
      Array.from({ length: threadCount }, () => []),
      inits.map((e) => [e.id]),
      1,
    );
  }

  get threadCount(): number {
    return this.threads.length;
  }

  event(id: EventId): GraphEvent {
    const tid = tidOf(id);
    return tid < 0 ? this.inits[idxOf(id)]! : this.threads[tid]![idxOf(id)]!;
  }

  /** Whether the event is in the graph (a hole is not). */
  has(id: EventId): boolean {
    const tid = tidOf(id);
    if (tid < 0) return idxOf(id) < this.inits.length;
    const e = this.threads[tid]?.[idxOf(id)];
    return e !== undefined && !isHole(e);
  }

  /** Where the thread's next event goes: its first hole, or its end. */
  nextPosition(tid: number): number {
    const t = this.threads[tid]!;
    if (this.holes > 0) for (let i = 0; i < t.length; i++) if (isHole(t[i]!)) return i;
    return t.length;
  }

  /** All events: initial writes, then each thread in program order. */
  *events(): IterableIterator<GraphEvent> {
    yield* this.inits;
    for (const t of this.threads) yield* t;
  }

  get size(): number {
    let n = this.inits.length;
    for (const t of this.threads) n += t.length;
    return n;
  }

  /** Position of a write in its location's coherence order. */
  coIndex(w: GraphEvent): number {
    return this.co[w.loc]!.indexOf(w.id);
  }

  coLast(loc: number): GraphEvent {
    const order = this.co[loc]!;
    return this.event(order[order.length - 1]!);
  }

  /** The coherence-last value of each location. */
  finalValues(): Value[] {
    return this.co.map((order) => this.event(order[order.length - 1]!).value);
  }

  /**
   * A copy holding, per thread, the first `keep[tid]` events; coherence is
   * restricted accordingly. Events are copied, so the copy can be
   * changed without touching this graph.
   */
  restrict(keep: ArrayLike<number>): ExecutionGraph {
    const threads: GraphEvent[][] = [];
    let holes = 0;
    for (let t = 0; t < this.threads.length; t++) {
      const src = this.threads[t]!;
      const n = keep[t]!;
      const out = new Array<GraphEvent>(n);
      for (let i = 0; i < n; i++) out[i] = copyEvent(src[i]!);
      if (this.holes > 0) for (let i = 0; i < n; i++) if (isHole(out[i]!)) holes++;
      threads.push(out);
    }
    const co: EventId[][] = [];
    for (const order of this.co) {
      const out: EventId[] = [];
      for (const id of order) if (id < 0x10000 || idxOf(id) < keep[tidOf(id)]!) out.push(id);
      co.push(out);
    }
    return new ExecutionGraph(this.inits, threads, co, this.nextStamp, holes, this.reissues);
  }

  /**
   * A copy holding the events `kept[tid][idx]` marks; a deleted event with
   * kept events after it in its thread leaves a hole (see holeAt).
   */
  restrictTo(kept: readonly Uint8Array[]): ExecutionGraph {
    const threads: GraphEvent[][] = [];
    let holes = 0;
    for (let t = 0; t < this.threads.length; t++) {
      const src = this.threads[t]!;
      const marks = kept[t]!;
      let n = src.length;
      while (n > 0 && (marks[n - 1] === 0 || isHole(src[n - 1]!))) n--;
      const out = new Array<GraphEvent>(n);
      for (let i = 0; i < n; i++) {
        if (marks[i] === 1 && !isHole(src[i]!)) out[i] = copyEvent(src[i]!);
        else (out[i] = holeAt(t, i)), holes++;
      }
      threads.push(out);
    }
    const co: EventId[][] = [];
    for (const order of this.co) {
      const out: EventId[] = [];
      for (const id of order) if (id < 0x10000 || kept[tidOf(id)]![idxOf(id)] === 1) out.push(id);
      co.push(out);
    }
    return new ExecutionGraph(this.inits, threads, co, this.nextStamp, holes, this.reissues);
  }

  /**
   * Moves thread `tid`'s events to the positions `moved` gives (-1: the
   * event goes), in a thread of `length` events whose other positions are
   * holes, renumbering every reference to the events (sources of reads,
   * coherence). False, changing nothing, when an event that goes is read
   * by another event kept.
   */
  realign(tid: number, moved: Int32Array, length: number): boolean {
    const old = this.threads[tid]!;
    const gone = new Set<EventId>();
    old.forEach((e, k) => moved[k] === -1 && !isHole(e) && gone.add(e.id));
    for (const t of this.threads)
      for (const e of t) {
        const going = e.tid === tid && moved[e.idx] === -1;
        if (e.kind === "R" && gone.has(e.rf) && !going) return false;
      }
    const renamed = new Map<EventId, EventId>();
    const placed: GraphEvent[] = Array.from({ length }, (_, k) => holeAt(tid, k));
    let holes = length;
    old.forEach((e, k) => {
      const to = moved[k]!;
      if (to < 0 || isHole(e)) return;
      if (to !== e.idx) {
        renamed.set(e.id, eventId(tid, to));
        const renumbered = e as { idx: number; id: EventId };
        renumbered.idx = to;
        renumbered.id = eventId(tid, to);
      }
      placed[to] = e;
      holes--;
    });
    this.holes += holes - old.filter(isHole).length;
    this.threads[tid] = placed;
    for (const t of this.threads) for (const e of t) if (e.kind === "R" && renamed.has(e.rf)) e.rf = renamed.get(e.rf)!;
    for (let l = 0; l < this.co.length; l++) {
      this.co[l] = this.co[l]!.filter((id) => !gone.has(id)).map((id) => renamed.get(id) ?? id);
    }
    return true;
  }

  /** A full copy. */
  clone(): ExecutionGraph {
    return this.restrict(this.threads.map((t) => t.length));
  }
}

/** A field-by-field copy: one object shape for every event, faster than a spread. */
function copyEvent(e: GraphEvent): GraphEvent {
  return {
    kind: e.kind,
    tid: e.tid,
    idx: e.idx,
    id: e.id,
    stamp: e.stamp,
    loc: e.loc,
    value: e.value,
    mode: e.mode,
    rmw: e.rmw,
    rf: e.rf,
    addedMax: e.addedMax,
    revisitable: e.revisitable,
    fence: e.fence,
    op: e.op,
    opIndex: e.opIndex,
    step: e.step,
    tags: e.tags,
  };
}

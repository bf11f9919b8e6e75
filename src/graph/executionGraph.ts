// An execution graph: events per thread in program order, reads-from, and a
// coherence order per location (initial write first). Mutable, so the
// explorer can add an event, try its choices and take it back; `restrict`
// copies the part a backward revisit keeps. How each thread's run ended is
// not stored here: it follows from the thread's events (see runtime/).

import type { Value } from "../program/value.ts";
import { eventId, idxOf, tidOf, type EventId, type GraphEvent } from "./event.ts";

export class ExecutionGraph {
  /** Per location: its initial write. */
  readonly inits: GraphEvent[];
  /** Per thread: its events in program order. */
  readonly threads: GraphEvent[][];
  /** Per location: write ids in coherence order, starting with the initial write. */
  readonly co: EventId[][];
  nextStamp: number;

  constructor(inits: GraphEvent[], threads: GraphEvent[][], co: EventId[][], nextStamp: number) {
    this.inits = inits;
    this.threads = threads;
    this.co = co;
    this.nextStamp = nextStamp;
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

  has(id: EventId): boolean {
    const tid = tidOf(id);
    return tid < 0 ? idxOf(id) < this.inits.length : idxOf(id) < (this.threads[tid]?.length ?? 0);
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
    for (let t = 0; t < this.threads.length; t++) {
      const src = this.threads[t]!;
      const n = keep[t]!;
      const out = new Array<GraphEvent>(n);
      for (let i = 0; i < n; i++) out[i] = copyEvent(src[i]!);
      threads.push(out);
    }
    const co: EventId[][] = [];
    for (const order of this.co) {
      const out: EventId[] = [];
      for (const id of order) if (id < 0x10000 || idxOf(id) < keep[tidOf(id)]!) out.push(id);
      co.push(out);
    }
    return new ExecutionGraph(this.inits, threads, co, this.nextStamp);
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

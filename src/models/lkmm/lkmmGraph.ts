// One execution graph seen through the vocabulary of herd7's cat language,
// as linux-kernel.cat uses it: the base relations of GraphRelations (po,
// rf, co, fr, rmw, loc, int, ext) plus their internal/external splits,
// po-loc, fencerel, and the syntactic dependencies (addr, data, ctrl) that
// the front end recorded on each operation.
//
// Every derived relation of the model is a `relation(name, compute)`: a
// function of the graph whose value is computed once per graph and kept in
// this wrapper's cache under its .cat name. The bell/cat files are then
// lists of such definitions, in the order and under the names of the .cat.
//
// The fast evaluation also notes, while a definition is computed, whether
// it read anything of the execution (rf, co and what follows from them,
// the values read) or only what the program decides (programShape.ts).
// What only the program decides is kept per shape, shared by every graph
// of that shape, and not computed again.

import { EventSet, Relation } from "../../graph/relation.ts";
import { GraphRelations, memoize } from "../../graph/graphRelations.ts";
import type { EventId, GraphEvent } from "../../graph/event.ts";
import type { ExecutionGraph } from "../../graph/executionGraph.ts";
import { shapeOf, type ProgramEvent, type Shape, type ShapeCache } from "./programShape.ts";

export type Derived<T> = (x: LkmmGraph) => T;

/** A relation of the model, computed at most once per graph. */
export function relation(name: string, compute: Derived<Relation>): Derived<Relation> {
  return memoized(name, compute);
}

/** A set of events defined by what each event is (its kind, mode, tags): the program decides it. */
export function eventSet(name: string, member: (e: ProgramEvent) => boolean): Derived<EventSet> {
  return memoized(name, (x) => {
    const events = x.programEvents;
    return EventSet.of(x.n, (i) => member(events[i]!));
  });
}

/** A set of events defined by the value each event read or wrote: the execution decides it. */
export function valueEventSet(name: string, member: (e: GraphEvent) => boolean): Derived<EventSet> {
  return memoized(name, (x) => {
    const events = x.events;
    return EventSet.of(x.n, (i) => member(events[i]!));
  });
}

/** A set of events computed from other sets or relations. */
export function derivedSet(name: string, compute: Derived<EventSet>): Derived<EventSet> {
  return memoized(name, compute);
}

/** [S]: the identity on a set, computed once per graph (the fast evaluation's x.id itself when S holds every event). */
export function identityOn(name: string, set: Derived<EventSet>): Derived<Relation> {
  return memoized(`[${name}]`, (x) => {
    const s = set(x);
    return x.evaluation === "fast" && isEveryEvent(s) ? x.id : Relation.identity(s);
  });
}

function isEveryEvent(s: EventSet): boolean {
  const whole = s.n >>> 5;
  for (let w = 0; w < whole; w++) if (s.bits[w] !== 0xffffffff) return false;
  const rest = s.n & 31;
  return rest === 0 || s.bits[whole] === ~0 >>> (32 - rest);
}

function memoized<T extends Relation | EventSet>(name: string, compute: Derived<T>): Derived<T> {
  return (x) => x.memo(name, () => compute(x));
}

export function hasTag(e: ProgramEvent, tag: string): boolean {
  return e.tags !== undefined && e.tags.includes(tag);
}

export class LkmmGraph {
  readonly n: number;
  /** Events by dense index: initial writes first, then each thread in program order (as GraphRelations numbers them). */
  readonly programEvents: readonly ProgramEvent[];
  /** Per thread, the dense index of its first event. */
  private readonly threadBase: Int32Array;
  private readonly source: ExecutionGraph;

  /** This graph's derived relations and sets that depend on the execution (all of them in the reference evaluation). */
  private readonly cache = new Map<string, Relation | EventSet>();
  /** The fast evaluation's relations and sets that only the program decides, shared by the graphs of this shape. */
  private readonly shape: ShapeCache | undefined;
  /** Per definition being computed, innermost last: whether it has read anything of the execution yet. */
  private readonly computing: boolean[] = [];

  /**
   * How relations are evaluated. "fast": base relations built row by row,
   * composition and closure by compose and transitiveClosure, which follow
   * the edges, and what the program alone decides kept per shape. "reference":
   * GraphRelations' pairwise base relations and the toolkit's seq, plus and
   * star, every relation computed for this graph, as the model was first
   * written; the same definitions then give the oracle the fast evaluation
   * is tested against.
   */
  readonly evaluation: "fast" | "reference";

  /** `shape`: g's, when the caller has found it already (fast evaluation only). */
  constructor(graph: ExecutionGraph, evaluation: "fast" | "reference" = "fast", shape?: Shape) {
    this.evaluation = evaluation;
    this.source = graph;
    const events: GraphEvent[] = [...graph.inits];
    this.threadBase = new Int32Array(graph.threads.length);
    for (let t = 0; t < graph.threads.length; t++) {
      this.threadBase[t] = events.length;
      for (const e of graph.threads[t]!) events.push(e);
    }
    this.allEvents = events;
    this.programEvents = events;
    this.n = events.length;
    this.shape = evaluation === "fast" ? (shape ?? shapeOf(graph)).relations : undefined;
  }
  private readonly allEvents: readonly GraphEvent[];

  /** The graph, all of it: what is computed from it is this graph's alone. */
  get graph(): ExecutionGraph {
    this.readsExecution();
    return this.source;
  }
  /** Events by dense index, values and sources included: what is computed from them is this graph's alone. */
  get events(): readonly GraphEvent[] {
    this.readsExecution();
    return this.allEvents;
  }
  /** Each thread's events, as the program decides them. */
  get threads(): readonly (readonly ProgramEvent[])[] {
    return this.source.threads;
  }
  get inits(): number {
    return this.source.inits.length;
  }
  /** GraphRelations' view of the graph (the reference evaluation's base relations). */
  get base(): GraphRelations {
    this.readsExecution();
    if (this.pairwise === undefined) this.pairwise = new GraphRelations(this.source);
    return this.pairwise;
  }
  private pairwise: GraphRelations | undefined;

  /** The dense index of an event. */
  indexOf(id: EventId): number {
    const tid = Math.floor(id / 0x10000) - 1;
    const i = tid < 0 ? id % 0x10000 : this.threadBase[tid]! + (id % 0x10000);
    if (i >= this.n || this.allEvents[i]!.id !== id) throw new Error(`event ${id} is not in the graph`);
    return i;
  }

  /** A derived relation or set, computed once per graph (or, when only the program decides it, per shape), by its .cat name. */
  memo<T extends Relation | EventSet>(name: string, compute: () => T): T {
    const shared = this.shape?.get(name);
    if (shared !== undefined) return shared as T;
    const own = this.cache.get(name);
    if (own !== undefined) {
      this.readsExecution();
      return own as T;
    }
    const depth = this.computing.push(false);
    let value: T;
    let ofExecution = true;
    try {
      value = compute();
      ofExecution = this.computing[depth - 1]!;
    } finally {
      this.computing.length = depth - 1;
    }
    if (ofExecution || this.shape === undefined) {
      this.cache.set(name, value);
      this.readsExecution();
    } else this.shape.set(name, value);
    return value;
  }

  /** A base relation of the execution (rf, co and what follows from them): kept for this graph alone. */
  private ofExecution<T extends Relation | EventSet>(name: string, compute: () => T): T {
    this.readsExecution();
    return memoize(this.cache, name, compute);
  }

  /** Notes that the definitions being computed depend on the execution, not on the program alone. */
  private readsExecution(): void {
    const depth = this.computing.length;
    if (depth > 0) this.computing.fill(true, 0, depth);
  }

  // --- sets ---------------------------------------------------------------

  get R(): EventSet {
    return this.kindSet("R", (e) => e.kind === "R");
  }
  get W(): EventSet {
    return this.kindSet("W", (e) => e.kind === "W");
  }
  /** Memory accesses: every read and write, lock and SRCU accesses included (as after lock.cat). */
  get M(): EventSet {
    return this.kindSet("M", (e) => e.kind !== "F");
  }
  get IW(): EventSet {
    return this.kindSet("IW", (e) => e.tid < 0);
  }
  get all(): EventSet {
    return this.memo("_", () => EventSet.all(this.n));
  }

  private kindSet(name: string, member: (e: ProgramEvent) => boolean): EventSet {
    return this.memo(name, () => EventSet.of(this.n, (i) => member(this.programEvents[i]!)));
  }

  // --- base relations -----------------------------------------------------
  //
  // The same relations as GraphRelations', built row by row from each
  // thread's range of dense indices and each location's events instead of
  // by testing every pair of events: the model builds them for every graph
  // the explorer asks about.

  /** Per dense index, the first index after its thread's events (its own index + 1 for initial writes). */
  private get threadEnd(): Int32Array {
    if (this.ends === undefined) {
      const ends = new Int32Array(this.n);
      let i = 0;
      for (; i < this.inits; i++) ends[i] = i + 1;
      for (const thread of this.threads) {
        const end = i + thread.length;
        for (; i < end; i++) ends[i] = end;
      }
      this.ends = ends;
    }
    return this.ends;
  }
  private ends: Int32Array | undefined;

  /** Program order: same thread, earlier position. Initial writes are not in po. */
  get po(): Relation {
    if (this.evaluation === "reference") return this.base.po;
    return this.memo("po", () => {
      const r = new Relation(this.n);
      const ends = this.threadEnd;
      for (let i = this.inits; i < this.n; i++) r.addRange(i, i + 1, ends[i]!);
      return r;
    });
  }
  get rf(): Relation {
    if (this.evaluation === "reference") return this.base.rf;
    return this.ofExecution("rf", () => {
      const r = new Relation(this.n);
      const events = this.allEvents;
      for (let i = this.inits; i < this.n; i++) {
        const e = events[i]!;
        // A read of a partial candidate may have no source yet.
        if (e.kind === "R" && e.rf >= 0) r.add(this.indexOf(e.rf), i);
      }
      return r;
    });
  }
  /** Coherence: the total order per location, transitively. */
  get co(): Relation {
    if (this.evaluation === "reference") return this.base.co;
    return this.ofExecution("co", () => {
      const r = new Relation(this.n);
      for (const order of this.source.co) {
        for (let k = order.length - 2; k >= 0; k--) {
          const a = this.indexOf(order[k]!);
          const next = this.indexOf(order[k + 1]!);
          r.rows.copyWithin(a * r.words, next * r.words, (next + 1) * r.words);
          r.add(a, next);
        }
      }
      return r;
    });
  }
  /** From-reads: a read to the writes coherence-after the one it read (rf⁻¹ ; co). */
  get fr(): Relation {
    if (this.evaluation === "reference") return this.base.fr;
    return this.ofExecution("fr", () => {
      const r = new Relation(this.n);
      const co = this.co;
      const events = this.allEvents;
      for (let i = 0; i < this.n; i++) {
        const e = events[i]!;
        if (e.kind !== "R" || e.rf < 0) continue;
        const w = this.indexOf(e.rf);
        r.rows.set(co.rows.subarray(w * co.words, (w + 1) * co.words), i * r.words);
      }
      return r;
    });
  }
  /** Both halves of every successful RMW, spin_lock's LKR/LKW pair included (lock.cat's lk-rmw). */
  get rmw(): Relation {
    if (this.evaluation === "reference") return this.base.rmw;
    return this.memo("rmw", () => {
      const r = new Relation(this.n);
      const ends = this.threadEnd;
      const events = this.programEvents;
      for (let i = this.inits; i + 1 < this.n; i++) {
        const a = events[i]!;
        const b = events[i + 1]!;
        if (i + 1 < ends[i]! && a.rmw === "read" && b.rmw === "write" && b.idx === a.idx + 1) r.add(i, i + 1);
      }
      return r;
    });
  }
  /** Same location; synchronize_srcu() carries its srcu_struct as location, as herd's Sync-srcu does. */
  get loc(): Relation {
    if (this.evaluation === "reference") return this.base.loc;
    return this.memo("loc", () => {
      const events = this.programEvents;
      const byLoc = new Map<number, EventSet>();
      for (let i = 0; i < this.n; i++) {
        const l = events[i]!.loc;
        if (l < 0) continue;
        let set = byLoc.get(l);
        if (set === undefined) byLoc.set(l, (set = new EventSet(this.n)));
        set.add(i);
      }
      const r = new Relation(this.n);
      for (let i = 0; i < this.n; i++) {
        const l = events[i]!.loc;
        if (l >= 0) r.addRow(i, byLoc.get(l)!);
      }
      return r;
    });
  }
  /** Same thread (initial writes belong to none). */
  get int(): Relation {
    if (this.evaluation === "reference") return this.base.int;
    return this.memo("int", () => {
      const r = new Relation(this.n);
      const ends = this.threadEnd;
      for (let i = this.inits; i < this.n; ) {
        const start = i;
        const end = ends[i]!;
        for (; i < end; i++) r.addRange(i, start, end);
      }
      return r;
    });
  }
  /** Different threads, or an initial write at either end. */
  get ext(): Relation {
    if (this.evaluation === "reference") return this.base.ext;
    return this.memo("ext", () => {
      const r = new Relation(this.n);
      const ends = this.threadEnd;
      const inits = this.inits;
      for (let i = 0; i < inits; i++) r.addRange(i, 0, this.n);
      for (let i = inits; i < this.n; ) {
        const start = i;
        const end = ends[i]!;
        for (; i < end; i++) {
          r.addRange(i, 0, start);
          r.addRange(i, end, this.n);
        }
      }
      return r;
    });
  }
  get id(): Relation {
    if (this.evaluation === "reference") return this.base.id;
    return this.memo("id", () => Relation.identity(this.all));
  }

  // --- composition and closure ----------------------------------------------

  /**
   * r1 ; r2 ; ... (left to right). The fast evaluation leaves out x.id, the
   * identity on every event, which is what [Marked] is in a graph without
   * plain accesses and r* of an empty r: it changes nothing in a sequence.
   */
  seq(first: Relation, ...rest: Relation[]): Relation {
    if (this.evaluation === "reference") return Relation.seq(first, ...rest);
    const id = this.id;
    if (first !== id && !rest.includes(id)) return Relation.compose(first, ...rest);
    const steps = [first, ...rest].filter((r) => r !== id);
    return steps.length === 0 ? id : Relation.compose(steps[0]!, ...steps.slice(1));
  }

  /** r* (in the fast evaluation, x.id itself when r is empty). */
  star(r: Relation): Relation {
    if (this.evaluation === "reference") return r.star();
    return r.isEmpty() ? this.id : r.reflexiveTransitiveClosure();
  }

  /** po? */
  get poOpt(): Relation {
    return this.memo("po?", () => this.po.opt());
  }
  get poLoc(): Relation {
    return this.memo("po-loc", () => this.po.inter(this.loc));
  }
  get rfe(): Relation {
    return this.memo("rfe", () => this.rf.inter(this.ext));
  }
  get rfi(): Relation {
    return this.memo("rfi", () => this.rf.inter(this.int));
  }
  get coe(): Relation {
    return this.memo("coe", () => this.co.inter(this.ext));
  }
  get fre(): Relation {
    return this.memo("fre", () => this.fr.inter(this.ext));
  }

  /** fencerel(S) = po ; [S] ; po: pairs of events on either side of an S event. */
  fencerel(s: EventSet): Relation {
    if (this.evaluation === "reference") return this.po.range(s).seq(this.po);
    // Each event is related to everything after the first S event that follows it in its thread.
    const r = new Relation(this.n);
    const ends = this.threadEnd;
    for (let i = this.inits; i < this.n; ) {
      const end = ends[i]!;
      let firstAfter = end;
      for (let k = end - 1; k >= i; k--) {
        if (firstAfter + 1 < end) r.addRange(k, firstAfter + 1, end);
        if (s.has(k)) firstAfter = k;
      }
      i = end;
    }
    return r;
  }

  // --- syntactic dependencies ----------------------------------------------

  /**
   * Dependencies as the front end wrote them: from a read of the same thread
   * (found by its operation number) to `target` events whose operation lists
   * it under `kind`. The two halves of an RMW share their operation, so an
   * RMW's address dependency reaches both and its data dependency its write.
   */
  private syntactic(kind: "addr" | "data" | "ctrl", target: EventSet): Relation {
    const r = new Relation(this.n);
    for (const thread of this.threads) {
      const readOf = new Map<number, number>();
      for (const e of thread) {
        const here = this.indexOf(e.id);
        const deps = e.op?.deps?.[kind];
        if (deps !== undefined && target.has(here)) {
          for (const opIndex of deps) {
            const from = readOf.get(opIndex);
            if (from !== undefined) r.add(from, here);
          }
        }
        if (e.kind === "R") readOf.set(e.opIndex, here);
      }
    }
    return r;
  }

  /** A read to an access whose address it computes. */
  get addrSyntactic(): Relation {
    return this.memo("addr-syntactic", () => this.syntactic("addr", this.M));
  }
  /** A read to a write whose value it computes. */
  get dataSyntactic(): Relation {
    return this.memo("data-syntactic", () => this.syntactic("data", this.W));
  }
  /** A read to every event after a branch on its value. */
  get ctrlSyntactic(): Relation {
    return this.memo("ctrl-syntactic", () => this.syntactic("ctrl", this.all));
  }
}

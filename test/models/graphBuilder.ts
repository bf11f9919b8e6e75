// Test-only: execution graphs built by hand, event by event, with the
// fields the litmus front end would give them (modes, tags, RMW halves,
// dependencies as operation numbers), then reads-from and coherence chosen
// explicitly. Reads read the initial write unless told otherwise; writes go
// in coherence in the order they are created unless told otherwise.

import { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { eventId, type EventId, type GraphEvent } from "../../src/graph/event.ts";
import type { AccessMode, Dependencies, FenceKind, Operation, Tag } from "../../src/program/operation.ts";
import { Loc, type Value } from "../../src/program/value.ts";

export interface AccessOptions {
  readonly deps?: Dependencies;
  readonly tags?: readonly Tag[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What memory models read from an event (besides its position and rf). */
type ModelFields = Pick<GraphEvent, "kind" | "loc" | "value" | "mode" | "rmw" | "op" | "opIndex" | "tags" | "fence">;

export class GraphBuilder {
  readonly locs: Record<string, Loc> = {};
  private readonly initial: Value[] = [];
  private readonly threads: ThreadBuilder[] = [];
  private readonly reads = new Map<EventId, EventId>();
  private readonly coOrders = new Map<number, EventId[]>();
  readonly events = new Map<EventId, Mutable<GraphEvent>>();

  /** Locations and their initial values; a string value names another location (a pointer). */
  constructor(locations: Record<string, Value | string>) {
    const names = Object.keys(locations);
    names.forEach((name, id) => (this.locs[name] = new Loc(id, name)));
    for (const name of names) {
      const v = locations[name]!;
      this.initial.push(typeof v === "string" ? this.locs[v]! : v);
    }
  }

  thread(): ThreadBuilder {
    const t = new ThreadBuilder(this, this.threads.length);
    this.threads.push(t);
    return t;
  }

  loc(name: string): Loc {
    const l = this.locs[name];
    if (l === undefined) throw new Error(`no location ${name}`);
    return l;
  }

  /** The initial write of a location. */
  init(name: string): EventId {
    return eventId(-1, this.loc(name).id);
  }

  /** The operation number of an event (what dependencies name). */
  op(e: EventId): number {
    return this.events.get(e)!.opIndex;
  }

  /** Read `r` reads from write `w` (an event id, or a location name for its initial write). */
  rf(r: EventId, w: EventId | string): this {
    this.reads.set(r, typeof w === "string" ? this.init(w) : w);
    return this;
  }

  /** Coherence of a location: its initial write, then these writes in this order. */
  co(name: string, ...writes: EventId[]): this {
    this.coOrders.set(this.loc(name).id, writes);
    return this;
  }

  build(): ExecutionGraph {
    const g = ExecutionGraph.initial(this.initial, this.threads.length);
    this.threads.forEach((t, tid) => g.threads[tid]!.push(...t.events.map((e) => ({ ...e }))));
    const byLoc = new Map<number, EventId[]>();
    for (const t of this.threads)
      for (const e of t.events)
        if (e.kind === "W") byLoc.set(e.loc, [...(byLoc.get(e.loc) ?? []), e.id]);
    for (const [loc, writes] of byLoc) {
      const order = this.coOrders.get(loc) ?? writes;
      if (order.length !== writes.length) throw new Error(`co of ${loc} must list all ${writes.length} writes`);
      g.co[loc]!.push(...order);
    }
    for (const t of g.threads) {
      for (const e of t) {
        if (e.kind !== "R") continue;
        const w = this.reads.get(e.id) ?? eventId(-1, e.loc);
        e.rf = w;
        e.value = g.event(w).value;
      }
    }
    return g;
  }
}

export class ThreadBuilder {
  readonly events: Mutable<GraphEvent>[] = [];
  private opCount = 0;

  constructor(
    private readonly b: GraphBuilder,
    readonly tid: number,
  ) {}

  /** Adds an event; the explorer's bookkeeping fields get neutral values (no model reads them). */
  private add(e: ModelFields): EventId {
    const idx = this.events.length;
    const bookkeeping = { stamp: idx + 1, rf: -1, addedMax: false, revisitable: false };
    const event = { ...bookkeeping, ...e, tid: this.tid, idx, id: eventId(this.tid, idx) } as Mutable<GraphEvent>;
    this.events.push(event);
    this.b.events.set(event.id, event);
    return event.id;
  }

  /** The operation number the next operation gets (what dependencies name). */
  get nextOp(): number {
    return this.opCount;
  }

  read(name: string, mode: AccessMode = "once", opts: AccessOptions = {}): EventId {
    const loc = this.b.loc(name);
    const op: Operation = { kind: "read", loc, mode, deps: opts.deps, tags: opts.tags };
    return this.add({ kind: "R", loc: loc.id, value: 0, mode, rmw: "none", op, opIndex: this.opCount++, tags: opts.tags });
  }

  write(name: string, value: Value | string, mode: AccessMode = "once", opts: AccessOptions = {}): EventId {
    const loc = this.b.loc(name);
    const v = typeof value === "string" ? this.b.loc(value) : value;
    const op: Operation = { kind: "write", loc, value: v, mode, deps: opts.deps, tags: opts.tags };
    return this.add({ kind: "W", loc: loc.id, value: v, mode, rmw: "none", op, opIndex: this.opCount++, tags: opts.tags });
  }

  /** A successful RMW: its read, then its write of `value`. */
  rmw(name: string, value: Value, mode: AccessMode = "mb", opts: AccessOptions = {}): [EventId, EventId] {
    const loc = this.b.loc(name);
    const op: Operation = { kind: "rmw", loc, mode, update: () => value, deps: opts.deps, tags: opts.tags };
    const opIndex = this.opCount++;
    const r = this.add({ kind: "R", loc: loc.id, value: 0, mode, rmw: "read", op, opIndex, tags: opts.tags });
    const w = this.add({ kind: "W", loc: loc.id, value, mode, rmw: "write", op, opIndex, tags: opts.tags });
    return [r, w];
  }

  /** A failed RMW (cmpxchg whose comparison fails): a lone read. */
  failedRmw(name: string, mode: AccessMode = "once", opts: AccessOptions = {}): EventId {
    const loc = this.b.loc(name);
    const op: Operation = { kind: "rmw", loc, mode, update: () => undefined, deps: opts.deps, tags: opts.tags };
    return this.add({ kind: "R", loc: loc.id, value: 0, mode, rmw: "none", op, opIndex: this.opCount++, tags: opts.tags });
  }

  fence(fence: FenceKind, srcu?: string): EventId {
    const loc = srcu === undefined ? undefined : this.b.loc(srcu);
    const op: Operation = { kind: "fence", fence, loc };
    return this.add({ kind: "F", loc: loc?.id ?? -1, value: 0, mode: "plain", rmw: "none", fence, op, opIndex: this.opCount++ });
  }

  // --- kernel primitives, encoded as the litmus front end encodes them --------

  spinLock(name: string): [EventId, EventId] {
    return this.rmw(name, 1, "acquire", { tags: ["lock"] });
  }

  spinUnlock(name: string): EventId {
    return this.write(name, 0, "release", { tags: ["unlock"] });
  }

  /** A spin_trylock() that fails: a lone read of the lock. */
  spinTrylockFailed(name: string): EventId {
    return this.failedRmw(name, "acquire", { tags: ["lock"] });
  }

  spinIsLocked(name: string): EventId {
    return this.read(name, "once", { tags: ["islocked"] });
  }

  srcuReadLock(name: string): EventId {
    return this.read(name, "once", { tags: ["srcu-lock"] });
  }

  /** srcu_read_unlock(s, idx): `lockOp` is the operation number of the srcu_read_lock that produced idx. */
  srcuReadUnlock(name: string, value: Value, lockOp: number): EventId {
    return this.write(name, value, "once", { tags: ["srcu-unlock"], deps: { data: [lockOp] } });
  }
}

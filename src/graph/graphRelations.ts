// The base relations and event sets of one execution graph, over dense event
// indices, for the declarative memory models. Names follow herd7's cat
// language: po, rf, co, fr, rmw, loc, int, ext, and the sets R, W, F, IW.

import { EventSet, Relation } from "./relation.ts";
import type { EventId, GraphEvent } from "./event.ts";
import type { ExecutionGraph } from "./executionGraph.ts";

export class GraphRelations {
  /** Events by dense index: initial writes first, then each thread in program order. */
  readonly events: GraphEvent[];
  readonly n: number;
  private readonly index = new Map<EventId, number>();
  private readonly cache = new Map<string, Relation | EventSet>();

  constructor(readonly graph: ExecutionGraph) {
    this.events = [...graph.events()];
    this.n = this.events.length;
    this.events.forEach((e, i) => this.index.set(e.id, i));
  }

  indexOf(id: EventId): number {
    const i = this.index.get(id);
    if (i === undefined) throw new Error(`event ${id} is not in the graph`);
    return i;
  }

  /** An event set, computed once per graph. */
  set(name: string, member: (e: GraphEvent) => boolean): EventSet {
    return this.memo(name, () => EventSet.of(this.n, (i) => member(this.events[i]!)));
  }

  /** A relation, computed once per graph. */
  memo<T extends Relation | EventSet>(name: string, compute: () => T): T {
    return memoize(this.cache, name, compute);
  }

  get R(): EventSet {
    return this.set("R", (e) => e.kind === "R");
  }
  get W(): EventSet {
    return this.set("W", (e) => e.kind === "W");
  }
  get M(): EventSet {
    return this.set("M", (e) => e.kind !== "F");
  }
  get F(): EventSet {
    return this.set("F", (e) => e.kind === "F");
  }
  /** Initial writes. */
  get IW(): EventSet {
    return this.set("IW", (e) => e.tid < 0);
  }

  /** Program order: same thread, earlier position. Initial writes are not in po. */
  get po(): Relation {
    return this.memo("po", () => this.pairs((a, b) => a.tid >= 0 && a.tid === b.tid && a.idx < b.idx));
  }

  get rf(): Relation {
    return this.memo("rf", () => {
      const r = new Relation(this.n);
      this.events.forEach((e, i) => {
        // A read of a partial candidate may have no source yet.
        if (e.kind === "R" && e.rf >= 0) r.add(this.indexOf(e.rf), i);
      });
      return r;
    });
  }

  /** Coherence: the total order per location, transitively. */
  get co(): Relation {
    return this.memo("co", () => {
      const r = new Relation(this.n);
      for (const order of this.graph.co) {
        for (let a = 0; a < order.length; a++)
          for (let b = a + 1; b < order.length; b++) r.add(this.indexOf(order[a]!), this.indexOf(order[b]!));
      }
      return r;
    });
  }

  /** From-reads: a read to the writes coherence-after the one it read. */
  get fr(): Relation {
    return this.memo("fr", () => this.rf.inverse().seq(this.co));
  }

  /** Read and write halves of each successful RMW. */
  get rmw(): Relation {
    return this.memo("rmw", () => this.pairs((a, b) => a.rmw === "read" && b.rmw === "write" && a.tid === b.tid && b.idx === a.idx + 1));
  }

  /** Same location (memory events only). */
  get loc(): Relation {
    return this.memo("loc", () => this.pairs((a, b) => a.loc >= 0 && a.loc === b.loc));
  }

  /** Same thread (initial writes belong to none). */
  get int(): Relation {
    return this.memo("int", () => this.pairs((a, b) => a.tid >= 0 && a.tid === b.tid));
  }

  get ext(): Relation {
    return this.memo("ext", () => this.pairs((a, b) => a.tid !== b.tid || a.tid < 0));
  }

  /** The identity on every event. */
  get id(): Relation {
    return this.memo("id", () => Relation.identity(EventSet.all(this.n)));
  }

  private pairs(related: (a: GraphEvent, b: GraphEvent) => boolean): Relation {
    const r = new Relation(this.n);
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.n; j++) if (related(this.events[i]!, this.events[j]!)) r.add(i, j);
    return r;
  }
}

/** The value cached under `name`, computing and caching it the first time. */
export function memoize<T extends Relation | EventSet>(cache: Map<string, Relation | EventSet>, name: string, compute: () => T): T {
  let v = cache.get(name);
  if (v === undefined) {
    v = compute();
    cache.set(name, v);
  }
  return v as T;
}

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

import { EventSet, Relation } from "../../graph/relation.ts";
import { GraphRelations, memoize } from "../../graph/graphRelations.ts";
import type { GraphEvent } from "../../graph/event.ts";
import type { ExecutionGraph } from "../../graph/executionGraph.ts";

export type Derived<T> = (x: LkmmGraph) => T;

/** A relation of the model, computed at most once per graph. */
export function relation(name: string, compute: Derived<Relation>): Derived<Relation> {
  return memoized(name, compute);
}

/** A set of events defined by what each event is (its kind, mode, tags). */
export function eventSet(name: string, member: (e: GraphEvent) => boolean): Derived<EventSet> {
  return memoized(name, (x) => EventSet.of(x.n, (i) => member(x.events[i]!)));
}

/** A set of events computed from other sets or relations. */
export function derivedSet(name: string, compute: Derived<EventSet>): Derived<EventSet> {
  return memoized(name, compute);
}

/** [S]: the identity on a set, computed once per graph. */
export function identityOn(name: string, set: Derived<EventSet>): Derived<Relation> {
  return memoized(`[${name}]`, (x) => Relation.identity(set(x)));
}

function memoized<T extends Relation | EventSet>(name: string, compute: Derived<T>): Derived<T> {
  return (x) => x.memo(name, () => compute(x));
}

export function hasTag(e: GraphEvent, tag: string): boolean {
  return e.tags !== undefined && e.tags.includes(tag);
}

export class LkmmGraph {
  readonly base: GraphRelations;
  readonly n: number;
  readonly events: readonly GraphEvent[];

  /** This graph's derived relations and sets (GraphRelations keeps the base ones). */
  private readonly cache = new Map<string, Relation | EventSet>();

  constructor(readonly graph: ExecutionGraph) {
    this.base = new GraphRelations(graph);
    this.n = this.base.n;
    this.events = this.base.events;
  }

  /** A derived relation or set, computed once per graph, by its .cat name. */
  memo<T extends Relation | EventSet>(name: string, compute: () => T): T {
    return memoize(this.cache, name, compute);
  }

  // --- sets ---------------------------------------------------------------

  get R(): EventSet {
    return this.base.R;
  }
  get W(): EventSet {
    return this.base.W;
  }
  /** Memory accesses: every read and write, lock and SRCU accesses included (as after lock.cat). */
  get M(): EventSet {
    return this.base.M;
  }
  get IW(): EventSet {
    return this.base.IW;
  }
  get all(): EventSet {
    return this.memo("_", () => EventSet.all(this.n));
  }

  // --- base relations -----------------------------------------------------

  get po(): Relation {
    return this.base.po;
  }
  get rf(): Relation {
    return this.base.rf;
  }
  get co(): Relation {
    return this.base.co;
  }
  get fr(): Relation {
    return this.base.fr;
  }
  /** Both halves of every successful RMW, spin_lock's LKR/LKW pair included (lock.cat's lk-rmw). */
  get rmw(): Relation {
    return this.base.rmw;
  }
  /** Same location; synchronize_srcu() carries its srcu_struct as location, as herd's Sync-srcu does. */
  get loc(): Relation {
    return this.base.loc;
  }
  get int(): Relation {
    return this.base.int;
  }
  get ext(): Relation {
    return this.base.ext;
  }
  get id(): Relation {
    return this.base.id;
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
    return this.po.range(s).seq(this.po);
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
    for (const thread of this.graph.threads) {
      const readOf = new Map<number, number>();
      for (const e of thread) {
        const here = this.base.indexOf(e.id);
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

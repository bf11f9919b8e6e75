// The program-order edges of x86-TSO, reduced to at most three immediate
// predecessors per event, plus the immediate same-location predecessor
// (po-loc, for uniproc).
//
// TSO orders x before y (x po y, both memory accesses) unless x is a write
// and y a read, and even then when either is locked (an RMW, both halves,
// failed ones too) or an mb fence lies between (see tso.ts). Within a thread
// that ordering is the transitive closure of these edges into y:
//
//   from the last read before y             (reads are ordered before everything)
//   from the last write before y            if y is a write, a locked read or an mb fence;
//   from the last locked write before y     if y is an unlocked read
//   from the last mb fence before y         (the fence orders every write before it)
//
// since reads chain to reads, writes to writes, and an mb fence, taken as
// a node of the order, follows every access before it and precedes every
// access after it. A pair ordered by TSO is connected by a chain of these
// edges and each edge is a pair TSO orders (or passes through a fence that
// orders it), so acyclicity and reachability agree with the declarative
// definition. Other fences order nothing under TSO and get no edges.

import type { GraphEvent } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { DenseEvents } from "./denseEvents.ts";

/** A locked instruction: either half of an RMW, successful or not. */
export function isLocked(e: GraphEvent): boolean {
  return e.kind !== "F" && e.op?.kind === "rmw";
}

export class TsoProgramOrder {
  /** By dense number: the immediate TSO predecessors in the event's thread (-1: none). */
  readRef = new Int32Array(0);
  writeRef = new Int32Array(0);
  fenceRef = new Int32Array(0);
  /** By dense number: the last access of the same location before the event in its thread (-1: none). */
  sameLocRef = new Int32Array(0);
  private lastAt = new Int32Array(0);

  load(g: ExecutionGraph, dense: DenseEvents): this {
    const n = dense.n;
    if (this.readRef.length < n) {
      const capacity = n * 2;
      this.readRef = new Int32Array(capacity);
      this.writeRef = new Int32Array(capacity);
      this.fenceRef = new Int32Array(capacity);
      this.sameLocRef = new Int32Array(capacity);
    }
    if (this.lastAt.length < dense.locations) this.lastAt = new Int32Array(dense.locations * 2);
    const { readRef, writeRef, fenceRef, sameLocRef, lastAt } = this;
    readRef.fill(-1, 0, n);
    writeRef.fill(-1, 0, n);
    fenceRef.fill(-1, 0, n);
    sameLocRef.fill(-1, 0, n);
    for (let t = 0; t < g.threads.length; t++) {
      const thread = g.threads[t]!;
      const base = dense.base[t]!;
      let lastRead = -1;
      let lastWrite = -1;
      let lastLockedWrite = -1;
      let lastFence = -1;
      lastAt.fill(-1, 0, dense.locations);
      for (let i = 0; i < thread.length; i++) {
        const e = thread[i]!;
        const d = base + i;
        if (e.kind === "F") {
          if (e.fence !== "mb") continue;
          readRef[d] = lastRead;
          writeRef[d] = lastWrite;
          fenceRef[d] = lastFence;
          lastFence = d;
          continue;
        }
        sameLocRef[d] = lastAt[e.loc]!;
        lastAt[e.loc] = d;
        readRef[d] = lastRead;
        fenceRef[d] = lastFence;
        if (e.kind === "R") {
          writeRef[d] = isLocked(e) ? lastWrite : lastLockedWrite;
          lastRead = d;
        } else {
          writeRef[d] = lastWrite;
          lastWrite = d;
          if (isLocked(e)) lastLockedWrite = d;
        }
      }
    }
    return this;
  }
}

// Sequential consistency: acyclic(po | rf | co | fr), plus RMW atomicity.
//
// `scDeclarative` states it with the relation toolkit, as the other models
// are stated; `sc` decides the same thing by a linear-time topological sort
// over the immediate edges (po successor, rf, co successor, fr to the
// coherence successor of the write read), which is what the explorer calls
// on every step. Tests check the two agree.

import { GraphRelations } from "../graph/graphRelations.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { GraphEvent } from "../graph/event.ts";
import type { MemoryModel } from "./memoryModel.ts";
import { rmwAtomic } from "./atomicity.ts";
import { threadSawLatestWrite } from "./coherenceFloor.ts";

export const scDeclarative: MemoryModel = {
  name: "sc",
  porfAcyclic: true,
  maximallyExtensible: true,
  isConsistent(g) {
    return this.violatedAxiom(g) === undefined;
  },
  violatedAxiom(g) {
    if (!rmwAtomic(g)) return "atomicity";
    const x = new GraphRelations(g);
    return x.po.union(x.rf, x.co, x.fr).isAcyclic() ? undefined : "sc";
  },
};

export const sc: MemoryModel = {
  name: "sc",
  porfAcyclic: true,
  maximallyExtensible: true,
  isConsistent(g) {
    return rmwAtomic(g) && scAcyclic(g);
  },
  coherenceBound: scCoherenceBound,
  violatedAxiom(g) {
    if (!rmwAtomic(g)) return "atomicity";
    return scAcyclic(g) ? undefined : "sc";
  },
};

// Scratch space reused across calls: the check runs on every exploration step.
let capacity = 0;
let base = new Int32Array(0);
let coNext = new Int32Array(0);
let indeg = new Int32Array(0);
let queue = new Int32Array(0);
let head = new Int32Array(0);
let next = new Int32Array(0);
let to = new Int32Array(0);
let dense: GraphEvent[] = [];

/** Fills `base` (each thread's first dense index) and sizes the scratch space; returns the number of events. */
function indexEvents(g: ExecutionGraph): number {
  let n = g.inits.length;
  ensure(n + 1, g.threads.length);
  for (let t = 0; t < g.threads.length; t++) {
    base[t] = n;
    n += g.threads[t]!.length;
  }
  ensure(n, g.threads.length);
  return n;
}

function ensure(n: number, threads: number): void {
  if (base.length < threads) base = new Int32Array(threads * 2);
  if (n <= capacity) return;
  capacity = n * 2;
  coNext = new Int32Array(capacity);
  indeg = new Int32Array(capacity);
  queue = new Int32Array(capacity);
  head = new Int32Array(capacity);
  next = new Int32Array(capacity * 4);
  to = new Int32Array(capacity * 4);
}

/** Kahn's algorithm over po, rf, co and fr, using only immediate successors (at most 4 edges per event). */
export function scAcyclic(g: ExecutionGraph): boolean {
  const locs = g.inits.length;
  const threads = g.threads;
  const n = indexEvents(g);
  coNext.fill(-1, 0, n);
  indeg.fill(0, 0, n);
  head.fill(-1, 0, n);
  for (const order of g.co) {
    for (let k = 0; k + 1 < order.length; k++) coNext[denseOf(order[k]!)] = denseOf(order[k + 1]!);
  }
  edges = 0;
  for (let loc = 0; loc < locs; loc++) if (coNext[loc]! >= 0) edge(loc, coNext[loc]!);
  for (let t = 0; t < threads.length; t++) {
    const events = threads[t]!;
    const b = base[t]!;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const d = b + i;
      if (i + 1 < events.length) edge(d, d + 1);
      if (e.kind === "W") {
        if (coNext[d]! >= 0) edge(d, coNext[d]!);
      } else if (e.kind === "R") {
        const w = denseOf(e.rf);
        edge(w, d);
        if (coNext[w]! >= 0) edge(d, coNext[w]!);
      }
    }
  }
  let tail = 0;
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue[tail++] = i;
  for (let k = 0; k < tail; k++) {
    for (let x = head[queue[k]!]!; x >= 0; x = next[x]!) {
      const b = to[x]!;
      if (--indeg[b]! === 0) queue[tail++] = b;
    }
  }
  return tail === n;
}

let edges = 0;

function edge(a: number, b: number): void {
  to[edges] = b;
  next[edges] = head[a]!;
  head[a] = edges++;
  indeg[b]!++;
}

/** Dense index of an event id: initial writes by location, then threads in order (ids are (tid+1)*2^16 + idx). */
function denseOf(id: number): number {
  const tid = (id >>> 16) - 1;
  return tid < 0 ? id & 0xffff : base[tid]! + (id & 0xffff);
}

/**
 * Under SC a new last event e of its thread closes a cycle only through
 * what already reaches its program-order predecessor p. The writes of e's
 * location that reach p (po | rf | co | fr backwards) form a prefix of
 * coherence; e may read from the last of them or any later write, and may
 * be placed after it or later.
 */
export function scCoherenceBound(g: ExecutionGraph, e: GraphEvent): number {
  const order = g.co[e.loc]!;
  const last = order.length - 1;
  if (e.idx === 0 || last === 0) return 0;
  // Most additions end here, without looking at the rest of the graph.
  if (threadSawLatestWrite(g, e)) return last;
  const locs = g.inits.length;
  const threads = g.threads;
  const n = indexEvents(g);
  if (dense.length < n) dense = new Array<GraphEvent>(n * 2);
  for (let l = 0; l < locs; l++) dense[l] = g.inits[l]!;
  for (let t = 0; t < threads.length; t++) {
    const events = threads[t]!;
    for (let i = 0; i < events.length; i++) dense[base[t]! + i] = events[i]!;
  }
  // Scratch: indeg holds "reached", coNext the co predecessor, head the readers list.
  const reached = indeg;
  const coPrev = coNext;
  reached.fill(0, 0, n);
  coPrev.fill(-1, 0, n);
  head.fill(-1, 0, n);
  for (const o of g.co) for (let k = 1; k < o.length; k++) coPrev[denseOf(o[k]!)] = denseOf(o[k - 1]!);
  edges = 0;
  for (let t = 0; t < threads.length; t++) {
    const events = threads[t]!;
    for (let i = 0; i < events.length; i++) {
      const r = events[i]!;
      if (r.kind !== "R" || r === e) continue;
      const w = denseOf(r.rf);
      to[edges] = base[t]! + i;
      next[edges] = head[w]!;
      head[w] = edges++;
    }
  }
  let tail = 0;
  const start = base[e.tid]! + e.idx - 1;
  reached[start] = 1;
  queue[tail++] = start;
  for (let k = 0; k < tail; k++) {
    const d = queue[k]!;
    // Predecessors of d: its po predecessor, its rf source, its co predecessor,
    // and the readers of its co predecessor (fr).
    const ev = dense[d]!;
    if (ev.tid >= 0 && ev.idx > 0) tail = reach(d - 1, tail);
    if (ev.kind === "R") tail = reach(denseOf(ev.rf), tail);
    else if (ev.kind === "W") {
      const prev = coPrev[d]!;
      if (prev >= 0) {
        tail = reach(prev, tail);
        for (let x = head[prev]!; x >= 0; x = next[x]!) tail = reach(to[x]!, tail);
      }
    }
  }
  let bound = 0;
  for (let k = order.length - 1; k > 0; k--) {
    if (reached[denseOf(order[k]!)]) {
      bound = k;
      break;
    }
  }
  return bound;
}

function reach(d: number, tail: number): number {
  if (indeg[d]) return tail;
  indeg[d] = 1;
  queue[tail] = d;
  return tail + 1;
}

// Sequential consistency: acyclic(po | rf | co | fr), plus RMW atomicity.
//
// `scDeclarative` states it with the relation toolkit, as the other models
// are stated; `sc` decides the same thing by a linear-time topological sort
// over the immediate edges (po successor, rf, co successor, fr to the
// coherence successor of the write read), which is what the explorer calls
// on every step. Tests check the two agree.

import { GraphRelations } from "../graph/graphRelations.ts";
import { idxOf, tidOf } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "./memoryModel.ts";
import { rmwAtomic } from "./atomicity.ts";

export const scDeclarative: MemoryModel = {
  name: "sc",
  porfAcyclic: true,
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
  isConsistent(g) {
    return rmwAtomic(g) && scAcyclic(g);
  },
  violatedAxiom(g) {
    if (!rmwAtomic(g)) return "atomicity";
    return scAcyclic(g) ? undefined : "sc";
  },
};

/** Kahn's algorithm over po, rf, co and fr, using only immediate successors. */
export function scAcyclic(g: ExecutionGraph): boolean {
  const locs = g.inits.length;
  const base: number[] = [];
  let n = locs;
  for (const t of g.threads) {
    base.push(n);
    n += t.length;
  }
  const dense = (id: number) => {
    const tid = tidOf(id);
    return tid < 0 ? idxOf(id) : base[tid]! + idxOf(id);
  };
  // Coherence successor of each write, by dense index (-1: last).
  const coNext = new Int32Array(n).fill(-1);
  for (const order of g.co) for (let k = 0; k + 1 < order.length; k++) coNext[dense(order[k]!)] = dense(order[k + 1]!);

  // Edges in a compact adjacency: each event has at most po + co + fr
  // successors of its own, plus the rf edges out of writes.
  const head = new Int32Array(n).fill(-1);
  const next: number[] = [];
  const to: number[] = [];
  const indeg = new Int32Array(n);
  const edge = (a: number, b: number) => {
    if (b < 0) return;
    to.push(b);
    next.push(head[a]!);
    head[a] = to.length - 1;
    indeg[b]!++;
  };
  for (let loc = 0; loc < locs; loc++) edge(loc, coNext[loc]!);
  g.threads.forEach((t, tid) => {
    const b = base[tid]!;
    for (let i = 0; i < t.length; i++) {
      const e = t[i]!;
      const d = b + i;
      if (i + 1 < t.length) edge(d, d + 1);
      if (e.kind === "W") edge(d, coNext[d]!);
      else if (e.kind === "R") {
        const w = dense(e.rf);
        edge(w, d);
        edge(d, coNext[w]!);
      }
    }
  });
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  let seen = 0;
  while (seen < queue.length) {
    const a = queue[seen++]!;
    for (let k = head[a]!; k >= 0; k = next[k]!) if (--indeg[to[k]!]! === 0) queue.push(to[k]!);
  }
  return seen === n;
}

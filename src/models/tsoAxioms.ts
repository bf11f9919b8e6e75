// x86-TSO's three axioms decided in time linear in the graph, over immediate
// edges (see tsoProgramOrder.ts and digraph.ts), checked in the order the
// declarative definition in tso.ts checks them so that both name the same
// axiom. Tests compare the two on every graph the explorers visit.

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import { DenseEvents } from "./denseEvents.ts";
import { Digraph } from "./digraph.ts";
import { TsoProgramOrder } from "./tsoProgramOrder.ts";

const dense = new DenseEvents();
const programOrder = new TsoProgramOrder();
const digraph = new Digraph();

export type TsoAxiom = "uniproc" | "atomic" | "tso";

export function violatedTsoAxiom(g: ExecutionGraph): TsoAxiom | undefined {
  dense.load(g);
  programOrder.load(g, dense);
  if (!uniprocAcyclic()) return "uniproc";
  if (!rmwAtomic(g)) return "atomic";
  return tsoAcyclic() ? undefined : "tso";
}

/** acyclic(po-loc | rf | co | fr). */
function uniprocAcyclic(): boolean {
  const { n, events, coNext } = dense;
  digraph.reset(n);
  for (let d = 0; d < n; d++) {
    const e = events[d]!;
    if (e.kind === "F") continue;
    digraph.edge(programOrder.sameLocRef[d]!, d);
    if (e.kind === "W") digraph.edge(d, coNext[d]!);
    else if (e.rf >= 0) {
      // (a partial candidate's read may have no source yet)
      const w = dense.of(e.rf);
      digraph.edge(w, d);
      digraph.edge(d, coNext[w]!);
    }
  }
  return digraph.isAcyclic();
}

/**
 * empty rmw & (fre; coe): no write of another thread between an RMW's
 * source and its write. With uniproc holding, a write of the RMW's own
 * thread cannot be there either (it would be po-loc before the read and
 * read-from-after, or po-loc after the write and coherence-before it), so
 * this is: the RMW's write directly follows its source in coherence.
 */
function rmwAtomic(g: ExecutionGraph): boolean {
  for (let t = 0; t < g.threads.length; t++) {
    const thread = g.threads[t]!;
    const base = dense.base[t]!;
    for (let i = 0; i + 1 < thread.length; i++) {
      const r = thread[i]!;
      if (r.rmw !== "read" || r.rf < 0 || thread[i + 1]!.rmw !== "write") continue;
      const prev = dense.coPrev[base + i + 1]!;
      if (dense.coIndex[base + i + 1]! >= 0 && prev !== dense.of(r.rf)) return false;
    }
  }
  return true;
}

/** acyclic(ppo | rfe | co | fr | implied), the program-order part as immediate edges. */
function tsoAcyclic(): boolean {
  const { n, events, coNext } = dense;
  const { readRef, writeRef, fenceRef } = programOrder;
  digraph.reset(n);
  for (let d = 0; d < n; d++) {
    const e = events[d]!;
    digraph.edge(readRef[d]!, d);
    digraph.edge(writeRef[d]!, d);
    digraph.edge(fenceRef[d]!, d);
    if (e.kind === "W") digraph.edge(d, coNext[d]!);
    else if (e.kind === "R" && e.rf >= 0) {
      const w = dense.of(e.rf);
      // rfi is not ordered: a thread reads its own buffered write early.
      if (dense.events[w]!.tid !== e.tid) digraph.edge(w, d);
      digraph.edge(d, coNext[w]!);
    }
  }
  return digraph.isAcyclic();
}

// x86-TSO (herd7's x86tso.cat): each CPU may delay its writes in a FIFO
// store buffer, so a read can overtake an earlier write of the same thread
// to another location, and nothing else is reordered.
//
//   uniproc:  acyclic po-loc | rf | co | fr      (SC per location)
//   atomic:   empty rmw & (fre ; coe)
//   tso:      acyclic ppo | rfe | co | fr | implied
//     ppo     = po minus write-to-read pairs
//     implied = the write-to-read pairs that a locked instruction or
//               mfence (smp_mb) orders: pairs with an RMW event (any
//               RMW, both halves, failed ones too: x86 locks them all),
//               and pairs with an mb fence between them.
//
// Reads see their own thread's buffered writes early, which is why rfi is
// not in the tso relation (po-loc covers it).
//
// `tsoDeclarative` states it with the relation toolkit and is the oracle;
// `tso`, what the explorers run, decides the same axioms in linear time
// (tsoAxioms.ts) and gives the explorer the exact range of consistent
// reads-from and coherence choices (tsoCoherenceBound.ts), as SC does.

import { GraphRelations } from "../graph/graphRelations.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "./memoryModel.ts";
import { violatedTsoAxiom } from "./tsoAxioms.ts";
import { tsoCoherenceBound } from "./tsoCoherenceBound.ts";

function violated(g: ExecutionGraph): string | undefined {
  const x = new GraphRelations(g);
  if (!uniprocHolds(x)) return "uniproc";
  if (!atomicHolds(x)) return "atomic";
  return tsoHolds(x) ? undefined : "tso";
}

/** Each axiom of the declarative definition on its own (the tests judge coherence bounds with atomicity set aside). */
export function declarativeTsoAxioms(g: ExecutionGraph): { uniproc: boolean; atomic: boolean; tso: boolean } {
  const x = new GraphRelations(g);
  return { uniproc: uniprocHolds(x), atomic: atomicHolds(x), tso: tsoHolds(x) };
}

function uniprocHolds(x: GraphRelations): boolean {
  return x.po.inter(x.loc).union(x.rf, x.co, x.fr).isAcyclic();
}

function atomicHolds(x: GraphRelations): boolean {
  return x.rmw.inter(x.fr.inter(x.ext).seq(x.co.inter(x.ext))).isEmpty();
}

function tsoHolds(x: GraphRelations): boolean {
  const writeToRead = x.po.restrict(x.W, x.R);
  const ppo = x.po.restrict(x.M, x.M).diff(writeToRead);
  const locked = x.set("tso:locked", (e) => e.kind !== "F" && e.op?.kind === "rmw");
  const mfence = x.set("tso:mfence", (e) => e.kind === "F" && e.fence === "mb");
  const fenced = x.po.range(mfence).seq(x.po);
  const implied = writeToRead
    .restrict(locked, x.M)
    .union(writeToRead.restrict(x.M, locked), writeToRead.inter(fenced));
  const rfe = x.rf.inter(x.ext);
  return ppo.union(rfe, x.co, x.fr, implied).isAcyclic();
}

export const tsoDeclarative: MemoryModel = {
  maximallyExtensible: true,
  name: "tso",
  porfAcyclic: true,
  isConsistent(g) {
    return violated(g) === undefined;
  },
  violatedAxiom(g) {
    return violated(g);
  },
};

export const tso: MemoryModel = {
  maximallyExtensible: true,
  name: "tso",
  porfAcyclic: true,
  isConsistent(g) {
    return violatedTsoAxiom(g) === undefined;
  },
  coherenceBound: tsoCoherenceBound,
  violatedAxiom(g) {
    return violatedTsoAxiom(g);
  },
};

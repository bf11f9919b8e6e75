// The exact coherence bound under x86-TSO (MemoryModel.coherenceBound): for
// a new event e, last of its thread, in a consistent graph, the lowest
// coherence index of e's location that e may read from or be placed after.
//
// Why one number suffices. A cycle that adding e creates passes through e.
// e's only outgoing edges are from-read (a read, to the writes after the
// one it reads) or coherence (a write, to the writes after it); its
// incoming ones are its program-order predecessors' and, for a read, the
// edge from its source (or, for a write, from the writes before it and
// their readers). A cycle entering through the source would close on a
// write coherence-after that source reaching it: a cycle already in the
// graph. So a choice is inconsistent exactly when a write coherence-after
// it reaches one of e's program-order predecessors, in one of the two
// acyclic relations (uniproc's po-loc | rf | co | fr, or the TSO order).
// The writes of e's location that reach them form a prefix of coherence
// (coherence is in both relations): the bound is the index of the last.
//
// RMW atomicity is left to the explorer, as with SC.

import type { GraphEvent } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import { DenseEvents } from "./denseEvents.ts";
import { TsoProgramOrder } from "./tsoProgramOrder.ts";
import { threadSawLatestWrite } from "./coherenceFloor.ts";

const dense = new DenseEvents();
const programOrder = new TsoProgramOrder();
let reached = new Uint8Array(0);
let stack = new Int32Array(0);
let readersHead = new Int32Array(0);
let readersNext = new Int32Array(0);

export function tsoCoherenceBound(g: ExecutionGraph, e: GraphEvent): number {
  const order = g.co[e.loc]!;
  const last = order.length - 1;
  if (e.idx === 0 || last === 0) return 0;
  if (threadSawLatestWrite(g, e)) return last;
  dense.load(g);
  programOrder.load(g, dense);
  indexReaders(e);
  const d = dense.of(e.id);
  const uniproc = reachingWritesBound(e.loc, false, programOrder.sameLocRef[d]!, -1, -1);
  if (uniproc === last) return last;
  const tsoOrder = reachingWritesBound(e.loc, true, programOrder.readRef[d]!, programOrder.writeRef[d]!, programOrder.fenceRef[d]!);
  return Math.max(uniproc, tsoOrder);
}

/** Links each write to the reads that read from it (e itself has no source yet). */
function indexReaders(e: GraphEvent): void {
  const n = dense.n;
  if (readersHead.length < n) {
    const capacity = n * 2;
    readersHead = new Int32Array(capacity);
    readersNext = new Int32Array(capacity);
    reached = new Uint8Array(capacity);
    stack = new Int32Array(capacity);
  }
  readersHead.fill(-1, 0, n);
  for (let d = dense.locations; d < n; d++) {
    const r = dense.events[d]!;
    if (r.kind !== "R" || r === e || r.rf < 0) continue;
    const w = dense.of(r.rf);
    readersNext[d] = readersHead[w]!;
    readersHead[w] = d;
  }
}

/**
 * Searches backwards from the given events, in uniproc's relation
 * (`tsoOrder` false) or the TSO order, and returns the highest coherence
 * index of a write of `loc` reached (0 if none).
 */
function reachingWritesBound(loc: number, tsoOrder: boolean, a: number, b: number, c: number): number {
  const { events, coIndex, coPrev } = dense;
  const { readRef, writeRef, fenceRef, sameLocRef } = programOrder;
  reached.fill(0, 0, dense.n);
  let top = 0;
  const reach = (x: number) => {
    if (x >= 0 && reached[x] === 0) {
      reached[x] = 1;
      stack[top++] = x;
    }
  };
  reach(a);
  reach(b);
  reach(c);
  let bound = 0;
  while (top > 0) {
    const x = stack[--top]!;
    const ev = events[x]!;
    if (tsoOrder) {
      reach(readRef[x]!);
      reach(writeRef[x]!);
      reach(fenceRef[x]!);
    } else reach(sameLocRef[x]!);
    if (ev.kind === "R") {
      if (ev.rf >= 0) {
        const w = dense.of(ev.rf);
        if (!tsoOrder || events[w]!.tid !== ev.tid) reach(w);
      }
    } else if (ev.kind === "W") {
      if (ev.loc === loc && coIndex[x]! > bound) bound = coIndex[x]!;
      const prev = coPrev[x]!;
      if (prev >= 0) {
        reach(prev);
        for (let r = readersHead[prev]!; r >= 0; r = readersNext[r]!) reach(r);
      }
    }
  }
  return bound;
}

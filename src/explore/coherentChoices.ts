// Reads-from and coherence choices for a candidate execution, location by
// location, pruned as they are made: a choice that breaks coherence on its
// location (acyclic po-loc | rf | co | fr) or RMW atomicity is inconsistent
// under every model, whatever the other choices. Both properties only get
// worse as choices are added (edges are only added; two accesses separated
// in coherence stay separated), so a partial assignment that breaks them
// has no consistent completion.

import type { GraphEvent } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import { setReadsFrom } from "./eventFactory.ts";

const PARTIAL_CHECK_REMAINING = 64;

/**
 * Calls `visit` with g holding each coherent, atomic assignment of rf and
 * co, until `stopped()`. `partialCheck`, where given, judges the candidate
 * once a busy location's choices are complete (the others still open), and
 * prunes when it fails. Locations with more accesses are decided first.
 */
export function eachCoherentChoice(g: ExecutionGraph, visit: () => void, stopped: () => boolean, partialCheck?: () => boolean): void {
  const locations = g.inits.length;
  const accesses: GraphEvent[][] = Array.from({ length: locations }, () => []);
  for (const t of g.threads) for (const e of t) if (e.kind !== "F" && e.loc >= 0) accesses[e.loc]!.push(e);
  const used = accesses
    .map((_, loc) => loc)
    .filter((loc) => accesses[loc]!.length > 0)
    .sort((a, b) => accesses[b]!.length - accesses[a]!.length);
  for (let loc = 0; loc < locations; loc++) g.co[loc] = [g.inits[loc]!.id];
  // An upper bound on the assignments left from each position of `used` on.
  const remaining = new Array<number>(used.length + 1).fill(1);
  for (let li = used.length - 1; li >= 0; li--) remaining[li] = remaining[li + 1]! * choicesAt(g, accesses[used[li]!]!);

  const atLocation = (li: number): void => {
    if (stopped()) return;
    if (li === used.length) {
      visit();
      return;
    }
    const loc = used[li]!;
    const events = accesses[loc]!;
    const reads = events.filter((e) => e.kind === "R");
    const writes = events.filter((e) => e.kind === "W");
    const init = g.inits[loc]!;
    const chooseRf = (i: number): void => {
      if (stopped()) return;
      if (i === reads.length) {
        placeWrite(0);
        return;
      }
      const r = reads[i]!;
      const value = r.value;
      for (const w of [init, ...writes]) {
        if (w.value !== value || w === r) continue;
        if (r.rmw === "read" && reads.some((o, k) => k < i && o.rmw === "read" && o.rf === w.id)) continue;
        setReadsFrom(r, w);
        if (coherent(g, loc, events)) chooseRf(i + 1);
      }
      r.rf = -1;
    };
    for (const r of reads) r.rf = -1;
    const placeWrite = (j: number): void => {
      if (stopped()) return;
      if (j === writes.length) {
        // Judging a partial candidate costs a whole model check: worth it only
        // when many choices remain below.
        const judge = partialCheck !== undefined && remaining[li + 1]! >= PARTIAL_CHECK_REMAINING;
        if (!judge || partialCheck()) atLocation(li + 1);
        return;
      }
      const order = g.co[loc]!;
      const w = writes[j]!;
      for (let pos = 1; pos <= order.length; pos++) {
        order.splice(pos, 0, w.id);
        if (atomic(g, loc, reads) && coherent(g, loc, events)) placeWrite(j + 1);
        order.splice(pos, 1);
      }
    };
    chooseRf(0);
    g.co[loc] = [init.id];
  };
  atLocation(0);
}

/** No write placed between an RMW's source and its write (once both are placed). */
function atomic(g: ExecutionGraph, loc: number, reads: readonly GraphEvent[]): boolean {
  const order = g.co[loc]!;
  for (const r of reads) {
    if (r.rmw !== "read") continue;
    const w = g.threads[r.tid]![r.idx + 1];
    if (w === undefined) continue;
    const at = order.indexOf(w.id);
    const from = order.indexOf(r.rf);
    if (at >= 0 && from >= 0 && at !== from + 1) return false;
  }
  return true;
}

/** acyclic(po-loc | rf | co | fr) over the accesses of one location, with the choices made so far. */
function coherent(g: ExecutionGraph, loc: number, events: readonly GraphEvent[]): boolean {
  const order = g.co[loc]!;
  const index = new Map<number, number>([[order[0]!, 0]]);
  events.forEach((e, i) => index.set(e.id, i + 1));
  const n = events.length + 1;
  const succ: number[][] = Array.from({ length: n }, () => []);
  const last = new Map<number, number>();
  events.forEach((e, i) => {
    const prev = last.get(e.tid);
    if (prev !== undefined) succ[prev]!.push(i + 1);
    last.set(e.tid, i + 1);
  });
  for (let k = 0; k + 1 < order.length; k++) succ[index.get(order[k]!)!]!.push(index.get(order[k + 1]!)!);
  events.forEach((e, i) => {
    if (e.kind !== "R" || e.rf < 0) return;
    succ[index.get(e.rf)!]!.push(i + 1);
    const at = order.indexOf(e.rf);
    if (at >= 0 && at + 1 < order.length) succ[i + 1]!.push(index.get(order[at + 1]!)!);
  });
  const indeg = new Array<number>(n).fill(0);
  for (const s of succ) for (const b of s) indeg[b]!++;
  const queue: number[] = [];
  indeg.forEach((d, i) => d === 0 && queue.push(i));
  for (let k = 0; k < queue.length; k++) for (const b of succ[queue[k]!]!) if (--indeg[b]! === 0) queue.push(b);
  return queue.length === n;
}

/** Sources to choose for the reads times orders of the writes, at one location (an upper bound). */
function choicesAt(g: ExecutionGraph, events: readonly GraphEvent[]): number {
  const writes = events.filter((e) => e.kind === "W");
  let n = 1;
  for (let k = 2; k <= writes.length; k++) n *= k;
  for (const r of events) {
    if (r.kind !== "R") continue;
    n *= 1 + writes.filter((w) => w.value === r.value).length - (g.inits[r.loc]!.value === r.value ? 0 : 1);
  }
  return n;
}

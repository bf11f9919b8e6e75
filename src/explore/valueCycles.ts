// A read that the revisiting write depends on may still read from it when
// the cycle this closes determines its values: the write's value does not
// follow from the read's (only whether and where it happens does, through
// control dependencies), so the read takes that value, the values that
// follow from it along the cycle are computed again, and the write must
// come out the same. This is how herd7 solves a candidate's values (a
// constant under an `if` closes the cycle: out-of-thin-air shapes through
// plain accesses, which LKMM allows); a cycle that only copies values
// around determines none and is no execution.

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { GraphEvent } from "../graph/event.ts";
import type { Value } from "../program/value.ts";
import type { ThreadReplayer } from "../runtime/threadReplayer.ts";
import { setReadValue } from "./eventFactory.ts";

/**
 * After read `changed` of g took a new value: recomputes the values of the
 * writes that follow from it, and of the reads of those writes, until
 * nothing changes; where a branch now goes the other way, the thread's
 * events move and holes open for the writes and fences it now issues. False
 * when a thread now needs a read, an RMW or a wait the graph does not have,
 * when an event that goes is read by one kept, when `fixed` (the revisiting
 * write) would change or move, or when the values do not settle.
 */
export function settleValues(g: ExecutionGraph, replayer: ThreadReplayer, changed: GraphEvent, fixed: GraphEvent): boolean {
  const pending = new Set<number>([changed.tid]);
  let rounds = 0;
  const limit = 4 * g.threadCount + 8;
  let fixedChanged = false;
  const rewrite = (w: GraphEvent, value: Value) => {
    if (w === fixed || w.id === fixed.id) {
      fixedChanged = true;
      return;
    }
    w.value = value;
    for (const t of g.threads)
      for (const x of t) {
        if (x.kind !== "R" || x.rf !== w.id) continue;
        setReadValue(x, value);
        pending.add(x.tid);
      }
  };
  while (pending.size > 0) {
    if (++rounds > limit) return false;
    const tid = Math.min(...pending);
    pending.delete(tid);
    const path = replayer.rewriteValues(g, tid, rewrite);
    if (path === undefined || fixedChanged) return false;
    // A branch that now goes the other way: the thread's events move, leaving holes for the new ones.
    const events = g.threads[tid]!;
    if (path.length !== events.length || path.moved.some((to, k) => to !== k)) {
      if (tid === fixed.tid && path.moved[fixed.idx] !== fixed.idx) return false;
      if (!g.realign(tid, path.moved, path.length)) return false;
    }
  }
  return true;
}

/**
 * Whether some values of g justify only themselves: a cycle of reads-from
 * and of values computed from reads (data dependencies, an RMW's write).
 * Nothing in the program determines them, so the graph is no execution
 * (herd7 finds no solution for them either).
 */
export function hasSelfJustifiedValues(g: ExecutionGraph): boolean {
  // Values flow from a write to its reads, and from a read to the writes computed from it.
  const state = new Map<number, 1 | 2>();
  const successors = (e: GraphEvent): GraphEvent[] => {
    if (e.kind === "W") {
      const out: GraphEvent[] = [];
      for (const t of g.threads) for (const x of t) if (x.kind === "R" && x.rf === e.id) out.push(x);
      return out;
    }
    if (e.kind !== "R" || e.tid < 0) return [];
    const thread = g.threads[e.tid]!;
    const out: GraphEvent[] = [];
    if (e.rmw === "read" && thread[e.idx + 1] !== undefined) out.push(thread[e.idx + 1]!);
    for (let i = e.idx + 1; i < thread.length; i++) {
      const x = thread[i]!;
      if (x.kind === "W" && x.op?.deps?.data?.includes(e.opIndex) && x.opIndex !== e.opIndex) out.push(x);
    }
    return out;
  };
  const onCycle = (e: GraphEvent): boolean => {
    state.set(e.id, 1);
    for (const s of successors(e)) {
      const seen = state.get(s.id);
      if (seen === 1 || (seen === undefined && onCycle(s))) return true;
    }
    state.set(e.id, 2);
    return false;
  };
  for (const t of g.threads) for (const e of t) if (e.kind === "R" && !state.has(e.id) && onCycle(e)) return true;
  return false;
}

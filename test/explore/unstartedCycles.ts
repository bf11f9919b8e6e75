// The one shape of load-buffering execution the optimal explorer is known
// not to build (docs/engine.md, Limits): a po ∪ rf cycle that nothing can
// start. A revisit closes a cycle with a write that exists before the
// cycle does; here every write one of the cycle's reads could take either
// is issued, or takes its value, only because a read after the cycle's
// first read saw a value other than its location's initial one, or, taken
// by that read, gives a graph the model forbids (a release write read by
// an acquire closes an hb cycle where the cycle's own plain write would
// not). Candidate enumeration guesses the values first and
// finds such executions (of plain accesses, which LKMM lets form them).
// The differential test lets a program differ from candidates only by
// executions of this shape, each checked here.

import { explore } from "../../src/index.ts";
import { compileLitmus, parseLitmus } from "../../src/litmus/index.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { tidOf, type GraphEvent } from "../../src/graph/event.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import type { Strategy } from "../../src/explore/explore.ts";

/** The complete executions candidate enumeration finds and the default strategy does not. */
export function missedExecutions(text: string): ExecutionGraph[] {
  const compiled = compileLitmus(parseLitmus(text, "generated.litmus"));
  const complete = (strategy: Strategy) => {
    const graphs = new Map<string, ExecutionGraph>();
    explore(compiled.model, {
      memoryModel: lkmm,
      strategy,
      stopOnViolation: false,
      countDuplicates: false,
      onExecution: (g, o) => {
        if (o.status === "complete") graphs.set(graphKey(g), g.clone());
      },
    });
    return graphs;
  };
  const found = complete("optimal");
  return [...complete("candidates")].filter(([key]) => !found.has(key)).map(([, g]) => g);
}

/** Each thread's events (kind, location, value, RMW half, source) and each location's coherence order. */
function graphKey(g: ExecutionGraph): string {
  const threads = g.threads.map((t) => t.map((e) => `${e.kind}${e.loc}:${String(e.value)}:${e.rmw}:${e.kind === "R" ? e.rf : ""}`).join(" "));
  return `${threads.join("\n")}\n${g.co.map((order) => order.join(",")).join("\n")}`;
}

/**
 * Whether some po ∪ rf cycle of g has no start: every write that one of
 * its reads could take instead of the cycle's write either follows from the
 * values the cycle reads, or makes the graph one the model forbids.
 */
export function hasUnstartedCycle(g: ExecutionGraph): boolean {
  for (const t of g.threads)
    for (const r of t) {
      if (r.kind !== "R" || tidOf(r.rf) < 0) continue;
      const after = porfAfter(g, r);
      // r is on a cycle when its source comes after it.
      if (!after.has(r.rf)) continue;
      const cycle = [...after].map((id) => g.event(id)).filter((e) => porfAfter(g, e).has(r.id));
      // The locations of the cycle's reads-from edges (a read on it of a write off it closes nothing).
      const cycleIds = new Set(cycle.map((e) => e.id));
      const locations = new Set(cycle.filter((e) => e.kind === "R" && cycleIds.has(e.rf)).map((e) => e.loc));
      // A write that starts the cycle: one of its reads may take it instead (the model allows the graph so changed),
      // and it is not there only because of the cycle's values.
      const closing = cycle.filter((c) => c.kind === "R" && cycleIds.has(c.rf));
      const starts = (w: GraphEvent) =>
        w.kind === "W" &&
        w.tid >= 0 &&
        !followsFromNewValue(g, w, after) &&
        closing.some((c) => c.loc === w.loc && !(c.tid === w.tid && c.idx < w.idx) && allowedReading(g, cycle, c, w));
      if (![...g.events()].some(starts)) return true;
    }
  return false;
}

/**
 * Whether LKMM allows c to take its value from w (an RMW's write placed
 * right after w) in the part of g the cycle needs: the po ∪ rf prefix of
 * the cycle's events, and w without its own (a start may come after
 * anything else).
 */
function allowedReading(g: ExecutionGraph, cycle: readonly GraphEvent[], c: GraphEvent, w: GraphEvent): boolean {
  const changed = g.clone();
  const read = changed.threads[c.tid]![c.idx]!;
  read.rf = w.id;
  read.value = w.value;
  if (c.rmw === "read") {
    const order = changed.co[c.loc]!;
    const own = order.splice(order.indexOf(c.id + 1), 1)[0]!;
    order.splice(order.indexOf(w.id) + 1, 0, own);
  }
  const kept = changed.threads.map((t) => new Uint8Array(t.length));
  const scanned = new Int32Array(changed.threadCount).fill(-1);
  const stack = cycle.map((e) => changed.event(e.id));
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.tid < 0) continue;
    for (let i = x.idx; i > scanned[x.tid]!; i--) {
      kept[x.tid]![i] = 1;
      const y = changed.threads[x.tid]![i]!;
      if (y.kind === "R" && y.rf !== w.id) stack.push(changed.event(y.rf));
    }
    scanned[x.tid] = Math.max(scanned[x.tid]!, x.idx);
  }
  kept[w.tid]![w.idx] = 1;
  return lkmm.isConsistent(changed.restrictTo(kept));
}

/**
 * Whether write w is issued, or takes its value, only because a read after
 * the cycle's read (`after`) saw a value other than its location's initial
 * one: w depends on such a read of its thread (address, data or control,
 * as the program names them) or is the write of an RMW whose read is one.
 */
function followsFromNewValue(g: ExecutionGraph, w: GraphEvent, after: ReadonlySet<number>): boolean {
  const deps = w.op?.deps;
  const named = [...(deps?.addr ?? []), ...(deps?.data ?? []), ...(deps?.ctrl ?? [])];
  const rmwRead = w.rmw === "write" ? g.threads[w.tid]![w.idx - 1] : undefined;
  return g.threads[w.tid]!.some(
    (r, i) =>
      i < w.idx &&
      r.kind === "R" &&
      (r === rmwRead || named.includes(r.opIndex)) &&
      after.has(r.id) &&
      r.value !== g.inits[r.loc]!.value,
  );
}

/** The events po ∪ rf-after e (e's successors in program order, the reads of its writes, and on). */
function porfAfter(g: ExecutionGraph, e: GraphEvent): Set<number> {
  const seen = new Set<number>();
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    const next: GraphEvent[] = [];
    const thread = g.threads[x.tid]!;
    if (x.idx + 1 < thread.length) next.push(thread[x.idx + 1]!);
    if (x.kind === "W") for (const t of g.threads) for (const y of t) if (y.kind === "R" && y.rf === x.id) next.push(y);
    for (const y of next) {
      if (seen.has(y.id)) continue;
      seen.add(y.id);
      stack.push(y);
    }
  }
  return seen;
}

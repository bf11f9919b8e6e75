// Which two accesses an LKMM `data-race` flag is about, so that a report can
// name them and mark them in the trace. Whether an execution races is
// decided by the memory model's own flag (src/models/lkmm, as `litmus`
// prints it); this only recovers the pairs, from the same relations of
// linux-kernel.cat §24 (ww-race, wr-race, rw-race) that the flag is the
// emptiness test of. When plainAccesses.ts exports the pairs themselves,
// this should use them.

import type { Model } from "../program/model.ts";
import { formatValue } from "../program/value.ts";
import { Relation } from "../graph/relation.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { GraphEvent } from "../graph/event.ts";
import { LkmmGraph } from "../models/lkmm/lkmmGraph.ts";
import { Marked, Plain } from "../models/lkmm/bell.ts";
import { preRace, rwXbstar, wrVis, wwVis } from "../models/lkmm/plainAccesses.ts";

export interface RacingPair {
  /** The two accesses, the write first (the lower thread first between two writes). */
  readonly first: GraphEvent;
  readonly second: GraphEvent;
}

/** Every racing pair of a complete, LKMM-consistent execution; none when it has no data race. */
export function racingAccesses(g: ExecutionGraph): RacingPair[] {
  const x = new LkmmGraph(g);
  if (Plain(x).isEmpty()) return [];
  const race = preRace(x);
  const marked = Marked(x);
  const wwNonrace = wwVis(x)
    .inter(Relation.cross(marked, x.W).union(rwXbstar(x)))
    .inter(Relation.cross(x.W, marked).union(wrVis(x)));
  const races = race
    .inter(x.co)
    .diff(wwNonrace)
    .union(race.inter(x.co.opt().seq(x.rf)).diff(wrVis(x)).diff(rwXbstar(x).inverse()), race.inter(x.fr).diff(rwXbstar(x)));
  const pairs: RacingPair[] = [];
  const seen = new Set<string>();
  for (let a = 0; a < x.n; a++)
    for (const b of races.successors(a)) {
      const [first, second] = [x.events[a]!, x.events[b]!].sort((p, q) => (p.kind === "W" ? 0 : 1) - (q.kind === "W" ? 0 : 1) || p.tid - q.tid);
      const key = `${first.id}/${second.id}`;
      if (!seen.has(key)) seen.add(key), pairs.push({ first: first!, second: second! });
    }
  return pairs;
}

/** `P0: write x = 1 (plain), in step "publish"`, for a warning line. */
export function describeAccess(model: Model, e: GraphEvent): string {
  const what = e.kind === "W" ? (e.rmw === "write" ? "rmw write" : "write") : e.rmw === "read" ? "rmw read" : "read";
  const loc = e.loc >= 0 ? model.locations[e.loc]!.name : "?";
  const step = e.step === undefined ? "" : `, in step "${e.step}"`;
  return `${model.threads[e.tid]?.name ?? `thread ${e.tid}`}: ${what} ${loc} = ${formatValue(e.value)} (${e.mode})${step}`;
}

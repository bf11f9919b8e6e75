// Which events a violation depends on: the failing check's events and every
// event that reaches them through po ∪ rf ∪ co ∪ fr, backwards. A trace
// folds the rest ("fault2: 14 steps, not involved"): they happened, but
// nothing the broken check saw depends on them.
//
// The failing check's events: for a failed assertion or the event bound,
// the thread's last event; for a deadlock, each waiting thread's last
// event; for a broken invariant, the coherence-last write of each location
// the check reads (found by running the check again over a final state that
// records what it reads) and the last event of each thread whose result it
// reads, or of a thread declared identical to one (a check is judged over
// exchanges of their names). A check broken because no thread wrote what it
// reads (a page the punch should have removed still there, with its
// initial data) has only initial writes there: its events are then the
// last events of the threads that read those locations, since what they did
// after reading decided that they would not write them; with no such
// thread either, nothing is folded.

import type { FinalState, Model } from "../program/model.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { EventId, GraphEvent } from "../graph/event.ts";
import type { Outcome } from "../checks/outcome.ts";
import type { Loc } from "../program/value.ts";
import { orderingPredecessors } from "./drawingOrder.ts";

/** The involved thread events, or undefined when the seeds cannot be told (then nothing is folded). */
export function causalPast(model: Model, g: ExecutionGraph, outcome: Outcome): Set<EventId> | undefined {
  const seeds = seedEvents(model, g, outcome);
  if (seeds === undefined) return undefined;
  const preds = orderingPredecessors(g);
  const involved = new Set<EventId>();
  const stack = seeds.filter((e) => e.tid >= 0).map((e) => e.id);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (involved.has(id)) continue;
    involved.add(id);
    stack.push(...preds.get(id)!);
  }
  return involved;
}

function seedEvents(model: Model, g: ExecutionGraph, outcome: Outcome): GraphEvent[] | undefined {
  const last = (tid: number) => g.threads[tid]?.[g.threads[tid]!.length - 1];
  const v = outcome.violation;
  if (v === undefined) return undefined;
  if (v.kind === "assertion" || v.kind === "bound") {
    const tid = model.threads.findIndex((t) => t.name === v.thread);
    const ends = tid >= 0 ? [tid] : outcome.ends.map((e, i) => (e?.kind === "error" || e?.kind === "bound" ? i : -1)).filter((i) => i >= 0);
    return ends.map(last).filter((e): e is GraphEvent => e !== undefined);
  }
  if (v.kind === "deadlock") {
    return outcome.ends.map((e, tid) => (e === undefined ? last(tid) : undefined)).filter((e): e is GraphEvent => e !== undefined);
  }
  const check = model.checks.find((c) => c.kind === "forall" && v.message.includes(c.name));
  if (check === undefined) return undefined;
  const locs = new Set<number>();
  const threads = new Set<string>();
  const recording: FinalState = {
    value: (loc: Loc) => (locs.add(loc.id), outcome.final.value(loc)),
    int: (loc: Loc) => (locs.add(loc.id), outcome.final.int(loc)),
    result: (thread: string) => (threads.add(thread), outcome.final.result(thread)),
  };
  try {
    check.holds(recording);
  } catch {
    return undefined;
  }
  const seeds = [...locs].map((loc) => g.coLast(loc));
  // Under symmetry reduction the check is judged over every exchange of identical threads' names
  // (symmetricChecks.ts): the result it reads may be any of theirs.
  const keys = new Set(model.threads.filter((t) => threads.has(t.name) && t.identical !== undefined).map((t) => t.identical));
  model.threads.forEach((t, tid) => {
    if (!threads.has(t.name) && !(t.identical !== undefined && keys.has(t.identical))) return;
    const e = last(tid);
    if (e !== undefined) seeds.push(e);
  });
  if (seeds.some((e) => e.tid >= 0)) return seeds;
  const readers = g.threads.map((events, tid) => (events.some((e) => e.kind === "R" && locs.has(e.loc)) ? last(tid) : undefined)).filter((e): e is GraphEvent => e !== undefined);
  return readers.length > 0 ? readers : undefined;
}

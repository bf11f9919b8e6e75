// The values each location can hold, for candidate enumeration, which
// guesses read values before choosing their sources.
//
// First, cheaply: run every thread with reads taking any value known so far,
// add the values written, repeat until nothing new appears. That settles
// unless values feed on themselves (atomic counters: 0, 1, 2, ...). Then,
// exactly: add events in every order, each read taking a value some earlier
// event wrote; a value that no such order writes would come out of thin
// air, which the memory models refuse anyway.

import type { Model } from "../program/model.ts";
import type { Value } from "../program/value.ts";
import type { GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import type { ThreadReplayer } from "../runtime/threadReplayer.ts";
import { newEvent, setReadValue } from "./eventFactory.ts";

const QUICK_ROUNDS = 6;
const MAX_STATES = 500_000;

export function valueDomains(model: Model, replayer: ThreadReplayer): Set<Value>[] {
  return quickDomains(model, replayer) ?? orderedDomains(model, replayer);
}

/** Values written by some run of some thread whose reads take known values; undefined if it does not settle. */
function quickDomains(model: Model, replayer: ThreadReplayer): Set<Value>[] | undefined {
  const domains: Set<Value>[] = model.initial.map((v) => new Set([v]));
  for (let round = 0; round < QUICK_ROUNDS; round++) {
    // New values join the domains only after the round, so a round is finite.
    const found: [number, Value][] = [];
    model.threads.forEach((_, tid) =>
      eachRun(model, replayer, tid, domains, (events) => {
        for (const e of events) if (e.kind === "W" && !domains[e.loc]!.has(e.value)) found.push([e.loc, e.value]);
      }),
    );
    if (found.length === 0) return domains;
    for (const [loc, v] of found) domains[loc]!.add(v);
  }
  return undefined;
}

/** Every run of thread `tid` with each read taking a value of its location's domain. */
export function eachRun(
  model: Model,
  replayer: ThreadReplayer,
  tid: number,
  domains: readonly Set<Value>[],
  visit: (events: GraphEvent[], g: ExecutionGraph) => void,
): void {
  const g = ExecutionGraph.initial(model.initial, model.threads.length);
  const events = g.threads[tid]!;
  const extend = (): void => {
    const p = replayer.pending(g, tid);
    if (p.kind === "end" || p.kind === "waiting") {
      visit(events, g);
      return;
    }
    const e = newEvent(g, tid, p);
    events.push(e);
    if (e.kind === "R") {
      for (const v of [...domains[e.loc]!]) {
        setReadValue(e, v);
        extend();
      }
    } else {
      extend();
    }
    events.pop();
  };
  extend();
}

/** Values written when events are added in every order, reads taking values already written. */
function orderedDomains(model: Model, replayer: ThreadReplayer): Set<Value>[] {
  const g = ExecutionGraph.initial(model.initial, model.threads.length);
  const written: Map<Value, number>[] = model.initial.map((v) => new Map([[v, 1]]));
  const domains: Set<Value>[] = model.initial.map((v) => new Set([v]));
  const seen = new Set<string>();
  const key = () => g.threads.map((t) => t.map((e) => (e.kind === "R" ? String(e.value) : e.kind)).join(",")).join("|");
  const step = (): void => {
    const k = key();
    if (seen.has(k)) return;
    seen.add(k);
    if (seen.size > MAX_STATES)
      throw new Error(`the values of ${model.name} do not settle: more than ${MAX_STATES} partial runs (a counter that grows without bound?)`);
    for (let tid = 0; tid < g.threadCount; tid++) {
      const p = replayer.pending(g, tid);
      if (p.kind !== "op" && p.kind !== "rmw-write") continue;
      const e = newEvent(g, tid, p);
      g.threads[tid]!.push(e);
      if (e.kind === "R") {
        for (const v of [...written[e.loc]!.keys()]) {
          setReadValue(e, v);
          step();
        }
      } else if (e.kind === "W") {
        const m = written[e.loc]!;
        m.set(e.value, (m.get(e.value) ?? 0) + 1);
        domains[e.loc]!.add(e.value);
        step();
        if (m.get(e.value) === 1) m.delete(e.value);
        else m.set(e.value, m.get(e.value)! - 1);
      } else {
        step();
      }
      g.threads[tid]!.pop();
    }
  };
  step();
  return domains;
}

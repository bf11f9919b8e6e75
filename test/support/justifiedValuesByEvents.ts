// The values each location can hold when every value must be produced by a
// chain of events that does not need the read taking it (valueDomains.ts's
// justifiedDomains), computed from the definition: each value is kept with
// every set of events it may take to produce, and each thread is run with
// its reads taking every such pair. Exponential, for small programs only:
// the oracle the engine's summarised search is compared against.

import type { Model } from "../../src/program/model.ts";
import type { Value } from "../../src/program/value.ts";
import type { GraphEvent } from "../../src/graph/event.ts";
import { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import type { ThreadReplayer } from "../../src/runtime/threadReplayer.ts";
import { newEvent, setReadValue } from "../../src/explore/eventFactory.ts";

interface Justified {
  readonly value: Value;
  readonly events: ReadonlySet<string>;
}

const key = (e: GraphEvent) => `${e.tid}:${e.idx}`;

export function justifiedValuesByEvents(model: Model, replayer: ThreadReplayer, maxRounds = 256): Set<Value>[] {
  const known: Justified[][] = model.initial.map((value) => [{ value, events: new Set<string>() }]);
  for (let round = 0; round < maxRounds; round++) {
    const found: [number, Justified][] = [];
    model.threads.forEach((_, tid) => {
      const g = ExecutionGraph.initial(model.initial, model.threads.length);
      const events = g.threads[tid]!;
      const used: Justified[] = [];
      const extend = (): void => {
        const p = replayer.pending(g, tid);
        if (p.kind === "end" || p.kind === "waiting") return;
        const e = newEvent(g, tid, p);
        events.push(e);
        if (e.kind === "R") {
          for (const j of known[e.loc]!.slice()) {
            // Not a value that needs this read or anything after it in its thread.
            if ([...j.events].some((k) => k.startsWith(`${tid}:`) && Number(k.split(":")[1]) >= e.idx)) continue;
            setReadValue(e, j.value);
            used[e.idx] = j;
            extend();
          }
        } else {
          if (e.kind === "W") found.push([e.loc, { value: e.value, events: eventsNeeded(events, used, e) }]);
          extend();
        }
        events.pop();
      };
      extend();
    });
    let grew = false;
    for (const [loc, j] of found) {
      const list = known[loc]!;
      if (list.some((k) => k.value === j.value && [...k.events].every((s) => j.events.has(s)))) continue;
      list.push(j);
      grew = true;
    }
    if (!grew) return known.map((list) => new Set(list.map((j) => j.value)));
  }
  throw new Error(`the values of ${model.name} do not settle after ${maxRounds} rounds`);
}

/** Write w itself, and what the reads it depends on (every earlier read when its operation names none) needed. */
function eventsNeeded(events: readonly GraphEvent[], used: readonly Justified[], w: GraphEvent): Set<string> {
  const needed = new Set<string>([key(w)]);
  const deps = w.op?.deps;
  const named = deps === undefined ? undefined : new Set([...(deps.addr ?? []), ...(deps.data ?? []), ...(deps.ctrl ?? [])]);
  for (const r of events) {
    if (r.idx >= w.idx || r.kind !== "R") continue;
    if (!(named === undefined || named.has(r.opIndex) || (w.rmw === "write" && r.idx === w.idx - 1))) continue;
    needed.add(key(r));
    for (const k of used[r.idx]!.events) needed.add(k);
  }
  return needed;
}

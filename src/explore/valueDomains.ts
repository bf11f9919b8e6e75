// The values each location can hold, for candidate enumeration, which
// guesses read values before choosing their sources.
//
// First, cheaply: run every thread with reads taking any value known so far,
// add the values written, repeat until nothing new appears. That settles
// unless values feed on themselves (atomic counters: 0, 1, 2, ...). Then,
// with each value the events it takes to produce (justifiedDomains).

import type { Model } from "../program/model.ts";
import type { Value } from "../program/value.ts";
import type { GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import type { ThreadReplayer } from "../runtime/threadReplayer.ts";
import { newEvent, setReadValue } from "./eventFactory.ts";

const QUICK_ROUNDS = 6;
const MAX_ROUNDS = 256;

export function valueDomains(model: Model, replayer: ThreadReplayer): Set<Value>[] {
  const quick = quickDomains(model, replayer);
  return quick.settled ? quick.domains : justifiedDomains(model, replayer);
}

/**
 * Values written by some run of some thread whose reads take known values,
 * after at most a few rounds; `settled` says whether the last round found
 * nothing new (then these are all the values).
 */
function quickDomains(model: Model, replayer: ThreadReplayer): { domains: Set<Value>[]; settled: boolean } {
  const domains: Set<Value>[] = model.initial.map((v) => new Set([v]));
  for (let round = 0; round < QUICK_ROUNDS; round++) {
    // New values join the domains only after the round, so a round is finite.
    const found: [number, Value][] = [];
    model.threads.forEach((_, tid) =>
      eachRun(model, replayer, tid, domains, (events) => {
        for (const e of events) if (e.kind === "W" && !domains[e.loc]!.has(e.value)) found.push([e.loc, e.value]);
      }),
    );
    if (found.length === 0) return { domains, settled: true };
    for (const [loc, v] of found) domains[loc]!.add(v);
  }
  return { domains, settled: false };
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

/** A value at a location, with the events it takes to produce it (thread slots). */
interface Justified {
  readonly value: Value;
  readonly support: ReadonlySet<number>;
}

const slot = (e: GraphEvent) => e.tid * 0x10000 + e.idx;

/**
 * Values with the events they take to produce: a write needs itself and
 * what the reads it depends on needed (all earlier reads of its run when
 * its operation names no dependencies); a read may take a value only if
 * that value needs neither the read nor anything after it in its thread.
 * Supports only grow along a chain and are bounded by the events there
 * are, so this ends; a value no such chain produces would come out of
 * thin air, which the memory models refuse anyway.
 */
function justifiedDomains(model: Model, replayer: ThreadReplayer): Set<Value>[] {
  const known: Justified[][] = model.initial.map((value) => [{ value, support: new Set<number>() }]);
  for (let round = 0; round < MAX_ROUNDS; round++) {
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
            if ([...j.support].some((s) => s >= slot(e) && s < (tid + 1) * 0x10000)) continue;
            setReadValue(e, j.value);
            used[e.idx] = j;
            extend();
          }
        } else {
          if (e.kind === "W") found.push([e.loc, { value: e.value, support: supportOf(events, used, e) }]);
          extend();
        }
        events.pop();
      };
      extend();
    });
    let grew = false;
    for (const [loc, j] of found) {
      const list = known[loc]!;
      if (list.some((k) => k.value === j.value && [...k.support].every((s) => j.support.has(s)))) continue;
      list.push(j);
      grew = true;
    }
    if (!grew) return known.map((list) => new Set(list.map((j) => j.value)));
  }
  throw new Error(`the values of ${model.name} do not settle after ${MAX_ROUNDS} rounds`);
}

/** What write w needs: itself, and what the reads it depends on needed. */
function supportOf(events: readonly GraphEvent[], used: readonly Justified[], w: GraphEvent): Set<number> {
  const support = new Set<number>([slot(w)]);
  const deps = w.op?.deps;
  const named = deps === undefined ? undefined : new Set([...(deps.addr ?? []), ...(deps.data ?? []), ...(deps.ctrl ?? [])]);
  for (const r of events) {
    if (r.idx >= w.idx || r.kind !== "R") continue;
    const needed = named === undefined || named.has(r.opIndex) || (w.rmw === "write" && r.idx === w.idx - 1);
    if (!needed) continue;
    support.add(slot(r));
    for (const s of used[r.idx]!.support) support.add(s);
  }
  return support;
}

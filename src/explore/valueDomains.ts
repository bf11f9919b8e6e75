// The values each location can hold, for candidate enumeration, which
// guesses read values before choosing their sources.
//
// First, cheaply: run every thread with reads taking any value known so far,
// add the values written, repeat until nothing new appears. That settles
// unless values feed on themselves (atomic counters: 0, 1, 2, ...), or
// stops once a round grows large: each round runs every thread with every
// combination of the values known, more of them each round. Then, with each
// value the events it takes to produce (justifiedDomains).

import type { Model } from "../program/model.ts";
import type { Value } from "../program/value.ts";
import type { GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import type { ThreadReplayer } from "../runtime/threadReplayer.ts";
import { newEvent, setReadValue } from "./eventFactory.ts";

const QUICK_ROUNDS = 6;
/** Past this many thread runs in one round, the values known drive the next round's runs up faster than they settle: lock words' and counters' values (a rwsem model's took minutes). */
const QUICK_ROUND_RUNS = 5000;
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
    let runs = 0;
    model.threads.forEach((_, tid) =>
      eachRun(model, replayer, tid, domains, (events) => {
        runs++;
        for (const e of events) if (e.kind === "W" && !domains[e.loc]!.has(e.value)) found.push([e.loc, e.value]);
      }),
    );
    if (found.length === 0) return { domains, settled: true };
    for (const [loc, v] of found) domains[loc]!.add(v);
    if (runs > QUICK_ROUND_RUNS) break;
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

/**
 * The events a value takes to produce, kept as their latest position in
 * each thread (-1: none there). Whether a read may take the value depends
 * only on the latest of those events in the read's own thread, and
 * combining needs takes the later position thread by thread, so needs
 * that differ only below those positions are one need.
 */
type Need = readonly number[];

/**
 * Values with the events they take to produce: a write needs itself and
 * what the reads it depends on needed (all earlier reads of its run when
 * its operation names no dependencies); a read may take a value only if
 * that value needs neither the read nor anything after it in its thread.
 * Needs only grow along a chain and are bounded by the events there are,
 * so this ends; a value no such chain produces would come out of thin air,
 * which the memory models refuse anyway.
 *
 * A value is kept with its least needs only: a need at or past another's
 * for the same value, thread by thread, lets no read take the value that
 * the other does not, and makes no write's need smaller. A run is
 * enumerated once per value its reads take, not once per need: each of its
 * writes gets the least needs of every way its reads could have taken
 * those values.
 */
export function justifiedDomains(model: Model, replayer: ThreadReplayer): Set<Value>[] {
  const threads = model.threads.length;
  const known: Map<Value, Need[]>[] = model.initial.map((value) => new Map([[value, [new Array<number>(threads).fill(-1)]]]));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const found: [number, Value, Need][] = [];
    model.threads.forEach((_, tid) => {
      const g = ExecutionGraph.initial(model.initial, threads);
      const events = g.threads[tid]!;
      const used: Need[][] = [];
      const extend = (): void => {
        const p = replayer.pending(g, tid);
        if (p.kind === "end" || p.kind === "waiting") return;
        const e = newEvent(g, tid, p);
        events.push(e);
        if (e.kind === "R") {
          // What the round finds joins `known` only after it: the values and needs iterated here stay as they are.
          for (const [value, needs] of known[e.loc]!) {
            const possible = needs.filter((n) => n[tid]! < e.idx);
            if (possible.length === 0) continue;
            setReadValue(e, value);
            used[e.idx] = possible;
            extend();
          }
        } else {
          if (e.kind === "W") for (const need of needsOf(events, used, e, threads)) found.push([e.loc, e.value, need]);
          extend();
        }
        events.pop();
      };
      extend();
    });
    let grew = false;
    for (const [loc, value, need] of found) {
      const needs = known[loc]!.get(value) ?? [];
      if (needs.some((n) => atOrBefore(n, need))) continue;
      known[loc]!.set(value, [...needs.filter((n) => !atOrBefore(need, n)), need]);
      grew = true;
    }
    if (!grew) return known.map((values) => new Set(values.keys()));
  }
  throw new Error(`the values of ${model.name} do not settle after ${MAX_ROUNDS} rounds`);
}

/** Whether need a is at or before need b in every thread. */
function atOrBefore(a: readonly number[], b: readonly number[]): boolean {
  for (let t = 0; t < a.length; t++) if (a[t]! > b[t]!) return false;
  return true;
}

/** The least of what write w may need: itself, and what the reads it depends on needed, in each way they could. */
function needsOf(events: readonly GraphEvent[], used: readonly Need[][], w: GraphEvent, threads: number): Need[] {
  const own = new Array<number>(threads).fill(-1);
  own[w.tid] = w.idx;
  let needs: Need[] = [own];
  const deps = w.op?.deps;
  const named = deps === undefined ? undefined : new Set([...(deps.addr ?? []), ...(deps.data ?? []), ...(deps.ctrl ?? [])]);
  for (const r of events) {
    if (r.idx >= w.idx || r.kind !== "R") continue;
    const needed = named === undefined || named.has(r.opIndex) || (w.rmw === "write" && r.idx === w.idx - 1);
    if (!needed) continue;
    const joined: Need[] = [];
    for (const a of needs) for (const b of used[r.idx]!) addLeast(joined, a.map((x, t) => Math.max(x, b[t]!)));
    needs = joined;
  }
  return needs;
}

/** Adds `need` to the least needs `needs` unless one of them is at or before it, dropping those it is before. */
function addLeast(needs: Need[], need: Need): void {
  if (needs.some((n) => atOrBefore(n, need))) return;
  for (let i = needs.length - 1; i >= 0; i--) if (atOrBefore(need, needs[i]!)) needs.splice(i, 1);
  needs.push(need);
}

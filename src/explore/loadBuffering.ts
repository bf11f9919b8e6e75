// Whether a program may have consistent executions with a po ∪ rf cycle
// (load buffering: a read takes its value from a write that depends, through
// other threads, on what comes after the read). The optimal explorer never
// builds those; under models that allow them (LKMM) a program that may have
// them is explored by candidate enumeration instead.
//
// A po ∪ rf cycle can be taken to use only rf edges between threads (an
// internal rf is covered by po), so it alternates po segments, each from a
// read to a later write of its thread, with rfe edges. If every segment is
// ordered by the model's preserved program order (an acquire read, a release
// write, a full barrier between them, or a dependency of the write on the
// read) between marked accesses, the cycle lies in happens-before and is
// forbidden. LKMM's happens-before (linux-kernel.cat, `hb`) relates marked
// accesses only, so a segment with a plain end counts as unordered (its
// plain-coherence axiom still forbids some such cycles, those where the
// plain access is bounded by a fence, but only when the rest of the cycle
// is in hb; taking them as possible is the safe side). A cycle
// needs a segment that is not ordered; this checks, over every run of every
// thread, whether such a segment can lie on a cycle of possible po and rfe
// edges.

import type { Model } from "../program/model.ts";
import type { GraphEvent } from "../graph/event.ts";
import type { ThreadReplayer } from "../runtime/threadReplayer.ts";
import { isLockEvent } from "../models/lkmm/bell.ts";
import { eachRunWithin, quickDomains, RunBudget, RunBudgetExceeded, type RunLimit } from "./valueDomains.ts";

/** Thread runs the analysis may enumerate before it gives up (each read multiplies a thread's runs by its values). */
export const LOAD_BUFFERING_RUN_BUDGET = 200_000;

/**
 * Runs per thread of the first look: a cycle among a sample of the runs is
 * a real possibility, so it settles "may" for programs with too many runs
 * to enumerate (a thread reading one location twenty times), whose cycle is
 * usually plain to see.
 */
const FIRST_LOOK_RUNS = 2_000;

/** `unknown`: the program has too many thread runs to decide. */
export type LoadBuffering = "no" | "may" | "unknown";

export function loadBufferingOf(model: Model, replayer: ThreadReplayer, budget = LOAD_BUFFERING_RUN_BUDGET): LoadBuffering {
  if (mayLoadBuffer(model, replayer, { perThread: Math.min(FIRST_LOOK_RUNS, budget) })) return "may";
  try {
    return mayLoadBuffer(model, replayer, { shared: new RunBudget(budget) }) ? "may" : "no";
  } catch (e) {
    if (e instanceof RunBudgetExceeded) return "unknown";
    throw e;
  }
}

/** Whether the runs `limit` lets through show a possible cycle with an unordered segment. */
function mayLoadBuffer(model: Model, replayer: ThreadReplayer, limit: RunLimit): boolean {
  // The runs only need to show which accesses follow which; where values
  // keep growing (counters), the runs over a few rounds' values are taken
  // as representative rather than paying for the exact domains.
  const { domains } = quickDomains(model, replayer, limit);
  const node = new Map<string, number>();
  // Runs share a node per thread position, location and kind: merging the
  // positions of different runs only adds paths (sound), and keeping the
  // location and kind apart stops unrelated branches from joining up.
  const id = (tid: number, e: GraphEvent) => {
    const k = `${tid}:${e.idx}:${e.loc}:${e.kind}`;
    let n = node.get(k);
    if (n === undefined) node.set(k, (n = node.size));
    return n;
  };
  const edges = new Map<number, Set<number>>();
  const addEdge = (a: number, b: number) => {
    let s = edges.get(a);
    if (s === undefined) edges.set(a, (s = new Set()));
    s.add(b);
  };
  const weak: [number, number][] = [];
  const readsAt = new Map<number, Set<number>>(); // location -> read nodes
  const writesAt = new Map<number, Set<number>>(); // location -> write nodes
  const tidOfNode = new Map<number, number>();
  model.threads.forEach((_, tid) =>
    eachRunWithin(model, replayer, tid, domains, (events) => {
      events.forEach((r, i) => {
        const rn = id(tid, r);
        tidOfNode.set(rn, tid);
        if (r.kind === "W" && r.loc >= 0) add(writesAt, r.loc, rn);
        if (r.kind !== "R") return;
        add(readsAt, r.loc, rn);
        for (let j = i + 1; j < events.length; j++) {
          const w = events[j]!;
          if (w.kind !== "W") continue;
          const wn = id(tid, w);
          addEdge(rn, wn);
          if (!ordered(events, i, j)) weak.push([rn, wn]);
        }
      });
    }, limit),
  );
  for (const [loc, ws] of writesAt)
    for (const w of ws) for (const r of readsAt.get(loc) ?? []) if (tidOfNode.get(w) !== tidOfNode.get(r)) addEdge(w, r);
  return weak.some(([r, w]) => reaches(edges, w, r));
}

function add(m: Map<number, Set<number>>, k: number, v: number): void {
  let s = m.get(k);
  if (s === undefined) m.set(k, (s = new Set()));
  s.add(v);
}

/** Whether the read at i is ordered before the write at j by preserved program order. */
function ordered(events: readonly GraphEvent[], i: number, j: number): boolean {
  const r = events[i]!;
  const w = events[j]!;
  // hb = [Marked] ; (ppo | ...) ; [Marked]: a plain access is ordered by none of what follows.
  if (r.mode === "plain" || w.mode === "plain") return false;
  // A failed RMW (a cmpxchg_acquire that did not store, a failed spin_trylock)
  // is a lone read with none of its annotation's ordering (linux-kernel.bell
  // `Acquire = ACQUIRE \ W \ FailedRMW`; lock.cat: LF has no ordering).
  if (!failedRmw(r) && (r.mode === "acquire" || r.tags?.includes("lock"))) return true;
  if (w.mode === "release" || w.tags?.includes("unlock")) return true;
  if ((r.rmw !== "none" && r.mode === "mb") || (w.rmw !== "none" && w.mode === "mb")) return true;
  // spin_trylock's and spin_is_locked's results are constants in herd: no dependency starts at a lock event.
  const deps = w.op?.deps;
  if (deps !== undefined && !isLockEvent(r) && [deps.addr, deps.data, deps.ctrl].some((d) => d?.includes(r.opIndex))) return true;
  for (let k = i + 1; k < j; k++) {
    const e = events[k]!;
    if (e.kind === "F" && (e.fence === "mb" || e.fence === "sync-rcu")) return true;
    if (e.rmw !== "none" && e.mode === "mb") return true;
  }
  return false;
}

/** A read-modify-write whose condition failed: its read is all there is. */
function failedRmw(e: GraphEvent): boolean {
  return e.kind === "R" && e.op?.kind === "rmw" && e.rmw === "none";
}

function reaches(edges: ReadonlyMap<number, ReadonlySet<number>>, from: number, to: number): boolean {
  const seen = new Set<number>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const a = stack.pop()!;
    if (a === to) return true;
    for (const b of edges.get(a) ?? []) if (!seen.has(b)) seen.add(b), stack.push(b);
  }
  return false;
}

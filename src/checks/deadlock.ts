// Deadlock: an execution in which threads wait forever. A waiting thread
// waits on the coherence-last write of a location. It is held by whoever
// made that location unacceptable to the waiter: the first write of the run
// of writes at the end of coherence order whose values the waiter cannot
// take (a page lock's holder, not whoever set another flag in the same word
// afterwards). Following holder links from a waiting thread gives the
// waits-for chain, which closes into a cycle for ABBA and self-deadlocks.

import { valueText } from "../report/valueText.ts";
import type { Model } from "../program/model.ts";
import type { GraphEvent } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";

export interface Wait {
  readonly thread: string;
  readonly location: string;
  /** The value it sees and keeps seeing. */
  readonly sees: string;
  /** The await's operation name (spin_lock, lock_page, await). */
  readonly waitsIn: string;
  readonly step: string | undefined;
  /** The thread whose write began the run of values the waiter cannot take, or undefined when the run begins with the initial value. */
  readonly heldBy: string | undefined;
}

export interface Deadlock {
  readonly waits: readonly Wait[];
  /** Thread names around the waits-for cycle (first repeated at the end), if the chain closes. */
  readonly cycle: readonly string[] | undefined;
  readonly message: string;
}

/** `finished`: the threads whose function returned (a lock they hold is never released). */
export function describeDeadlock(model: Model, g: ExecutionGraph, waiting: ReadonlyMap<number, GraphEvent>, finished: ReadonlySet<number> = new Set()): Deadlock {
  const exitedHolders = new Map<number, number>();
  const waits = new Map<number, Wait>();
  for (const [tid, r] of waiting) {
    const writer = holderWrite(g, r);
    if (finished.has(writer.tid)) exitedHolders.set(tid, writer.tid);
    waits.set(tid, {
      thread: model.threads[tid]!.name,
      location: model.locations[r.loc]!.name,
      sees: valueText(model, r.loc, r.value),
      waitsIn: r.op?.name ?? "await",
      step: r.step,
      heldBy: writer.tid < 0 ? undefined : model.threads[writer.tid]!.name,
    });
  }
  const cycle = findCycle(g, waiting, model);
  const lines = [...waiting].map(([tid, r]) => {
    const w = waits.get(tid)!;
    // A later write that kept the value unacceptable (the waiter's own, setting a waiters bit or queueing itself) is not the holder; say it, so that the holder is not mistaken for it.
    const last = g.event(g.co[r.loc]!.at(-1)!);
    const lastWriter = last.tid < 0 ? undefined : model.threads[last.tid]!.name;
    const also = lastWriter !== undefined && lastWriter !== w.heldBy ? `; last written by ${lastWriter}` : "";
    // Unacceptable from the start: a word initially held, or a wake-up nobody sent (the waiter's own write queued it).
    const held = w.heldBy !== undefined ? `, written by ${w.heldBy}` : lastWriter === undefined ? ", the initial value" : "; no write since the initial value lets it through";
    return `${w.thread} waits in ${w.waitsIn} on ${w.location} (sees ${w.sees}${held}${also})`;
  });
  const head = cycle !== undefined ? `deadlock: ${cycle.join(" -> ")}` : exitedHolders.size > 0 ? `deadlock: ${exitedHead(waits, exitedHolders, model)}` : "deadlock";
  return { waits: [...waits.values()], cycle, message: `${head}\n  ${lines.join("\n  ")}` };
}

/** "T1 exited holding L; T2 waits for L": a lock its holder can no longer release, not a cycle. */
function exitedHead(waits: ReadonlyMap<number, Wait>, exitedHolders: ReadonlyMap<number, number>, model: Model): string {
  // Holder, then location: the waiters on each lock an exited thread left held.
  const left = new Map<string, Map<string, string[]>>();
  for (const [waiter, holder] of exitedHolders) {
    const w = waits.get(waiter)!;
    const locks = left.get(model.threads[holder]!.name) ?? new Map<string, string[]>();
    locks.set(w.location, [...(locks.get(w.location) ?? []), w.thread]);
    left.set(model.threads[holder]!.name, locks);
  }
  const parts: string[] = [];
  for (const [holder, locks] of left)
    for (const [location, waiters] of locks)
      parts.push(`${holder} exited holding ${location}; ${waiters.join(" and ")} ${waiters.length === 1 ? "waits" : "wait"} for ${location}`);
  return parts.join("; ");
}

function findCycle(g: ExecutionGraph, waiting: ReadonlyMap<number, GraphEvent>, model: Model): string[] | undefined {
  for (const start of waiting.keys()) {
    const path: number[] = [];
    let t: number | undefined = start;
    while (t !== undefined && !path.includes(t)) {
      path.push(t);
      const r = waiting.get(t);
      // A holder that is not waiting (it returned) ends the chain: no cycle.
      if (r === undefined) {
        t = undefined;
        break;
      }
      const holder = holderWrite(g, r).tid;
      t = holder < 0 ? undefined : holder;
    }
    if (t !== undefined && path.includes(t)) {
      const loop = path.slice(path.indexOf(t));
      return [...loop, t].map((tid) => model.threads[tid]!.name);
    }
  }
  return undefined;
}

/** The write that started the run of values the waiter cannot accept (its rf when the await has no predicate). */
function holderWrite(g: ExecutionGraph, r: GraphEvent): GraphEvent {
  const until = r.op !== undefined && r.op.kind !== "fence" && r.op.kind !== "write" ? r.op.until : undefined;
  if (until === undefined) return g.event(r.rf);
  const order = g.co[r.loc]!;
  let i = order.length - 1;
  while (i > 0 && !until(g.event(order[i - 1]!).value)) i--;
  return g.event(order[i]!);
}

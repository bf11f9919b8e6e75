// Reads whose coherence-latest source LKMM may forbid where an older one is
// allowed, for a reason inside their own thread: a lock operation of a
// lock the thread holds. spin_lock() or spin_trylock() taking an unlocked
// value there is an LKR inside a critical section (lock-nest), and
// spin_is_locked() taking one an RU (nested-is-locked); only a locked
// value (a failed trylock, is_locked() returning 1) is consistent. When
// another thread's unlock, of a lock it does not hold, is coherence-latest,
// the graph where such a read takes it does not exist (MemoryModel's
// latestSourceMayBeForbidden says what the explorer makes of that).

import type { GraphEvent } from "../../graph/event.ts";
import type { ExecutionGraph } from "../../graph/executionGraph.ts";
import { hasTag } from "./lkmmGraph.ts";

/**
 * Whether read r is a lock operation (spin_lock, spin_trylock or
 * spin_is_locked) of a lock its thread holds: the last LKW or UL of r's
 * location before r in its thread is an LKW (as lock-nest and
 * nested-is-locked judge it, lockNesting.ts).
 */
export function readsHeldLock(g: ExecutionGraph, r: GraphEvent): boolean {
  if (r.kind !== "R" || !(hasTag(r, "lock") || hasTag(r, "islocked"))) return false;
  const events = g.threads[r.tid]!;
  for (let i = r.idx - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.loc !== r.loc || e.kind !== "W") continue;
    if (e.rmw === "write" && hasTag(e, "lock")) return true;
    if (hasTag(e, "unlock")) return false;
  }
  return false;
}

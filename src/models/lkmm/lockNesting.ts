// lock.cat's three axioms (locks.ts) in one pass over each thread, for the
// fast evaluation: each asks about the lock events of one thread and one
// lock in program order, which a walk that remembers, per lock, the last
// spin_lock write (LKW) or spin_unlock (UL) seen answers without building
// po-loc and its compositions.
//
// - lock-nest: an LKR with an LKW before it and no UL between: the last LKW
//   or UL before it is an LKW.
// - nested-is-locked: the same with an RU (spin_is_locked() returning 0).
// - unmatched-locks: an LKW is matched when the next LKW or UL of its lock
//   in its thread is a UL (critical); two unmatched LKWs of one lock break
//   it (of a complete execution; locks.ts).

import type { EventSet } from "../../graph/relation.ts";
import { LKR, LKW, RU, UL } from "./locks.ts";
import type { LkmmGraph } from "./lkmmGraph.ts";

/** Whether some event of `after` has, as the last LKW or UL of its lock before it in its thread, an LKW. */
function lockedBefore(x: LkmmGraph, after: EventSet): boolean {
  const locked = LKW(x);
  if (locked.isEmpty()) return false;
  const unlocked = UL(x);
  const holding = new Map<number, boolean>();
  let i = x.inits;
  for (const thread of x.threads) {
    holding.clear();
    for (const e of thread) {
      if (e.loc >= 0) {
        if (after.has(i) && holding.get(e.loc) === true) return true;
        if (locked.has(i)) holding.set(e.loc, true);
        else if (unlocked.has(i)) holding.set(e.loc, false);
      }
      i++;
    }
  }
  return false;
}

/** §23 lock-nest. */
export function lockNestInOnePass(x: LkmmGraph): boolean {
  return !lockedBefore(x, LKR(x));
}

/** §23 nested-is-locked. */
export function nestedIsLockedInOnePass(x: LkmmGraph): boolean {
  return !lockedBefore(x, RU(x));
}

/**
 * §23 unmatched-locks. With `complete` false, of a graph whose threads may
 * go on: an LKW a thread ends with may still be unlocked, and only one
 * another LKW of its lock follows stays open for good (unmatchedLocksSoFar).
 */
export function unmatchedLocksInOnePass(x: LkmmGraph, complete = true): boolean {
  const locked = LKW(x);
  if (locked.isEmpty()) return true;
  const unlocked = UL(x);
  /** Per lock, whether an unmatched LKW has been seen. */
  const unmatched = new Set<number>();
  const leaveUnmatched = (loc: number): boolean => {
    if (unmatched.has(loc)) return false;
    unmatched.add(loc);
    return true;
  };
  /** Per lock, whether the thread's last LKW or UL of it so far is an LKW (one still waiting for its UL). */
  const open = new Map<number, boolean>();
  let i = x.inits;
  for (const thread of x.threads) {
    open.clear();
    for (const e of thread) {
      if (e.loc >= 0) {
        if (locked.has(i)) {
          if (open.get(e.loc) === true && !leaveUnmatched(e.loc)) return false;
          open.set(e.loc, true);
        } else if (unlocked.has(i)) open.set(e.loc, false);
      }
      i++;
    }
    if (complete) for (const [loc, waiting] of open) if (waiting && !leaveUnmatched(loc)) return false;
  }
  return true;
}

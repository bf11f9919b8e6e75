// lock.cat: spinlocks (explanation.txt §23 LOCKING).
//
// How herd7 builds executions with spinlocks, and why pagerace's graphs
// give the same ones.
//
// In herd7 lock events carry no value. spin_lock() is an LKR;LKW pair,
// spin_unlock() a UL, spin_trylock() a choice between an LKR;LKW pair
// (returning 1) and an LF (returning 0), spin_is_locked() a choice between
// RL (1) and RU (0). lock.cat then generates their rf and co itself:
//   - co of a lock: the initial write, then the LKWs in any order, with the
//     one LKW that is never unlocked (if any) last; each UL goes right after
//     the LKW of its critical section: IW, LKW1, UL1, LKW2, UL2, ..., [LKWk].
//     One candidate per order of the critical sections.
//   - an LKR reads the write just before its LKW in co (IW or a UL).
//   - an LF or RL reads the thread's own LKW when it sits in its own
//     critical section, otherwise an LKW of another thread (one candidate
//     per LKW; none if there is none, which kills that trylock branch).
//   - an RU reads the thread's last UL before it, a UL of another thread,
//     or the initial write (one candidate each).
// Coherence and the other axioms then prune these candidates as usual.
//
// In pagerace a lock is a location holding 0 or 1: spin_lock is an await
// RMW (reads 0, writes 1), spin_unlock writes 0, spin_trylock is an RMW
// that fails (a lone read) on a non-zero value, spin_is_locked a read. For
// a well-formed program (a thread only releases a lock it holds; locks are
// touched by lock operations only), the consistent graphs in which no
// spin_lock is left waiting correspond one to one to herd's consistent
// candidates:
//   - values and atomicity force co of a lock to be IW, LKW1, UL1, LKW2, ...:
//     an LKW directly follows the 0-write its LKR read (atomicity), the next
//     write after an LKW cannot be an LKW (its LKR would read 1), so it is a
//     UL, and by coherence the UL of the critical section just opened. An
//     LKW never unlocked is therefore last, and at most one exists. So each
//     LKR reads the co-predecessor of its LKW, as in herd.
//   - an LF or RL reads some LKW (value 1); coherence leaves exactly herd's
//     choices (its own critical section's LKW, or another thread's LKW).
//   - an RU reads IW or some UL (value 0); coherence leaves exactly herd's
//     choices (its thread's last earlier UL, another thread's UL, or IW).
//   - the outcome of trylock / is_locked follows from the write read, so
//     each surviving herd branch is exactly one rf choice.
// The model therefore needs no lock-specific rf/co generation; the counts
// equal herd's Positive+Negative provided the explorer counts only
// executions where no thread waits on a spin_lock forever. Such executions
// (deadlock, a lock never released) have no herd candidate at all: lock.cat
// kills them with lock-nest / unmatched-locks or by having no rf for them.
// A spin_lock read that waits (reads 1; a lone read with rmw "none") is
// classified as LF, an unordered read, so partial graphs stay judged
// consistently.
//
// Lock events are Marked, not in herd's RMW set (so smp_mb__before_atomic()
// and smp_mb__after_atomic() do not apply to them) and ignore access modes:
// LKR acquires, UL releases, LKW/LF/RL/RU give no ordering. trylock's and
// is_locked's results are constants in herd, so no dependency starts there
// (bell.ts, DependencySource).

import { Relation, type EventSet } from "../../graph/relation.ts";
import { AcquireAccesses, ReleaseAccesses, SrcuLock, SrcuUnlock, SyncSrcu } from "./bell.ts";
import { derivedSet, eventSet, hasTag, relation, valueEventSet, type LkmmGraph } from "./lkmmGraph.ts";

/** §23 Lock-Read: the read of spin_lock() or of a successful spin_trylock(). */
export const LKR = eventSet("LKR", (e) => e.kind === "R" && e.rmw === "read" && hasTag(e, "lock"));
/** §23 Lock-Write: the write of that RMW. */
export const LKW = eventSet("LKW", (e) => e.kind === "W" && e.rmw === "write" && hasTag(e, "lock"));
/** §23 Unlock: spin_unlock()'s write. */
export const UL = eventSet("UL", (e) => e.kind === "W" && hasTag(e, "unlock"));
/** §23 Read-Locked: spin_is_locked() returning true. */
export const RL = valueEventSet("RL", (e) => e.kind === "R" && hasTag(e, "islocked") && e.value !== 0);
/** §23 Read-Unlocked: spin_is_locked() returning false. */
export const RU = valueEventSet("RU", (e) => e.kind === "R" && hasTag(e, "islocked") && e.value === 0);
/** §23 Lock-Fail: a failed spin_trylock() (or a spin_lock still waiting); lock.cat treats RL as one too. */
export const LF = derivedSet("LF", (x) =>
  eventSet("LF-reads", (e) => e.kind === "R" && e.rmw === "none" && hasTag(e, "lock"))(x).union(RL(x)),
);

/** §23: lock.cat's Acquire and Release: the bell's, plus LKR (spin_lock acquires) and UL (spin_unlock releases). */
export const Acquire = derivedSet("Acquire", (x) => AcquireAccesses(x).union(LKR(x)));
export const Release = derivedSet("Release", (x) => ReleaseAccesses(x).union(UL(x)));

/** Every lock and SRCU event, for the mixed-lock-accesses flag. */
const ALL_LOCKS = derivedSet("ALL-LOCKS", (x) =>
  LKR(x).union(LKW(x)).union(UL(x)).union(LF(x)).union(RU(x)).union(SrcuLock(x)).union(SrcuUnlock(x)).union(SyncSrcu(x)),
);

/** §23 lk-rmw: an LKR with its LKW; already part of the graph's rmw (both are halves of one RMW). */
export const lkRmw = relation("lk-rmw", (x) => x.rmw.restrict(LKR(x), LKW(x)));

/** §23 critical: an LKW to the UL that ends its critical section (nothing of the lock in between). */
export const critical = relation("critical", (x) => {
  const between = x.seq(x.poLoc, Relation.identity(LKW(x).union(UL(x))), x.poLoc);
  return x.poLoc.restrict(LKW(x), UL(x)).diff(between);
});

const unlockedBetween = relation("po-loc;[UL];po-loc", (x) => x.seq(x.poLoc, Relation.identity(UL(x)), x.poLoc));

// --- Axioms ------------------------------------------------------------------

// Each axiom is about LKW events and holds trivially without one.

/** §23 lock-nest: a spin_lock() inside a critical section of the same lock deadlocks. */
export function lockNest(x: LkmmGraph): boolean {
  return LKW(x).isEmpty() || x.poLoc.restrict(LKW(x), LKR(x)).diff(unlockedBetween(x)).isEmpty();
}

/** §23 nested-is-locked: spin_is_locked() inside a critical section of that lock returns true. */
export function nestedIsLocked(x: LkmmGraph): boolean {
  return LKW(x).isEmpty() || x.poLoc.restrict(LKW(x), RU(x)).diff(unlockedBetween(x)).isEmpty();
}

/**
 * §23 unmatched-locks: at most one critical section per lock is left open;
 * more must deadlock. Of a complete execution: in a partial graph a thread
 * may still unlock the lock it holds (unmatchedLocksSoFar).
 */
export function unmatchedLocks(x: LkmmGraph): boolean {
  if (LKW(x).isEmpty()) return true;
  return atMostOnePerLock(x, LKW(x).diff(critical(x).domainSet()));
}

/**
 * unmatched-locks as far as a graph whose threads may go on decides it:
 * of the LKWs left open, those another LKW of their lock follows in their
 * thread stay open whatever comes. (Two threads may hold one lock at once
 * for a while when a third unlocks it without holding it.)
 */
export function unmatchedLocksSoFar(x: LkmmGraph): boolean {
  if (LKW(x).isEmpty()) return true;
  const relocked = x.poLoc.restrict(LKW(x), LKW(x)).domainSet();
  return atMostOnePerLock(x, LKW(x).diff(critical(x).domainSet()).inter(relocked));
}

function atMostOnePerLock(x: LkmmGraph, unmatched: EventSet): boolean {
  return x.loc.restrict(unmatched, unmatched).diff(x.id).isEmpty();
}

// --- Flags -------------------------------------------------------------------

/** §23: ordinary accesses to a lock, and an unlock of a lock not held. */
export function lockFlags(x: LkmmGraph): string[] {
  const flags: string[] = [];
  const locks = ALL_LOCKS(x);
  if (locks.isEmpty()) return flags;
  const ordinary = x.M.diff(x.IW).diff(locks);
  if (!x.loc.restrict(ordinary, locks).isEmpty()) flags.push("mixed-lock-accesses");
  if (!UL(x).diff(critical(x).rangeSet()).isEmpty()) flags.push("unmatched-unlock");
  return flags;
}

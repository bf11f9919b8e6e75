// linux-kernel.bell: what each event is (its annotation sets), Marked and
// Plain accesses, the matching of RCU and SRCU read-side critical sections,
// and dependencies extended through plain accesses (carry-dep).
//
// How pagerace events carry herd's annotations (see src/program/operation.ts):
// the access mode gives ONCE / ACQUIRE / RELEASE / MB ("relaxed" on an RMW is
// ONCE), `op.kind === "rmw"` puts both halves of an RMW (and the lone read
// of a failed one) in herd's RMW instruction set, the `noreturn` tag is
// NORETURN, fences carry their kind, and the `srcu-lock` / `srcu-unlock`
// tags mark srcu_read_lock's read and srcu_read_unlock's write. Spinlock
// events (tags `lock`, `unlock`, `islocked`) are herd lock events, not
// annotated accesses: their ordering comes from lock.cat alone (locks.ts),
// whatever mode the front end gave them.

import { Relation } from "../../graph/relation.ts";
import type { FenceKind } from "../../program/operation.ts";
import { derivedSet, eventSet, hasTag, identityOn, relation, type LkmmGraph } from "./lkmmGraph.ts";
import type { ProgramEvent } from "./programShape.ts";

/** spin_lock / spin_trylock / spin_unlock / spin_is_locked events: herd's LKR, LKW, LF, UL, RL, RU. */
export function isLockEvent(e: ProgramEvent): boolean {
  return hasTag(e, "lock") || hasTag(e, "unlock") || hasTag(e, "islocked");
}

/** An access carrying one of herd's access annotations (not a lock or SRCU event, whose annotations are their own). */
function annotated(e: ProgramEvent): boolean {
  return e.kind !== "F" && !isLockEvent(e) && !hasTag(e, "srcu-lock") && !hasTag(e, "srcu-unlock");
}

/** LKR | LKW | UL | LF | RL | RU: every spinlock event. */
export const LockEvents = eventSet("lock-events", isLockEvent);

/** The fences of one kind. */
export function fenceSet(kind: FenceKind) {
  return eventSet(`F[${kind}]`, (e) => e.kind === "F" && e.fence === kind);
}

// --- Annotation sets ----------------------------------------------------------------

/** §6, §25: READ_ONCE/WRITE_ONCE, and _relaxed RMWs. */
export const ONCE = eventSet("ONCE", (e) => annotated(e) && (e.mode === "once" || e.mode === "relaxed"));
/** §6: smp_load_acquire() and _acquire RMWs. */
export const ACQUIRE = eventSet("ACQUIRE", (e) => annotated(e) && e.mode === "acquire");
/** §6: smp_store_release() and _release RMWs. */
export const RELEASE = eventSet("RELEASE", (e) => annotated(e) && e.mode === "release");
/** §14, §17: 'MB is both the smp_mb() fence and the annotation of fully ordered RMWs. */
export const MB = eventSet("MB", (e) => (e.kind === "F" ? e.fence === "mb" : annotated(e) && e.mode === "mb"));
/** §14: the read of an RMW that returns no value (atomic_inc()): smp_rmb() does not order it. */
export const NORETURN = eventSet("NORETURN", (e) => annotated(e) && hasTag(e, "noreturn"));
/** §17: herd's RMW instruction set: both halves of an atomic RMW, and the lone read of a failed one. */
export const RMW = eventSet("RMW", (e) => e.kind !== "F" && e.op?.kind === "rmw" && !isLockEvent(e));

/** §14: smp_rmb(), smp_wmb(), barrier(), and the smp_mb__*() fences. */
export const Rmb = fenceSet("rmb");
export const Wmb = fenceSet("wmb");
export const Barrier = fenceSet("barrier");
export const BeforeAtomic = fenceSet("before-atomic");
export const AfterAtomic = fenceSet("after-atomic");
export const AfterSpinlock = fenceSet("after-spinlock");
export const AfterUnlockLock = fenceSet("after-unlock-lock");
export const AfterSrcuReadUnlock = fenceSet("after-srcu-read-unlock");
/** §22: rcu_read_lock(), rcu_read_unlock(), synchronize_rcu(). */
export const RcuLock = fenceSet("rcu-lock");
export const RcuUnlock = fenceSet("rcu-unlock");
export const SyncRcu = fenceSet("sync-rcu");

/** §17: a failed RMW (cmpxchg whose comparison fails) gives none of its annotation's ordering. */
export const FailedRMW = eventSet("FailedRMW", (e) => e.kind === "R" && e.rmw === "none" && e.op?.kind === "rmw" && !isLockEvent(e));
/** §20: the bell's Acquire (acquire on a store means nothing); lock.cat adds LKR (locks.ts). */
export const AcquireAccesses = derivedSet("Acquire-accesses", (x) => ACQUIRE(x).diff(x.W).diff(FailedRMW(x)));
/** §14: the bell's Release (release on a load means nothing); lock.cat adds UL (locks.ts). */
export const ReleaseAccesses = derivedSet("Release-accesses", (x) => RELEASE(x).diff(x.R).diff(FailedRMW(x)));
/** §14: full fences and successful fully ordered RMWs. */
export const Mb = derivedSet("Mb", (x) => MB(x).diff(FailedRMW(x)));
/** §14: only the read of a value-less RMW is Noreturn. */
export const Noreturn = derivedSet("Noreturn", (x) => NORETURN(x).diff(x.W));

// --- SRCU --------------------------------------------------------------------------------

/** §22: srcu_read_lock() / srcu_down_read() is a load from the srcu_struct returning the index. */
export const SrcuLock = eventSet("Srcu-lock", (e) => e.kind === "R" && hasTag(e, "srcu-lock"));
/** §22: srcu_read_unlock() / srcu_up_read() is a store of the index to the srcu_struct. */
export const SrcuUnlock = eventSet("Srcu-unlock", (e) => e.kind === "W" && hasTag(e, "srcu-unlock"));
/** §22: synchronize_srcu(), located at its srcu_struct. */
export const SyncSrcu = fenceSet("sync-srcu");

// --- Marked and plain accesses -------------------------------------------------------

/** §24: everything but plain accesses: non-memory events, initial writes, annotated, atomic, lock and SRCU accesses. */
export const Marked = derivedSet("Marked", (x) =>
  [x.IW, ONCE(x), RELEASE(x), ACQUIRE(x), MB(x), RMW(x), LockEvents(x), SrcuLock(x), SrcuUnlock(x)].reduce(
    (all, set) => all.union(set),
    x.M.complement(),
  ),
);
/** §24: accesses with no annotation, which the compiler may tear, fuse or move. */
export const Plain = derivedSet("Plain", (x) => x.M.diff(Marked(x)));

// --- Dependencies as written ------------------------------------------------------------

/**
 * §9: reads whose value is loaded from memory. herd's lock events return
 * constants (spin_trylock's and spin_is_locked's results do not depend on
 * an event), so no dependency starts at one.
 */
const DependencySource = derivedSet("dependency-source", (x) => x.R.diff(LockEvents(x)));
const addrSyntactic = relation("addr-from-loads", (x) => x.addrSyntactic.domain(DependencySource(x)));
const dataSyntactic = relation("data-from-loads", (x) => x.dataSyntactic.domain(DependencySource(x)));
const ctrlSyntactic = relation("ctrl-from-loads", (x) => x.ctrlSyntactic.domain(DependencySource(x)));
const notSrcuUnlock = identityOn("~Srcu-unlock", (x) => SrcuUnlock(x).complement());

// --- RCU and SRCU read-side critical sections ------------------------------------------

/**
 * §22 rcu-rscs: each rcu_read_lock() to the rcu_read_unlock() that closes
 * it, nesting like parentheses within a thread. The bell states it as a
 * fixpoint (repeatedly match an unmatched lock with an unmatched unlock
 * that has no unmatched event between them); a stack per thread computes
 * the same pairs in one pass.
 */
export const rcuRscs = relation("rcu-rscs", (x) => {
  const r = new Relation(x.n);
  if (RcuLock(x).isEmpty()) return r;
  for (const thread of x.threads) {
    const open: number[] = [];
    for (const e of thread) {
      if (e.kind !== "F") continue;
      if (e.fence === "rcu-lock") open.push(x.indexOf(e.id));
      else if (e.fence === "rcu-unlock" && open.length > 0) r.add(open.pop()!, x.indexOf(e.id));
    }
  }
  return r;
});

/** §22 srcu-rscs: an srcu_read_lock() to the srcu_read_unlock() of the same srcu_struct its index flows into (data, possibly through memory). */
export const srcuRscs = relation("srcu-rscs", (x) => {
  if (SrcuLock(x).isEmpty() || SrcuUnlock(x).isEmpty()) return Relation.empty(x.n);
  const carrySrcuData = x.star(x.seq(dataSyntactic(x), notSrcuUnlock(x), x.rf));
  return x.seq(Relation.identity(SrcuLock(x)), carrySrcuData, dataSyntactic(x), Relation.identity(SrcuUnlock(x))).inter(x.loc);
});

// --- Dependencies carried through plain accesses --------------------------------------

/** data ; [~Srcu-unlock]: where a carry-dep step starts, which the program alone decides. */
const dataIntoStores = relation("data;[~Srcu-unlock]", (x) => x.seq(dataSyntactic(x), notSrcuUnlock(x)));
/** §24: a value stored by a plain write and read back in the same thread still carries its dependency. */
export const carryDep = relation("carry-dep", (x) => {
  // No data dependency into a store: nothing is carried, whatever rfi is.
  if (dataIntoStores(x).isEmpty()) return x.id;
  const step = x.seq(dataIntoStores(x), x.rfi);
  return step.isEmpty() ? x.id : x.star(step);
});
/** §9, §24: addr, data and ctrl as the cat sees them: carry-dep, then the dependency. */
export const addr = relation("addr", (x) => carried(x, addrSyntactic(x)));
export const data = relation("data", (x) => carried(x, dataSyntactic(x)));
export const ctrl = relation("ctrl", (x) => carried(x, ctrlSyntactic(x)));

/** carry-dep ; dep, skipping the composition when nothing is carried (carry-dep is the identity). */
function carried(x: LkmmGraph, dep: Relation): Relation {
  const carry = carryDep(x);
  return carry === x.id ? dep : x.seq(carry, dep);
}

// --- The bell's flags ---------------------------------------------------------------------

/** §22: critical sections that do not match up, and synchronize_srcu() inside an RCU critical section. */
export function bellFlags(x: LkmmGraph): string[] {
  const flags: string[] = [];
  const rcu = rcuRscs(x);
  if (!RcuLock(x).diff(rcu.domainSet()).isEmpty()) flags.push("unmatched-rcu-lock");
  if (!RcuUnlock(x).diff(rcu.rangeSet()).isEmpty()) flags.push("unmatched-rcu-unlock");
  const srcu = srcuRscs(x);
  if (!SrcuLock(x).diff(srcu.domainSet()).isEmpty()) flags.push("unmatched-srcu-lock");
  if (!SrcuUnlock(x).diff(srcu.rangeSet()).isEmpty()) flags.push("unmatched-srcu-unlock");
  if (!x.seq(srcu.inverse(), srcu).diff(x.id).isEmpty()) flags.push("multiple-srcu-matches");
  const syncSrcuInside = x.seq(x.po, Relation.identity(SyncSrcu(x)), x.po);
  if (!rcu.inter(syncSrcuInside).isEmpty()) flags.push("invalid-sleep");
  for (const [lock, unlock] of srcu.pairs()) {
    if (x.events[lock]!.value !== x.events[unlock]!.value) {
      flags.push("srcu-bad-value-match");
      break;
    }
  }
  return flags;
}

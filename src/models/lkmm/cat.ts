// linux-kernel.cat, first part: fences, preserved program order,
// propagation, happens-before and propagates-before, with the coherence,
// atomic, happens-before and propagation axioms. The RCU part is in rcu.ts,
// the plain-access part in plainAccesses.ts. Definitions keep the .cat's
// names and order; each cites the section of explanation.txt (§n) that
// explains it.

import { Relation, type EventSet } from "../../graph/relation.ts";
import {
  addr,
  AfterAtomic,
  AfterSpinlock,
  AfterSrcuReadUnlock,
  AfterUnlockLock,
  Barrier,
  BeforeAtomic,
  ctrl,
  data,
  Marked,
  Mb,
  Noreturn,
  Plain,
  RcuLock,
  RcuUnlock,
  Rmb,
  RMW,
  SrcuLock,
  SrcuUnlock,
  SyncRcu,
  SyncSrcu,
  Wmb,
} from "./bell.ts";
import { Acquire, LKR, LKW, Release, UL } from "./locks.ts";
import { derivedSet, identityOn, relation, type LkmmGraph } from "./lkmmGraph.ts";

const id = (s: EventSet) => Relation.identity(s);
/** [Marked], used by most of what follows. */
export const marked = identityOn("Marked", Marked);
const memory = identityOn("M", (x) => x.M);

// --- Release and acquire -------------------------------------------------------

/** §20: an acquire orders everything after it. */
export const acqPo = relation("acq-po", (x) => x.po.restrict(Acquire(x), x.M));
/** §14: a release orders everything before it. */
export const poRel = relation("po-rel", (x) => x.po.restrict(x.M, Release(x)));
/** po ; [UL] and [LKR] ; po, the ends of po-unlock-lock-po, which the program alone decides. */
const poUnlock = relation("po;[UL]", (x) => x.seq(x.po, id(UL(x))));
const lockPo = relation("[LKR];po", (x) => x.seq(id(LKR(x)), x.po));
/** §23: an unlock followed, in the same thread or by the next lock holder, by a lock. */
export const poUnlockLockPo = relation("po-unlock-lock-po", (x) =>
  UL(x).isEmpty() ? Relation.empty(x.n) : x.seq(poUnlock(x), x.po.union(x.rf), lockPo(x)),
);

// --- Fences ---------------------------------------------------------------------

/** §14: the reads smp_rmb() orders (not the read of a value-less RMW). */
export const R4rmb = derivedSet("R4rmb", (x) => x.R.diff(Noreturn(x)));
/** §14: smp_rmb() orders reads before it with reads after it. */
export const rmb = relation("rmb", (x) => x.fencerel(Rmb(x)).restrict(R4rmb(x), R4rmb(x)));
/** §14: smp_wmb() orders writes before it with writes after it. */
export const wmb = relation("wmb", (x) => x.fencerel(Wmb(x)).restrict(x.W, x.W));

/** §14: full fences: smp_mb(), fully ordered RMWs, and the smp_mb__*() fences next to what they strengthen. */
export const mb = relation("mb", (x) => {
  const M = memory(x);
  const rmwEvents = id(RMW(x));
  const mbEvents = Mb(x);
  // A term whose fence is absent from the graph is empty; skip building it.
  const terms = [
    x.seq(M, x.fencerel(mbEvents), M),
    x.po.restrict(x.M, mbEvents.inter(x.R)),
    x.po.restrict(mbEvents.inter(x.W), x.M),
  ];
  if (!BeforeAtomic(x).isEmpty()) terms.push(x.seq(M, x.fencerel(BeforeAtomic(x)), rmwEvents, x.poOpt, M));
  if (!AfterAtomic(x).isEmpty()) terms.push(x.seq(M, x.poOpt, rmwEvents, x.fencerel(AfterAtomic(x)), M));
  if (!AfterSpinlock(x).isEmpty()) terms.push(x.seq(M, x.poOpt, id(LKW(x)), x.fencerel(AfterSpinlock(x)), M));
  if (!AfterUnlockLock(x).isEmpty()) terms.push(x.seq(M, poUnlockLockPo(x), id(AfterUnlockLock(x)), x.po, M));
  if (!AfterSrcuReadUnlock(x).isEmpty())
    terms.push(x.seq(M, x.poOpt, id(SrcuUnlock(x)), x.fencerel(AfterSrcuReadUnlock(x)), M));
  return terms[0]!.union(...terms.slice(1));
});

/** §22: a grace period (synchronize_rcu(), synchronize_srcu()) acts as a strong fence. */
export const gp = relation("gp", (x) => {
  const syncs = SyncRcu(x).union(SyncSrcu(x));
  return syncs.isEmpty() ? Relation.empty(x.n) : x.seq(x.po, id(syncs), x.poOpt);
});
/** §14: strong fences order everything and are cumulative both ways. */
export const strongFence = relation("strong-fence", (x) => mb(x).union(gp(x)));
/** §24: the fences that order reads and writes alike. */
export const nonrwFence = relation("nonrw-fence", (x) => strongFence(x).union(poRel(x), acqPo(x)));
/** §18: every fence, as a part of ppo. */
export const fence = relation("fence", (x) => nonrwFence(x).union(wmb(x), rmb(x)));

/** §24: compiler barriers, which plain accesses may not be moved across. */
export const barrier = relation("barrier", (x) => {
  const fences = [Rmb, Wmb, Mb, SyncRcu, SyncSrcu, BeforeAtomic, AfterAtomic, Acquire, Release, RcuLock, RcuUnlock, SrcuLock, SrcuUnlock]
    .map((set) => set(x))
    .reduce((all, set) => all.union(set), Barrier(x));
  return x.fencerel(fences).union(x.po.range(Release(x)), x.po.domain(Acquire(x)));
});

// --- Fundamental coherence ordering -----------------------------------------------

/** §10-§12: the communication relations. */
export const com = relation("com", (x) => x.rf.union(x.co, x.fr));

/** §16 SEQUENTIAL CONSISTENCY PER VARIABLE: acyclic po-loc | com. */
export function coherence(x: LkmmGraph): boolean {
  return x.poLoc.union(com(x)).isAcyclic();
}

/** §17 ATOMIC UPDATES: no write of another thread comes between an RMW's read and its write. */
export function atomic(x: LkmmGraph): boolean {
  return x.rmw.inter(x.seq(x.fre, x.coe)).isEmpty();
}

// --- Preserved program order ---------------------------------------------------------

/** §9: address and data dependencies. */
export const dep = relation("dep", (x) => addr(x).union(data(x)));
/** §18: a write cannot execute before the reads it depends on. */
export const rwdep = relation("rwdep", (x) => dep(x).union(ctrl(x)).range(x.W));
/** §18: coherence-later writes, and reads of older values. */
export const overwrite = relation("overwrite", (x) => x.co.union(x.fr));
/** addr ; [Plain] ; wmb, the part of to-w that holds without rf or co (when no dependency is carried through memory). */
const addrPlainWmb = relation("addr;[Plain];wmb", (x) => x.seq(addr(x), id(Plain(x)), wmb(x)));
/** §18: what must execute before a write. */
export const toW = relation("to-w", (x) => rwdep(x).union(overwrite(x).inter(x.int), addrPlainWmb(x)));
/** dep ; [Marked], the start of store forwarding in to-r. */
const depMarked = relation("dep;[Marked]", (x) => x.seq(dep(x), marked(x)));
/** §18: what must execute before a read (including forwarding from a dependent store). */
export const toR = relation("to-r", (x) => {
  const addrR = addr(x).range(x.R);
  // Without a dependency there is nothing to forward, whatever rfi is.
  return depMarked(x).isEmpty() ? addrR : addrR.union(x.seq(depMarked(x), x.rfi));
});
/** fence & int: the fences of ppo (their relations stay within threads save po-unlock-lock-po's). */
const fenceInt = relation("fence&int", (x) => fence(x).inter(x.int));
/** §18: preserved program order. */
export const ppo = relation("ppo", (x) => toR(x).union(toW(x), fenceInt(x), poUnlockLockPo(x).inter(x.int)));

// --- Propagation -------------------------------------------------------------------------

/** §14: a write, then RMWs each reading the previous one's write. */
export const rmwSequence = relation("rmw-sequence", (x) => x.star(x.seq(x.rf, x.rmw)));

/** strong-fence | po-rel: the A-cumulative fences. */
const aCumulFence = relation("strong-fence|po-rel", (x) => strongFence(x).union(poRel(x)));
/** §14 cumul-fence: fences that order the propagation of writes (A-cumulative for strong fences and releases). */
export const cumulFence = relation("cumul-fence", (x) => {
  const aCumulated = x.seq(x.rfe.range(Marked(x)).opt(), aCumulFence(x));
  return x.seq(marked(x), aCumulated.union(wmb(x), poUnlockLockPo(x)), marked(x), rmwSequence(x));
});

/** §20: prop: a write propagates to a CPU before an event (an overwrite first, or a read of it, last). */
export const prop = relation("prop", (x) =>
  x.seq(marked(x), overwrite(x).inter(x.ext).opt(), x.star(cumulFence(x)), marked(x), x.rfe.opt(), marked(x)),
);

// --- Happens-before ------------------------------------------------------------------------

/** §20 THE HAPPENS-BEFORE RELATION: ppo, rfe, and propagation back to the same CPU. */
export const hb = relation("hb", (x) => {
  const local = prop(x).diff(x.id).inter(x.int);
  return x.seq(marked(x), ppo(x).union(x.rfe, local), marked(x));
});

/** §20: acyclic hb as happens-before. */
export function happensBefore(x: LkmmGraph): boolean {
  return hb(x).isAcyclic();
}

/** hb*, needed only once hb is known to be acyclic. */
export const hbStar = relation("hb*", (x) => x.star(hb(x)));

// --- Propagates-before ----------------------------------------------------------------------

/** §21: a strong fence makes every write that propagated before it reach everyone before what follows. */
export const pb = relation("pb", (x) => x.seq(prop(x), strongFence(x), hbStar(x), marked(x)));

/** §21: acyclic pb as propagation. */
export function propagation(x: LkmmGraph): boolean {
  return pb(x).isAcyclic();
}

export const pbStar = relation("pb*", (x) => x.star(pb(x)));

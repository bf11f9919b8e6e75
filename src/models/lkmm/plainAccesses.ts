// linux-kernel.cat, plain-access part (explanation.txt §24 PLAIN ACCESSES
// AND DATA RACES): when two accesses of different threads, one of them
// plain, touch the same location without being ordered, the compiler may
// have torn, fused or reordered the plain one. plain-coherence is an axiom
// (coherence must still hold for the plain accesses that are ordered);
// data-race is a flag on an otherwise consistent execution.

import { Relation } from "../../graph/relation.ts";
import { addr, Marked, Noreturn, Plain, Rmb } from "./bell.ts";
import { barrier, cumulFence, hb, marked, nonrwFence, pb, R4rmb, rmwSequence } from "./cat.ts";
import { fenceWithRcu as fence, hasGracePeriod, rb, strongFenceWithRcu as strongFence } from "./rcu.ts";
import { derivedSet, relation, type LkmmGraph } from "./lkmmGraph.ts";

/** §24 mixed-accesses (a flag): a plain write and a marked access to one location in one thread, no compiler barrier between. */
export function mixedAccesses(x: LkmmGraph): boolean {
  const plainW = Plain(x).inter(x.W);
  const unbarriered = x.poLoc.diff(barrier(x));
  return !unbarriered.restrict(plainW, Marked(x)).isEmpty() || !unbarriered.restrict(Marked(x), plainW).isEmpty();
}

// --- Executes-before and visibility ------------------------------------------

/** §24: xb* = (hb | pb | rb)*, the executes-before order, reflexively closed. */
export const xbstar = relation("xbstar", (x) => x.star(hasGracePeriod(x) ? hb(x).union(pb(x), rb(x)) : hb(x).union(pb(x))));

/** §24 vis: a write is visible to an event (it propagated there before the event executed). */
export const vis = relation("vis", (x) => {
  const after = x.seq(strongFence(x), marked(x), xbstar(x)).union(xbstar(x).inter(x.int));
  return x.seq(x.star(cumulFence(x)), x.rfe.opt(), marked(x), after);
});

// --- Boundaries of a plain access's lifetime -----------------------------------

const notNoreturn = derivedSet("~Noreturn", (x) => Noreturn(x).complement());

/** §24: a plain write cannot be moved before this marked access (or the fence or address dependency after it). */
export const wPreBounded = relation("w-pre-bounded", (x) => x.seq(marked(x), addr(x).union(fence(x)).opt()));
/** §24: the same bound for a plain read. */
export const rPreBounded = relation("r-pre-bounded", (x) => {
  const rmbAfter = x.fencerel(Rmb(x)).restrict(R4rmb(x), notNoreturn(x));
  return x.seq(marked(x), addr(x).union(nonrwFence(x), rmbAfter).opt());
});
/** §24: a plain write cannot be moved after this marked access (reached through a fence, then an RMW chain). */
export const wPostBounded = relation("w-post-bounded", (x) => x.seq(fence(x).opt(), marked(x), rmwSequence(x)));
/** §24: the same bound for a plain read. */
export const rPostBounded = relation("r-post-bounded", (x) => {
  const rmbBefore = x.fencerel(Rmb(x)).restrict(notNoreturn(x), R4rmb(x));
  return x.seq(nonrwFence(x).union(rmbBefore).opt(), marked(x));
});

// --- Visibility and executes-before for plain accesses -------------------------

/** §24: a write is visible to a later write (so they cannot race). */
export const wwVis = relation("ww-vis", (x) =>
  fence(x).union(
    x.seq(strongFence(x), xbstar(x), wPreBounded(x)),
    x.seq(wPostBounded(x), vis(x), wPreBounded(x)),
  ),
);
/** §24: a write is visible to a later read. */
export const wrVis = relation("wr-vis", (x) =>
  fence(x).union(
    x.seq(strongFence(x), xbstar(x), rPreBounded(x)),
    x.seq(wPostBounded(x), vis(x), rPreBounded(x)),
  ),
);
/** §24: a read executes before a later write. */
export const rwXbstar = relation("rw-xbstar", (x) => fence(x).union(x.seq(rPostBounded(x), xbstar(x), wPreBounded(x))));

/** §24 pre-race: different threads, at least one access plain (an initial write races with nothing). Each use adds the location. */
export const preRace = relation("pre-race", (x) => {
  const plain = Plain(x);
  return Relation.cross(plain, x.M).union(Relation.cross(x.M.diff(x.IW), plain)).inter(x.ext);
});

/** §24 plain-coherence: plain accesses ordered by xb/visibility still obey coherence. */
export function plainCoherence(x: LkmmGraph): boolean {
  if (Plain(x).isEmpty()) return true;
  const race = preRace(x);
  const wrIncoh = race.inter(x.rf).inter(rwXbstar(x).inverse());
  const rwIncoh = race.inter(x.fr).inter(wrVis(x).inverse());
  const wwIncoh = race.inter(x.co).inter(wwVis(x).inverse());
  return wrIncoh.isEmpty() && rwIncoh.isEmpty() && wwIncoh.isEmpty();
}

/** §24 data-race (a flag): some racing pair is not ordered by visibility or executes-before. */
export function dataRace(x: LkmmGraph): boolean {
  if (Plain(x).isEmpty()) return false;
  const race = preRace(x);
  const marked = Marked(x);
  const wwNonrace = wwVis(x)
    .inter(Relation.cross(marked, x.W).union(rwXbstar(x)))
    .inter(Relation.cross(x.W, marked).union(wrVis(x)));
  const wwRace = race.inter(x.co).diff(wwNonrace);
  const wrRace = race.inter(x.seq(x.co.opt(), x.rf)).diff(wrVis(x)).diff(rwXbstar(x).inverse());
  const rwRace = race.inter(x.fr).diff(rwXbstar(x));
  return !wwRace.isEmpty() || !wrRace.isEmpty() || !rwRace.isEmpty();
}

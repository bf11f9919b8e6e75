// linux-kernel.cat, RCU part (explanation.txt §22 RCU RELATIONS: rcu-link,
// rcu-gp, rcu-rscsi, rcu-order, rcu-fence, and rb): the grace-period
// guarantee. A cycle holding at least as many grace periods as read-side
// critical sections orders like a strong fence; for SRCU the grace period
// and the critical section must use the same srcu_struct (`& loc`).

import { Relation } from "../../graph/relation.ts";
import { rcuRscs, srcuRscs, SyncRcu, SyncSrcu } from "./bell.ts";
import { fence, hbStar, marked, pbStar, prop, strongFence } from "./cat.ts";
import { relation, type LkmmGraph } from "./lkmmGraph.ts";

/** Whether the graph has any grace period; without one rcu-order, rcu-fence and rb are empty. */
export function hasGracePeriod(x: LkmmGraph): boolean {
  return !SyncRcu(x).isEmpty() || !SyncSrcu(x).isEmpty();
}

/** §22: grace periods, as identities to compose with. */
const rcuGp = relation("rcu-gp", (x) => Relation.identity(SyncRcu(x)));
const srcuGp = relation("srcu-gp", (x) => Relation.identity(SyncSrcu(x)));
/** §22: critical sections, from their end back to their start. */
const rcuRscsi = relation("rcu-rscsi", (x) => rcuRscs(x).inverse());
const srcuRscsi = relation("srcu-rscsi", (x) => srcuRscs(x).inverse());

/** rcu-link: what links the end of one grace period or critical section to the start of the next (§22). */
export const rcuLink = relation("rcu-link", (x) => x.seq(x.po.opt(), hbStar(x), pbStar(x), prop(x), x.po));

/**
 * §22 rcu-order: the least fixpoint of the .cat's recursive definition, by
 * iteration from the grace periods. Each round links grace periods and
 * critical sections around what is already ordered; it stops when a round
 * adds nothing.
 */
export const rcuOrder = relation("rcu-order", (x) => {
  const link = rcuLink(x);
  const gpRscs = (gp: Relation, rscsi: Relation, inner: Relation | undefined) =>
    inner === undefined ? x.seq(gp, link, rscsi) : x.seq(gp, link, inner, link, rscsi);
  const step = (order: Relation | undefined): Relation => {
    const rcu = gpRscs(rcuGp(x), rcuRscsi(x), order).union(gpRscs(rcuRscsi(x), rcuGp(x), order));
    const srcu = gpRscs(srcuGp(x), srcuRscsi(x), order).union(gpRscs(srcuRscsi(x), srcuGp(x), order)).inter(x.loc);
    return order === undefined ? rcu.union(srcu) : rcu.union(srcu, x.seq(order, link, order));
  };
  let order = rcuGp(x).union(srcuGp(x), step(undefined));
  for (;;) {
    const next = order.union(step(order));
    if (sameRelation(next, order)) return order;
    order = next;
  }
});

function sameRelation(a: Relation, b: Relation): boolean {
  for (let k = 0; k < a.rows.length; k++) if (a.rows[k] !== b.rows[k]) return false;
  return true;
}

/** §22: rcu-order widened to what precedes and follows it in program order: a strong fence. */
export const rcuFence = relation("rcu-fence", (x) => x.seq(x.po, rcuOrder(x), x.po.opt()));

/** §22 rb: like pb, with an RCU fence in place of the strong fence. */
export const rb = relation("rb", (x) => x.seq(prop(x), rcuFence(x), hbStar(x), pbStar(x), marked(x)));

/** §22: rb is irreflexive (the RCU guarantee). */
export function rcu(x: LkmmGraph): boolean {
  return !hasGracePeriod(x) || rb(x).isIrreflexive();
}

/** §22: after the RCU section the .cat widens fence and strong-fence with rcu-fence; the plain-access rules see these. */
export const fenceWithRcu = relation("fence|rcu-fence", (x) => (hasGracePeriod(x) ? fence(x).union(rcuFence(x)) : fence(x)));
export const strongFenceWithRcu = relation("strong-fence|rcu-fence", (x) =>
  hasGracePeriod(x) ? strongFence(x).union(rcuFence(x)) : strongFence(x),
);

// Graphs whose po ∪ rf ∪ co ∪ fr is acyclic (the order of a sequentially
// consistent execution) and that hold no grace period satisfy every LKMM
// axiom about order: only the lock axioms and atomicity are left to check.
//
// Why. Every relation that coherence, happens-before, propagation and
// plain-coherence test is made of paths of po, rf, co and fr edges:
// po-loc and com are such edges; the fences (fencerel and the mb terms,
// acq-po, po-rel, gp) relate an event to a po-later one; addr, data and
// ctrl go from a read to a po-later event, carry-dep adds rfi steps;
// overwrite is co ∪ fr; rmw-sequence follows rf and rmw (rmw ⊆ po);
// cumul-fence, prop, ppo, hb and pb compose these (hb takes prop minus the
// identity, so at least one edge; pb and cumul-fence hold a strict fence).
// A cycle in hb, pb or po-loc ∪ com would then be a cycle of po ∪ rf ∪ co
// ∪ fr. plain-coherence asks for a pair related by rf, fr or co whose
// reverse is in rw-xbstar, wr-vis or ww-vis; without grace periods those
// are made of the same paths (reflexively), and the pair's two events
// differ, so the reverse is a path of at least one edge: a cycle again.
// Only rb (the RCU axiom, and the rcu-fence the plain-access rules see
// once a grace period exists) relates a critical section's end back to its
// start, against po: graphs with synchronize_rcu() or synchronize_srcu()
// are judged by the whole model.
//
// The acyclicity test adds only immediate edges (a thread's next event,
// a write's coherence successor, a read's from-read edge to the successor
// of the write it read), whose transitive closure is po ∪ rf ∪ co ∪ fr's.

import type { ExecutionGraph } from "../../graph/executionGraph.ts";
import { DenseEvents } from "../denseEvents.ts";
import { Digraph } from "../digraph.ts";

const dense = new DenseEvents();
const digraph = new Digraph();

/** Whether g has a synchronize_rcu() or synchronize_srcu(): then rb relates events against po. */
export function hasGracePeriodEvent(g: ExecutionGraph): boolean {
  for (const thread of g.threads) for (const e of thread) if (e.kind === "F" && (e.fence === "sync-rcu" || e.fence === "sync-srcu")) return true;
  return false;
}

/** acyclic(po ∪ rf ∪ co ∪ fr), in time linear in the events. */
export function sequentiallyOrdered(g: ExecutionGraph): boolean {
  dense.load(g);
  digraph.reset(dense.n);
  const threads = g.threads;
  for (let t = 0; t < threads.length; t++) {
    const thread = threads[t]!;
    const base = dense.base[t]!;
    for (let i = 0; i + 1 < thread.length; i++) digraph.edge(base + i, base + i + 1);
    for (let i = 0; i < thread.length; i++) {
      const e = thread[i]!;
      // A read of a partial candidate may have no source yet: no rf, no fr.
      if (e.kind !== "R" || e.rf < 0) continue;
      const source = dense.of(e.rf);
      digraph.edge(source, base + i);
      digraph.edge(base + i, dense.coNext[source]!);
    }
  }
  for (let d = 0; d < dense.n; d++) digraph.edge(d, dense.coNext[d]!);
  return digraph.isAcyclic();
}

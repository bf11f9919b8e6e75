// LKMM's coherence axiom (acyclic po-loc ∪ com) in time linear in the
// events, so that a graph that breaks it is rejected before the model's
// relations are built. As in sequentiallyOrdered.ts, only immediate edges
// are added: each event to the next event of its thread at the same
// location (synchronize_srcu() counts, located at its srcu_struct), rf, a
// write to its coherence successor, a read to the successor of the write
// it read. Their transitive closure is that of po-loc ∪ rf ∪ co ∪ fr.

import type { ExecutionGraph } from "../../graph/executionGraph.ts";
import { DenseEvents } from "../denseEvents.ts";
import { Digraph } from "../digraph.ts";

const dense = new DenseEvents();
const digraph = new Digraph();
/** Per location, the dense number of the thread's last event there so far. */
let lastAt = new Int32Array(0);

export function coherentPerLocation(g: ExecutionGraph): boolean {
  dense.load(g);
  digraph.reset(dense.n);
  let locations = dense.locations;
  for (const thread of g.threads) for (const e of thread) if (e.loc >= locations) locations = e.loc + 1;
  if (lastAt.length < locations) lastAt = new Int32Array(locations * 2);
  const threads = g.threads;
  for (let t = 0; t < threads.length; t++) {
    const thread = threads[t]!;
    const base = dense.base[t]!;
    lastAt.fill(-1, 0, locations);
    for (let i = 0; i < thread.length; i++) {
      const e = thread[i]!;
      const here = base + i;
      if (e.loc >= 0) {
        digraph.edge(lastAt[e.loc]!, here);
        lastAt[e.loc] = here;
      }
      if (e.kind !== "R" || e.rf < 0) continue;
      const source = dense.of(e.rf);
      digraph.edge(source, here);
      digraph.edge(here, dense.coNext[source]!);
    }
  }
  for (let d = 0; d < dense.n; d++) digraph.edge(d, dense.coNext[d]!);
  return digraph.isAcyclic();
}

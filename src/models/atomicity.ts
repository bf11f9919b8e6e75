// RMW atomicity, shared by every model: no write may come between the write
// an RMW reads from and the RMW's own write in coherence (herd7's
// `empty rmw & (fre; coe)`), and two RMWs may not read the same write.

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { GraphEvent } from "../graph/event.ts";

export function rmwAtomic(g: ExecutionGraph): boolean {
  const threads = g.threads;
  for (let t = 0; t < threads.length; t++) {
    const thread = threads[t]!;
    for (let i = 0; i < thread.length; i++) {
      const r = thread[i]!;
      if (r.rmw !== "read" || r.rf < 0) continue; // (a partial candidate's read may have no source yet)
      const w = thread[i + 1];
      const at = w === undefined ? -1 : g.co[w.loc]!.indexOf(w.id);
      if (at >= 0) {
        // Its write directly follows its source; a second RMW on the same source would have to as well.
        if (g.co[w!.loc]![at - 1] !== r.rf) return false;
      } else if (claimedByAnotherRmw(g, r.rf, r)) {
        // Its write is not placed yet: no other RMW may have taken its source.
        return false;
      }
    }
  }
  return true;
}

/** Whether an RMW read other than r took write `source` (r then cannot: atomicity). */
export function claimedByAnotherRmw(g: ExecutionGraph, source: number, r: GraphEvent): boolean {
  for (const t of g.threads) for (const e of t) if (e !== r && e.kind === "R" && e.rmw === "read" && e.rf === source) return true;
  return false;
}

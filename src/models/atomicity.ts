// RMW atomicity, shared by every model: no write may come between the write
// an RMW reads from and the RMW's own write in coherence (herd7's
// `empty rmw & (fre; coe)`), and two RMWs may not read the same write.

import type { ExecutionGraph } from "../graph/executionGraph.ts";

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
      } else if (claimedElsewhere(g, r.rf, t)) {
        // Its write is not placed yet: no other RMW may have taken its source.
        return false;
      }
    }
  }
  return true;
}

function claimedElsewhere(g: ExecutionGraph, source: number, tid: number): boolean {
  const threads = g.threads;
  for (let t = 0; t < threads.length; t++) {
    if (t === tid) continue;
    for (const e of threads[t]!) if (e.rmw === "read" && e.kind === "R" && e.rf === source) return true;
  }
  return false;
}

// RMW atomicity, shared by every model: no write may come between the write
// an RMW reads from and the RMW's own write in coherence (herd7's
// `empty rmw & (fre; coe)`), and two RMWs may not read the same write.

import type { ExecutionGraph } from "../graph/executionGraph.ts";

export function rmwAtomic(g: ExecutionGraph): boolean {
  const claimed = new Set<number>();
  for (const thread of g.threads) {
    for (let i = 0; i < thread.length; i++) {
      const r = thread[i]!;
      if (r.rmw !== "read") continue;
      if (claimed.has(r.rf)) return false;
      claimed.add(r.rf);
      const w = thread[i + 1];
      if (w === undefined) continue; // its write is not added yet
      const order = g.co[w.loc]!;
      const at = order.indexOf(w.id);
      if (at <= 0 || order[at - 1] !== r.rf) return false;
    }
  }
  return true;
}

// The complete graphs an exploration has recorded, kept exactly, so that
// one reached twice is recorded once. The optimal explorer needs it only
// where revisits may keep events that depend on nothing they changed
// (load buffering, optimalExplorer.ts): two such revisits can rebuild the
// same graph along different paths, which TruSt's conditions alone do not
// rule out there. The key is exact (each read's source and each
// location's coherence order determine the graph), not a hash: a
// collision would drop an execution.

import type { ExecutionGraph } from "../graph/executionGraph.ts";

export class ReachedGraphs {
  private readonly keys = new Set<string>();
  /** Graphs reached again and not recorded. */
  repeats = 0;

  /** False when g was reached before. */
  add(g: ExecutionGraph): boolean {
    const parts: number[] = [];
    for (const t of g.threads) {
      parts.push(-1 - t.length);
      for (const e of t) parts.push(e.kind === "R" ? e.rf : e.kind === "W" ? -2 - (typeof e.value === "number" ? e.value & 0x3fff : 0x3fff) : -0x8000);
    }
    for (const order of g.co) parts.push(-4, ...order);
    const key = String.fromCharCode(...parts.map((x) => x & 0xffff), ...parts.map((x) => (x >>> 16) & 0xffff));
    if (this.keys.has(key)) {
      this.repeats++;
      return false;
    }
    this.keys.add(key);
    return true;
  }
}

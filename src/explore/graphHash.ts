// A 53-bit fingerprint of an execution graph (its events, reads-from and
// coherence), used to count duplicate explorations: an optimal explorer
// must visit each graph once.

import type { ExecutionGraph } from "../graph/executionGraph.ts";

export function graphHash(g: ExecutionGraph): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const mix = (x: number) => {
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 ^ x, 0x5bd1e995) ^ (h2 >>> 15);
  };
  for (const t of g.threads) {
    mix(0x7fff0000 + t.length);
    for (const e of t) mix(e.kind === "R" ? e.rf : e.kind === "W" ? -2 : -3);
  }
  for (const order of g.co) {
    mix(-4);
    for (const id of order) mix(id);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

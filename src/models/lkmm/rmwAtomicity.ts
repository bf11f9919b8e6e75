// LKMM's atomic axiom (§17: empty rmw & (fre ; coe)) without composing
// relations: for each RMW, its read and its write, whether some write of
// another thread than both comes coherence-after the write the RMW read
// (fr from the read) and coherence-before the RMW's write. The fast
// evaluation checks it so, for every graph the explorer asks about.

import type { LkmmGraph } from "./lkmmGraph.ts";

export function atomicPairByPair(x: LkmmGraph): boolean {
  const rmw = x.rmw;
  const words = rmw.words;
  let fr;
  let co;
  let ext;
  for (let read = 0; read < x.n; read++) {
    // Each RMW read has at most its own write as rmw successor; most events have none.
    let hasWrite = false;
    for (let w = 0; w < words; w++) if (rmw.rows[read * words + w] !== 0) hasWrite = true;
    if (!hasWrite) continue;
    fr ??= x.fr;
    co ??= x.co;
    ext ??= x.ext;
    for (let write = rmw.nextSuccessor(read, 0); write >= 0; write = rmw.nextSuccessor(read, write + 1)) {
      for (let c = fr.nextSuccessor(read, 0); c >= 0; c = fr.nextSuccessor(read, c + 1)) {
        if (ext.has(read, c) && co.has(c, write) && ext.has(c, write)) return false;
      }
    }
  }
  return true;
}

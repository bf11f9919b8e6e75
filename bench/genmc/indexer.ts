// GenMC's indexer(N) (tests/correct/synthetic/indexer): N threads insert 4
// values each into a 128-slot hash table by linear probing, claiming a slot
// with a compare-and-swap from 0. Most inserts hash to distinct slots; the
// executions come from the few that collide.

import { model, type Model } from "../../src/index.ts";
import { c11 } from "./c11.ts";

const SIZE = 128;
const INSERTS = 4;

export function indexer(n: number): Model {
  return model(`indexer(${n})`, (m) => {
    const table = m.array("table", SIZE);
    // main() stores idx[i] = i and passes &idx[i]: the thread's argument load.
    const idx = m.array("idx", n, (i) => i);
    for (let i = 0; i < n; i++)
      m.thread(`t${i}`, function* (t) {
        const tid = yield* t.read(idx[i]!, c11.na);
        for (let k = 0; k < INSERTS; k++) {
          const w = k * 11 + tid;
          let h = (w * 7) % SIZE;
          // Probe until a slot is claimed; every failed CAS is one more read.
          while ((yield* t.cmpxchg(table[h]!, 0, w, c11.relaxed)) !== 0) h = (h + 1) % SIZE;
        }
      });
  });
}

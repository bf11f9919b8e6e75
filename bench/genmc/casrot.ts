// GenMC's casrot(N) (tests/correct/synthetic/casrot): thread i (1..N) tries
// one compare-and-swap of x from i-1 to i. Which CASes succeed depends on
// the order they reach x; a failed CAS is a read of whatever it saw.

import { model, type Model } from "../../src/index.ts";
import { c11 } from "./c11.ts";

export function casrot(n: number): Model {
  return model(`casrot(${n})`, (m) => {
    const x = m.location("x");
    // main() stores idx[i-1] = i and passes &idx[i-1]: the thread's argument load.
    const idx = m.array("idx", n, (i) => i + 1);
    for (let i = 1; i <= n; i++)
      m.thread(`cas${i}`, function* (t) {
        const desired = yield* t.read(idx[i - 1]!, c11.na);
        return { old: yield* t.cmpxchg(x, desired - 1, desired, c11.relaxed) };
      });
  });
}

// GenMC's lastzero(N) (tests/correct/synthetic/lastzero): writer j (1..N)
// loads array[j-1] and stores one more to array[j]; the reader scans the
// array from array[N] down and stops at the first zero (array[0] is never
// written, so the scan ends there at the latest).

import { model, type Model } from "../../src/index.ts";
import { c11 } from "./c11.ts";

export function lastzero(n: number): Model {
  return model(`lastzero(${n})`, (m) => {
    const array = m.array("array", n + 1);
    // main() stores idx[j] = j and passes &idx[j] to writer j: its argument load.
    const idx = m.array("idx", n + 1, (i) => i);
    m.thread("reader", function* (t) {
      let i = n;
      while ((yield* t.read(array[i]!, c11.acquire)) !== 0) i--;
      return { lastZero: i };
    });
    for (let j = 1; j <= n; j++)
      m.thread(`writer${j}`, function* (t) {
        const k = yield* t.read(idx[j]!, c11.na);
        const before = yield* t.read(array[k - 1]!, c11.acquire);
        yield* t.write(array[k]!, before + 1, c11.release);
      });
  });
}

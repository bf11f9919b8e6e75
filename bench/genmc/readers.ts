// GenMC's readers(N) (tests/correct/synthetic/readers): one thread stores 42
// to x, N threads each load x once. Every reader sees 0 or 42: 2^N
// executions under SC and TSO alike.

import { model, type Model } from "../../src/index.ts";
import { c11 } from "./c11.ts";

export function readers(n: number): Model {
  return model(`readers(${n})`, (m) => {
    const x = m.location("x");
    // main() initialises idx[i] = i before creating the threads and hands
    // each reader &idx[i]; the reader dereferences it, a load with a single
    // possible source.
    const idx = m.array("idx", n + 1, (i) => i);
    m.thread("writer", function* (t) {
      yield* t.write(x, 42, c11.release);
    });
    for (let i = 0; i < n; i++)
      m.thread(`reader${i}`, function* (t) {
        yield* t.read(idx[i]!, c11.na);
        return { r: yield* t.read(x, c11.acquire) };
      });
  });
}

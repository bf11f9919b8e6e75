// GenMC's CoA(N) (tests/correct/synthetic/CoA): two threads each store to x,
// load one of y and z, and load x again; N-1 threads store their index to y
// and then to z.

import { model, type Loc, type Model, type ThreadContext } from "../../src/index.ts";
import { c11 } from "./c11.ts";

export function coa(n: number): Model {
  return model(`CoA(${n})`, (m) => {
    const x = m.location("x");
    const y = m.location("y");
    const z = m.location("z");
    // main() stores idx[i] = i and passes &idx[i] to thread_n: its argument load.
    const idx = m.array("idx", n, (i) => i);
    const storeLoadLoad = (value: number, other: Loc) =>
      function* (t: ThreadContext) {
        yield* t.write(x, value, c11.release);
        const seen = yield* t.read(other, c11.acquire);
        return { seen, x: yield* t.read(x, c11.acquire) };
      };
    m.thread("one", storeLoadLoad(1, y));
    m.thread("two", storeLoadLoad(2, z));
    for (let i = 0; i < n - 1; i++)
      m.thread(`n${i}`, function* (t) {
        const v = yield* t.read(idx[i]!, c11.na);
        yield* t.write(y, v, c11.release);
        yield* t.write(z, v, c11.release);
      });
  });
}

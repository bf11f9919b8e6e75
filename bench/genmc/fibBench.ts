// GenMC's fib_bench(NUM) (tests/correct/synthetic/fib_bench): x and y start
// at 1; one thread adds them into x, the other into y, NUM times each; a
// third checks that neither exceeds 144.

import { model, type Loc, type Model, type ThreadContext } from "../../src/index.ts";
import { c11 } from "./c11.ts";

/**
 * GenMC's bound, kept as written: fib(12) = 144 is the largest value two
 * threads of 5 additions can reach, so the check holds up to NUM = 5 (the
 * benchmark's default) and the checker thread's accesses are GenMC's.
 */
const BOUND = 144;

export function fibBench(n: number): Model {
  return model(`fib_bench(${n})`, (m) => {
    const x = m.location("x", 1);
    const y = m.location("y", 1);
    const adder = (target: Loc) =>
      function* (t: ThreadContext) {
        for (let i = 0; i < n; i++) {
          const prevX = yield* t.read(x, c11.acquire);
          const prevY = yield* t.read(y, c11.acquire);
          yield* t.write(target, prevX + prevY, c11.release);
        }
      };
    m.thread("t1", adder(x));
    m.thread("t2", adder(y));
    m.thread("t3", function* (t) {
      // C's || : y is loaded only when x is within the bound.
      const overflow = (yield* t.read(x, c11.acquire)) > BOUND || (yield* t.read(y, c11.acquire)) > BOUND;
      t.assert(!overflow, `x or y exceeds ${BOUND}`);
    });
  });
}

// GenMC's szymanski(N) (tests/correct/synthetic/szymanski): Szymanski's
// mutual exclusion for two threads, each entering the critical section N
// times, with a full fence after every flag store. GenMC's
// __VERIFIER_assume(load) is an await here: the load may only complete with
// a value the assumption accepts, so an execution where it does not is not
// a complete execution in either tool.

import { model, type Loc, type Model, type ThreadContext } from "../../src/index.ts";
import { c11 } from "./c11.ts";

export function szymanski(n: number): Model {
  return model(`szymanski(${n})`, (m) => {
    const x = m.location("x");
    const flag1 = m.location("flag1");
    const flag2 = m.location("flag2");
    /** One side of the protocol: `mine` is its flag, `other` the peer's; it writes `id` in the critical section. */
    const side = (mine: Loc, other: Loc, id: number, inside: (v: number) => boolean) =>
      function* (t: ThreadContext) {
        for (let i = 0; i < n; i++) {
          yield* t.write(mine, 1, c11.relaxed);
          yield* t.fence("mb");
          yield* t.await(other, (v) => v < 3, c11.relaxed);

          yield* t.write(mine, 3, c11.relaxed);
          yield* t.fence("mb");
          if ((yield* t.read(other, c11.relaxed)) === 1) {
            yield* t.write(mine, 2, c11.relaxed);
            yield* t.fence("mb");
            yield* t.await(other, (v) => v === 4, c11.relaxed);
          }

          yield* t.write(mine, 4, c11.relaxed);
          yield* t.fence("mb");
          yield* t.await(other, (v) => v < 2, c11.relaxed);

          t.step("critical section");
          yield* t.write(x, id, c11.relaxed);
          yield* t.read(x, c11.relaxed);
          t.assert(inside(yield* t.read(x, c11.relaxed)), `thread ${id}: another thread wrote x inside the critical section`);
          yield* t.fence("mb");
          t.step("exit");

          // assume(2 > other || other > 3): two loads, the second only when
          // the first is not below 2, and then it is the one assumed.
          if (!((yield* t.read(other, c11.relaxed)) < 2)) yield* t.await(other, (v) => v > 3, c11.relaxed);
          yield* t.write(mine, 0, c11.relaxed);
        }
      };
    m.thread("t1", side(flag1, flag2, 0, (v) => v <= 0));
    m.thread("t2", side(flag2, flag1, 1, (v) => v >= 1));
  });
}

// GenMC's chase-lev (tests/correct/data-structures/chase-lev): the
// Chase-Lev work-stealing deque over a 10-slot buffer. The owner pushes 5
// values, pops 3 times and pushes 2 more; each stealer tries one steal.
// GenMC's test runs one stealer (CONFIG_DEQ_STEALERS); the family scales
// the stealers.
//
// bottom and top are unsigned 64-bit in C; here they are plain integers.
// The owner pops only after 5 pushes, so bottom never drops below 2 and the
// unsigned arithmetic never wraps: the two agree on every value.

import { model, type Model, type ThreadContext, type Loc } from "../../src/index.ts";
import { c11 } from "./c11.ts";

/** Buffer slots (LEN) and the capacity the operations are given (NUM). */
const CAPACITY = 10;

interface Deque {
  readonly bottom: Loc;
  readonly top: Loc;
  readonly buffer: readonly Loc[];
}

/** Returns whether the push fit. */
function* tryPush(t: ThreadContext, q: Deque, data: number) {
  const b = yield* t.read(q.bottom, c11.relaxed);
  const top = yield* t.read(q.top, c11.acquire);
  if (b - top >= CAPACITY) return false;
  yield* t.write(q.buffer[b % CAPACITY]!, data, c11.relaxed);
  yield* t.write(q.bottom, b + 1, c11.release);
  return true;
}

/** The value taken from the bottom, or undefined when empty or lost to a stealer. */
function* tryPop(t: ThreadContext, q: Deque) {
  const b = yield* t.read(q.bottom, c11.relaxed);
  yield* t.write(q.bottom, b - 1, c11.relaxed);
  yield* t.fence("mb");
  const top = yield* t.read(q.top, c11.relaxed);
  const len = b - top;
  if (len <= 0) {
    yield* t.write(q.bottom, b, c11.relaxed);
    return undefined;
  }
  const data = yield* t.read(q.buffer[(b - 1) % CAPACITY]!, c11.relaxed);
  if (len > 1) return data;
  // The last element: race the stealers for it on top.
  const won = (yield* t.cmpxchg(q.top, top, top + 1, c11.seqCst)) === top;
  yield* t.write(q.bottom, b, c11.relaxed);
  return won ? data : undefined;
}

/** The value taken from the top, or undefined when empty or lost. */
function* trySteal(t: ThreadContext, q: Deque) {
  const top = yield* t.read(q.top, c11.relaxed);
  yield* t.fence("mb");
  const b = yield* t.read(q.bottom, c11.acquire);
  if (b - top <= 0) return undefined;
  const data = yield* t.read(q.buffer[top % CAPACITY]!, c11.relaxed);
  const won = (yield* t.cmpxchg(q.top, top, top + 1, c11.release)) === top;
  return won ? data : undefined;
}

export function chaseLev(stealers: number): Model {
  return model(`chase-lev(${stealers})`, (m) => {
    const q: Deque = { bottom: m.location("bottom"), top: m.location("top"), buffer: m.array("buffer", CAPACITY) };
    m.thread("owner", function* (t) {
      let count = 1;
      const pushes = function* (times: number) {
        let sum = 0;
        for (let i = 0; i < times; i++) {
          if (!(yield* tryPush(t, q, count))) continue;
          sum += count;
          count++;
        }
        return sum;
      };
      const pushed1 = yield* pushes(5);
      let popped = 0;
      for (let i = 0; i < 3; i++) popped += (yield* tryPop(t, q)) ?? 0;
      const pushed2 = yield* pushes(2);
      return { pushed1, popped, pushed2 };
    });
    for (let s = 0; s < stealers; s++)
      m.thread(
        `stealer${s}`,
        function* (t) {
          return { stolen: (yield* trySteal(t, q)) ?? 0 };
        },
        // GenMC spawns the stealers from one function with one argument: they are interchangeable.
        { identical: "stealer" },
      );
  });
}

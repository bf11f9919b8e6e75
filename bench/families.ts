// Scalable families with known execution counts, written with the program
// API: used by the benchmark and pinned in the tests.

import { model, type Model } from "../src/index.ts";

export const SB = model("SB", (m) => {
  const x = m.location("x");
  const y = m.location("y");
  m.thread("P0", function* (t) {
    yield* t.write(x, 1);
    return { r0: yield* t.read(y) };
  });
  m.thread("P1", function* (t) {
    yield* t.write(y, 1);
    return { r1: yield* t.read(x) };
  });
});

export const MP = model("MP", (m) => {
  const x = m.location("x");
  const y = m.location("y");
  m.thread("P0", function* (t) {
    yield* t.write(x, 1);
    yield* t.write(y, 1);
  });
  m.thread("P1", function* (t) {
    const r0 = yield* t.read(y);
    return { r0, r1: yield* t.read(x) };
  });
});

export const LB = model("LB", (m) => {
  const x = m.location("x");
  const y = m.location("y");
  m.thread("P0", function* (t) {
    const r0 = yield* t.read(x);
    yield* t.write(y, 1);
    return { r0 };
  });
  m.thread("P1", function* (t) {
    const r1 = yield* t.read(y);
    yield* t.write(x, 1);
    return { r1 };
  });
});

export const IRIW = model("IRIW", (m) => {
  const x = m.location("x");
  const y = m.location("y");
  m.thread("W0", function* (t) {
    yield* t.write(x, 1);
  });
  m.thread("W1", function* (t) {
    yield* t.write(y, 1);
  });
  m.thread("R0", function* (t) {
    const a = yield* t.read(x);
    return { a, b: yield* t.read(y) };
  });
  m.thread("R1", function* (t) {
    const a = yield* t.read(y);
    return { a, b: yield* t.read(x) };
  });
});

/** How a family declares its copies of one thread. */
export interface CopiesOptions {
  /** Declare them identical: symmetry reduction then explores one execution per class of exchanges. */
  readonly identical?: boolean;
}

/** N threads each doing one fetch-add on one counter: N! executions (1 up to exchanging the identical adders). */
export function fetchAdders(n: number, options: CopiesOptions = {}): Model {
  return model(`${n} fetch-adders${options.identical ? " (identical)" : ""}`, (m) => {
    const c = m.location("c");
    for (let i = 0; i < n; i++)
      m.thread(
        `T${i}`,
        function* (t) {
          yield* t.fetchAdd(c, 1);
        },
        options.identical ? { identical: "adder" } : {},
      );
    m.forall("the counter reaches N", (s) => s.int(c) === n);
  });
}

/** SB-style ring: thread i writes x[i] then reads x[i+1 mod N]. */
export function sbRing(n: number): Model {
  return model(`SB ring ${n}`, (m) => {
    const x = m.array("x", n);
    for (let i = 0; i < n; i++)
      m.thread(`P${i}`, function* (t) {
        yield* t.write(x[i]!, 1);
        return { r: yield* t.read(x[(i + 1) % n]!) };
      });
  });
}

/** N readers and one writer of two locations: 3^N executions ((N+1)(N+2)/2 up to exchanging the identical readers). */
export function readersWriter(readers: number, options: CopiesOptions = {}): Model {
  return model(`${readers} readers, 1 writer${options.identical ? " (identical)" : ""}`, (m) => {
    const x = m.location("x");
    const y = m.location("y");
    m.thread("W", function* (t) {
      yield* t.write(x, 1);
      yield* t.write(y, 1);
    });
    for (let i = 0; i < readers; i++)
      m.thread(
        `R${i}`,
        function* (t) {
          const a = yield* t.read(y);
          return { a, b: yield* t.read(x) };
        },
        options.identical ? { identical: "reader" } : {},
      );
  });
}

// seqcount and seqlock: a reader never returns a torn pair of values the
// writer updates together, under SC and LKMM; without the reader's smp_rmb
// LKMM lets it; writers serialised by the seqlock's spinlock.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import type { ThreadContext } from "../../src/program/threadContext.ts";
import { Seqcount, Seqlock, readSeqcountBegin, readSeqcountRetry, readSeqbegin, readSeqretry, seqcountRead, writeSeqcountBegin, writeSeqcountEnd, writeSeqlock, writeSequnlock, type SeqReadOptions } from "../../src/kernel/index.ts";

/**
 * The reader makes one attempt when `once` (a retry discards what it read,
 * reported as both 0): LKMM's exploration does not bound a retry loop, so
 * the LKMM runs check the one attempt, which is where the barriers matter.
 */
function pair(readOpts: SeqReadOptions, once = false) {
  return model("seqcount pair", (m) => {
    const s = new Seqcount(m, "seq");
    const lo = m.location("lo", 0);
    const hi = m.location("hi", 0);
    m.thread("writer", function* (t) {
      yield* writeSeqcountBegin(t, s);
      yield* t.write(lo, 1, "once");
      yield* t.write(hi, 1, "once");
      yield* writeSeqcountEnd(t, s);
    });
    m.thread("reader", function* (t) {
      const body = function* (t: ThreadContext) {
        return { lo: yield* t.read(lo, "once"), hi: yield* t.read(hi, "once") };
      };
      if (!once) return yield* seqcountRead(t, s, body, readOpts);
      const start = yield* readSeqcountBegin(t, s, readOpts);
      const seen = yield* body(t);
      return (yield* readSeqcountRetry(t, s, start, readOpts)) ? { lo: 0, hi: 0 } : seen;
    });
    m.forall("the reader sees both old or both new", (st) => st.result("reader")?.lo === st.result("reader")?.hi);
  });
}

test("a seqcount reader retries until it reads both values of one write section (SC); an attempt read_seqcount_retry accepts is never torn (LKMM)", () => {
  const sc = explore(pair({}), { memoryModel: memoryModelNamed("sc") });
  assert.equal(sc.violations.length, 0, sc.violations[0]?.outcome.violation?.message);
  assert.ok(sc.exhaustive && sc.executions >= 3, `${sc.executions}`);
  const lkmm = explore(pair({}, true), { memoryModel: memoryModelNamed("lkmm") });
  assert.equal(lkmm.violations.length, 0, lkmm.violations[0]?.outcome.violation?.message);
  assert.ok(lkmm.exhaustive && lkmm.executions >= 3, `${lkmm.executions}`);
});

test("without the reader's smp_rmb, LKMM lets it read a torn pair under an unchanged sequence; SC does not", () => {
  const lkmm = explore(pair({ noBarrier: true }, true), { memoryModel: memoryModelNamed("lkmm") });
  assert.ok(lkmm.violations.length > 0);
  const sc = explore(pair({ noBarrier: true }, true), { memoryModel: memoryModelNamed("sc") });
  assert.equal(sc.violations.length, 0);
});

test("seqlock writers exclude each other; write_seqcount_begin twice is misuse", () => {
  const r = explore(
    model("two writers", (m) => {
      const sl = new Seqlock(m, "sl");
      const x = m.location("x", 0);
      for (const name of ["w1", "w2"])
        m.thread(name, function* (t) {
          yield* writeSeqlock(t, sl);
          yield* t.write(x, (yield* t.read(x, "once")) + 1, "once");
          yield* writeSequnlock(t, sl);
        });
      m.thread("reader", function* (t) {
        for (;;) {
          const s = yield* readSeqbegin(t, sl);
          const v = yield* t.read(x, "once");
          if (!(yield* readSeqretry(t, sl, s))) return { v, s };
        }
      });
      m.forall("the reader's value matches its even sequence", (st) => st.result("reader")?.v === (st.result("reader")?.s as number) / 2);
      m.forall("both increments land", (st) => st.int(x) === 2 && st.int(sl.seqcount.sequence) === 4);
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  const twice = explore(
    model("nested begin", (m) => {
      const s = new Seqcount(m, "s");
      m.thread("w", function* (t) {
        yield* writeSeqcountBegin(t, s);
        yield* writeSeqcountBegin(t, s);
      });
    }),
  );
  assert.match(twice.violations[0]!.outcome.violation!.message, /write section already open/);
});

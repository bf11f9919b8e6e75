// The TLB's own checks. checkNoFreedPageReachable judges a page freed as
// freePage leaves it, so a compound tail (count 0 while its compound page
// lives) that a CPU's TLB maps is no freed page, in either encoding of the
// tail, while a page whose last reference went is. assertNoStaleTranslation's
// reads carry a step of their own in a trace, and the caller's step resumes
// after it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { Machine, Tlb, anonPage, anonymousVma, assertNoStaleTranslation, declareCompoundPage, putPage, tlbTranslation, type HeadEncoding } from "../../src/mm/index.ts";

function tailInTlb(encoding: HeadEncoding) {
  return model(`a TLB entry maps a compound tail (${encoding})`, (m) => {
    const mc = new Machine(m);
    const mm = mc.mm();
    const c = declareCompoundPage(mc, { order: 1, encoding, allocated: true });
    const tail = c.tails[0]!;
    const v = anonymousVma(mc, "anon", mm, 1, { ptes: () => tail.id });
    const tlb = new Tlb(mc, mm);
    tlb.cover(v, { loaded: [0] });
    m.thread("t", function* (t) {
      return { reached: (yield* tlbTranslation(t, tlb, v, 0))?.id ?? 0 };
    });
    m.forall("the CPU translates the address to the tail, whose count is 0", (s) => s.result("t")?.reached === tail.id && s.int(tail.refcount) === 0);
    tlb.checkNoFreedPageReachable();
  });
}

test("a compound tail's count of 0 is no free: a TLB entry that maps it breaks no I-TLB at the end (both encodings)", () => {
  for (const encoding of ["one-word", "two-field"] as const) {
    const r = explore(tailInTlb(encoding), { stopOnViolation: false });
    assert.equal(r.violationCount, 0, `${encoding}: ${r.violations[0]?.outcome.violation?.message}`);
    assert.equal(r.executions, 1);
  }
});

test("a page freed while a TLB entry still maps it breaks I-TLB at the end", () => {
  const r = explore(
    model("freed, still cached", (m) => {
      const mc = new Machine(m);
      const mm = mc.mm();
      const A = anonPage(mc, "A", 0);
      m.initialize(A.refcount, 1); // one reference, no pte: the TLB entry outlived the pte
      const v = anonymousVma(mc, "anon", mm, 1, { ptes: () => A.id });
      const tlb = new Tlb(mc, mm);
      tlb.cover(v, { loaded: [0] });
      m.initialize(v.pte[0]!, 0);
      m.thread("t", function* (t) {
        yield* putPage(t, A);
      });
      tlb.checkNoFreedPageReachable();
    }),
    { stopOnViolation: false },
  );
  assert.ok(r.violations.some((x) => /I-TLB/.test(x.outcome.violation!.message)));
});

/** Page A mapped at anon[0], and the one TLB entry caching that translation. */
function cachedAnonPage(m: Parameters<Parameters<typeof model>[1]>[0]) {
  const mc = new Machine(m);
  const mm = mc.mm();
  const A = anonPage(mc, "A");
  const v = anonymousVma(mc, "anon", mm, 1, { ptes: () => A.id });
  const tlb = new Tlb(mc, mm);
  tlb.cover(v, { loaded: [0] });
  return { v, tlb };
}

test("assertNoStaleTranslation's reads appear under a step of its own, and the caller's step resumes after it", () => {
  const r = explore(
    model("a stale entry found", (m) => {
      const { v, tlb } = cachedAnonPage(m);
      m.thread("t", function* (t) {
        t.step("clear the pte, no flush");
        yield* t.write(v.pte[0]!, 0, "once");
        yield* assertNoStaleTranslation(t, tlb, v, 0, 1, "after the unmap");
      });
    }),
    { stopOnViolation: true },
  );
  assert.equal(r.violations.length, 1);
  assert.match(r.violations[0]!.outcome.violation!.message, /stale TLB entry after the unmap: a CPU still translates anon\[0\] to A/);
  const steps = r.violations[0]!.graph.threads[0]!.map((e) => e.step);
  const check = "check: no stale TLB entry for anon[0, 1) after the unmap";
  assert.equal(steps[0], "clear the pte, no flush");
  assert.ok(steps.slice(1).length > 0 && steps.slice(1).every((s) => s === check), JSON.stringify(steps));
  const ok = explore(
    model("no stale entry", (m) => {
      const { v, tlb } = cachedAnonPage(m);
      const after = m.location("after", 0);
      m.thread("t", function* (t) {
        t.step("caller");
        yield* assertNoStaleTranslation(t, tlb, v, 0, 1, "now");
        yield* t.write(after, 1, "once");
      });
      m.forall("never", () => false);
    }),
    { stopOnViolation: true },
  );
  const events = ok.violations[0]!.graph.threads[0]!;
  assert.equal(events.at(-1)!.step, "caller");
  assert.ok(events.some((e) => e.step === "check: no stale TLB entry for anon[0, 1) now"));
});

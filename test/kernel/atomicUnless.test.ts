// atomic_inc_unless_negative / atomic_dec_unless_positive: the pair that
// lets a count of holders and a "denied" state exclude each other
// (i_mmap_writable), checked against the brute-force oracles.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { atomicDecUnlessPositive, atomicIncUnlessNegative } from "../../src/kernel/index.ts";

/** Holders increment, a denier decrements, each at most once, from `init`. */
function holdersAndDenier(init: number, holders: number) {
  return model(`unless-${init}-${holders}`, (m) => {
    const count = m.location("count", init);
    for (let i = 0; i < holders; i++)
      m.thread(`holder${i}`, function* (t) {
        return { ok: (yield* atomicIncUnlessNegative(t, count)) ? 1 : 0 };
      });
    m.thread("denier", function* (t) {
      return { ok: (yield* atomicDecUnlessPositive(t, count)) ? 1 : 0 };
    });
    m.forall("never a holder and the denier both", (s) => {
      const held = Array.from({ length: holders }, (_, i) => s.result(`holder${i}`)!.ok as number).some((x) => x === 1);
      return !(held && s.result("denier")!.ok === 1);
    });
    m.exists("a holder succeeds", (s) => s.result("holder0")!.ok === 1);
    m.exists("the denier succeeds", (s) => s.result("denier")!.ok === 1);
  });
}

test("from 0, holders and a denier exclude each other; each can win (optimal = enumerate, SC; optimal = candidates, LKMM)", () => {
  for (const holders of [1, 2]) {
    const md = holdersAndDenier(0, holders);
    const sc = explore(md, { stopOnViolation: false });
    const scOracle = explore(md, { strategy: "enumerate", stopOnViolation: false });
    assert.equal(sc.violations.length, 0);
    assert.equal(sc.executions, scOracle.executions);
    assert.deepEqual(sc.existsCounts, scOracle.existsCounts);
    assert.ok(sc.existsCounts.every((n) => n > 0), "both sides can win");
    const lkmm = memoryModelNamed("lkmm");
    const lk = explore(md, { memoryModel: lkmm, stopOnViolation: false });
    const lkOracle = explore(md, { memoryModel: lkmm, strategy: "candidates", stopOnViolation: false });
    assert.equal(lk.violations.length, 0);
    assert.equal(lk.executions, lkOracle.executions);
  }
});

test("an existing holder refuses the denier, a denial refuses holders, and the value stays where it was", () => {
  const held = model("held", (m) => {
    const count = m.location("count", 1);
    m.thread("denier", function* (t) {
      return { ok: (yield* atomicDecUnlessPositive(t, count)) ? 1 : 0 };
    });
    m.forall("refused, count unchanged", (s) => s.result("denier")!.ok === 0 && s.int(count) === 1);
  });
  const denied = model("denied", (m) => {
    const count = m.location("count", -1);
    m.thread("holder", function* (t) {
      return { ok: (yield* atomicIncUnlessNegative(t, count)) ? 1 : 0 };
    });
    m.forall("refused, count unchanged", (s) => s.result("holder")!.ok === 0 && s.int(count) === -1);
  });
  assert.equal(explore(held).violations.length, 0);
  assert.equal(explore(denied).violations.length, 0);
});

test("a successful atomic_inc_unless_negative is fully ordered: store buffering through it is forbidden under LKMM", () => {
  const sb = (ordered: boolean) =>
    model(`SB-${ordered}`, (m) => {
      const x = m.location("x");
      const y = m.location("y");
      m.thread("P0", function* (t) {
        if (ordered) yield* atomicIncUnlessNegative(t, x);
        else yield* t.write(x, 1, "once");
        return { r: yield* t.read(y, "once") };
      });
      m.thread("P1", function* (t) {
        if (ordered) yield* atomicDecUnlessPositive(t, y);
        else yield* t.write(y, -1, "once");
        return { r: yield* t.read(x, "once") };
      });
      m.forall("some side sees the other", (s) => s.result("P0")!.r !== 0 || s.result("P1")!.r !== 0);
    });
  const lkmm = memoryModelNamed("lkmm");
  assert.equal(explore(sb(false), { memoryModel: lkmm }).violations.length, 1);
  assert.equal(explore(sb(true), { memoryModel: lkmm }).violations.length, 0);
});

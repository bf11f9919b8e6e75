// PG_waiters and the sleeping page lock: unlock_page's look at PG_waiters
// must be ordered after clearing PG_locked (smp_mb__after_atomic, v4.10) or
// be the same RMW on the same word (b91e1302ad9b); otherwise a sleeper is never
// woken under LKMM. Counts against the brute-force enumerator under SC; under
// LKMM (where the candidate enumerator takes minutes on the wait queue's
// awaits) the verdicts are those of the SB litmus test each rule reduces to,
// which the LKMM tests check against herd7.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { Machine, PageWaiters, lockPageSleeping, unlockPageWaking, waitOnPageBitCommon, type FlagLayout, type UnlockPageRule } from "../../src/mm/index.ts";
import { mayExitHolding } from "../../src/kernel/index.ts";

function sleeperVsUnlock(rule: UnlockPageRule, layout: FlagLayout, take: boolean) {
  return model(`waiters-${rule}-${layout}-${take}`, (m) => {
    const mc = new Machine(m, { flags: layout });
    const page = mc.page("P", { flags: ["locked"], layout });
    const pw = new PageWaiters(mc, page, ["sleeper"]);
    m.thread("sleeper", function* (t) {
      if (take) {
        yield* lockPageSleeping(t, pw);
        yield* unlockPageWaking(t, pw, rule);
      } else yield* waitOnPageBitCommon(t, pw, false);
    });
    m.thread("owner", function* (t) {
      mayExitHolding(t, page.flag("locked").name);
      yield* unlockPageWaking(t, pw, rule);
    });
    // PG_waiters may stay set (a sleeper that found the page unlocked never
    // slept): the next unlock_page clears it. A lost wake-up is a deadlock.
    m.forall("the page ends unlocked", (s) => !page.flagIn((l) => s.int(l), "locked"));
  });
}

const lkmm = memoryModelNamed("lkmm");

test("under SC every rule wakes the sleeper; the counts match the brute-force enumerator", () => {
  for (const [rule, layout] of [["no-barrier", "split"], ["mb-after-atomic", "split"], ["negative-byte", "word"]] as const)
    for (const take of [false, true]) {
      const md = sleeperVsUnlock(rule, layout, take);
      const r = explore(md, { stopOnViolation: false });
      const oracle = explore(md, { strategy: "enumerate", stopOnViolation: false });
      assert.equal(r.violationCount, 0, `${rule} ${take}: ${r.violations[0]?.outcome.violation?.message}`);
      assert.equal(r.executions, oracle.executions, `${rule} ${take}`);
      assert.equal(oracle.violationCount, 0);
    }
});

test("under LKMM a release-only unlock with PG_waiters in another word loses the wake-up; the v4.10 barrier and the shared word do not", () => {
  const cases: [UnlockPageRule, FlagLayout, boolean][] = [
    ["no-barrier", "split", true],
    ["no-barrier", "word", false],
    ["mb-after-atomic", "split", false],
    ["negative-byte", "word", false],
  ];
  for (const [rule, layout, lost] of cases) {
    const md = sleeperVsUnlock(rule, layout, false);
    const r = explore(md, { memoryModel: lkmm, stopOnViolation: false });
    assert.equal(r.violationCount > 0, lost, `${rule} ${layout}`);
    if (lost) assert.equal(r.violations[0]!.outcome.status, "deadlock");
  }
});

test("clear_bit_unlock_is_negative_byte needs PG_waiters in PG_locked's word", () => {
  assert.throws(() => explore(sleeperVsUnlock("negative-byte", "split", false)), /needs PG_waiters in PG_locked's word/);
});

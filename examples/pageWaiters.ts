// unlock_page() against a sleeper on the page lock: a lost wake-up through
// PG_waiters.
//
// Commits: 62906027091f "mm: add PageWaiters indicating tasks are waiting
// for a page bit" (Nick Piggin, v4.10): unlock_page clears PG_locked, then
// smp_mb__after_atomic, then wakes the page's queue only if PG_waiters is
// set; the sleeper sets PG_waiters under the queue's lock, then
// set_current_state (a full barrier), then sleeps only if PG_locked is still
// set. b91e1302ad9b "mm: optimize PageWaiters bit use for unlock_page()"
// (Linus Torvalds, Dec 2016) drops the barrier by keeping PG_waiters in
// PG_locked's byte: one RMW clears the one and reads the other. Without
// either (PG_waiters in a word of its own, a release-only unlock) it is
// store buffering: the unlocker misses PG_waiters, the sleeper still sees
// PG_locked, and sleeps forever.
//
// Expected verdicts (the deadlock is the lost wake-up):
//   page-waiters-no-barrier          sc verified, lkmm violation (deadlock)
//   page-waiters-mb-4.10             sc verified, lkmm verified
//   page-waiters-negative-byte       sc verified, lkmm verified

import { model, type Model } from "../src/index.ts";
import { mayExitHolding } from "../src/kernel/index.ts";
import { Machine, PageWaiters, unlockPageWaking, waitOnPageBitCommon, type UnlockPageRule } from "../src/mm/index.ts";

function pageWaiters(name: string, rule: UnlockPageRule): Model {
  return model(`page-waiters-${name}`, (m) => {
    m.expect({ sc: "verified", lkmm: rule === "no-barrier" ? "violation" : "verified" });
    const layout = rule === "negative-byte" ? "word" : "split";
    const mc = new Machine(m, { flags: layout });
    const page = mc.page("P", { flags: ["locked"], layout });
    const pw = new PageWaiters(mc, page, ["sleeper"]);

    m.thread("sleeper", function* (t) {
      yield* waitOnPageBitCommon(t, pw, false); // wait_on_page_locked
    });
    m.thread("owner", function* (t) {
      mayExitHolding(t, page.flag("locked").name); // locked before the model starts
      yield* unlockPageWaking(t, pw, rule);
    });
    m.forall("the page ends unlocked", (s) => !page.flagIn((l) => s.int(l), "locked"));
  });
}

export default [pageWaiters("no-barrier", "no-barrier"), pageWaiters("mb-4.10", "mb-after-atomic"), pageWaiters("negative-byte", "negative-byte")];

// 000-B2: Linus's counter-proposal to his own RFC (14 Oct 2020): map_pages
// without the page lock, made safe against truncation by ordering. The
// fault side raises the mapcount between two PG_locked tests; truncate
// locks the page and then looks at page_mapped(). Each side writes its own
// word and reads the other's: the store-buffering shape. Under SC either
// truncate sees the mapcount (and zaps the pte under the PTL, which the
// fault holds) or the fault sees the lock; on x86 the locked RMWs are full
// fences; under LKMM atomic_inc is unordered and lock_page only acquires,
// so both can read the old value. Linus flagged exactly this ("need to make
// sure the memory ordering between testing the page lock initially,
// incrementing the count, and re-testing is ok").
//
// Independently of memory order, the fault must re-check, after the
// increment, that the page is still this file's and still in i_pages: a
// truncate that finished (and unlocked the page) before the first test
// leaves nothing locked to see (check-before-inc-sc).
//
// The barrier pair usually proposed for it (after the increment, after
// lock_page) closes the SB window but not that last case under LKMM: the
// fault's PG_locked re-test can read truncate's unlock_page while its
// mapping and i_pages re-checks, unordered after it, still read the old
// values (message passing without a read barrier: mb-pair). An smp_rmb
// (or an acquire re-test) between them closes it (fixed).

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { spinLock, spinUnlock } from "../../kernel/spinlock.ts";
import { Machine } from "../../mm/machine.ts";
import { mapcountMapPage, mapcountPrecheck, type MapcountProtocol } from "../../mm/faultAround.ts";
import { trackingDependencies } from "../../program/controlDependency.ts";
import { PER_STEP_TRUNC, truncateInodePage, unmapCowsChecked, type TruncateOrdering } from "./truncateChecked.ts";

/**
 * The race at litmus size (LKMM explores every reordering, so every access
 * counts): one cached page P of F, one private VMA mapping nothing. The
 * fault thread starts where the RCU walk has found P and holds its
 * speculative reference; truncate starts after i_size = 0 and the first
 * unmap pass (which found nothing), at truncate_inode_pages, and ends with
 * the COW unmap pass. Both threads track their control dependencies
 * (trackingDependencies) so that LKMM sees them.
 */
function mapcountVsTruncate(name: string, fault: MapcountProtocol, trunc: TruncateOrdering, expect: "violation" | "verified"): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: 0, slots: 1, cached: [{ index: 0 }] });
    const M = mc.vma("M", mc.mm(), F, { shared: false });
    const P = mc.pages[0]!;
    m.thread(
      "fault",
      trackingDependencies(function* (t) {
        let mapped = fault.recheck === "after-inc" || (yield* mapcountPrecheck(t, F, 0, P));
        if (mapped) {
          t.step(`filemap_map_pages: lock PTL(${M.name})`);
          yield* spinLock(t, M.ptl);
          mapped = yield* mapcountMapPage(t, M, 0, P, fault);
          t.step(`filemap_map_pages: unlock PTL(${M.name})`);
          yield* spinUnlock(t, M.ptl);
        }
        return { mapped: mapped ? 1 : 0 };
      }),
    );
    m.thread(
      "trunc",
      trackingDependencies(function* (t) {
        yield* truncateInodePage(t, F, P, 0, trunc);
        yield* unmapCowsChecked(t, mc, F, 0);
      }),
    );
    mc.checkTruncation();
    m.expect(expect);
  });
}

const NO_BARRIERS: MapcountProtocol = { increment: "atomic_inc", rmbBeforeRecheck: false, recheck: "after-inc" };
const UNORDERED_TRUNC: TruncateOrdering = { mbAfterLock: false };
const ORDERED_TRUNC: TruncateOrdering = { mbAfterLock: true };

const variant = (
  name: string,
  summary: string,
  memoryModel: Variant["memoryModel"],
  fault: MapcountProtocol,
  trunc: TruncateOrdering,
  race: boolean,
): Variant => ({
  name,
  summary,
  ...expectRace(race),
  memoryModel,
  size: "smallest",
  build: () => mapcountVsTruncate(`000-B2 ${name}`, fault, trunc, race ? "violation" : "verified"),
});

export const mapcountProtocolScenario: Scenario = {
  id: "000-B2",
  seed: "000",
  title: "Linus's mapcount/PG_locked protocol for lock-free map_pages vs truncate (store buffering)",
  invariant: PER_STEP_TRUNC,
  variants: [
    variant(
      "no-barriers",
      "Linus, 14 Oct 2020: PTL, PG_locked?, atomic_inc(mapcount), PG_locked?, re-check mapping/i_pages; truncate: lock_page (acquire), page_mapped(); no barriers: SB under LKMM",
      "lkmm",
      NO_BARRIERS,
      UNORDERED_TRUNC,
      true,
    ),
    variant("no-barriers-sc", "the same protocol without barriers under SC: the mapcount or the lock is always seen", "sc", NO_BARRIERS, UNORDERED_TRUNC, false),
    variant("no-barriers-tso", "the same protocol without barriers under x86-TSO: lock inc and lock bts are full fences", "tso", NO_BARRIERS, UNORDERED_TRUNC, false),
    variant(
      "mb-pair",
      "the barrier pair of the thread: smp_mb__after_atomic after the increment and after truncate's lock_page; the re-checks are not ordered after the PG_locked re-test (MP)",
      "lkmm",
      { ...NO_BARRIERS, increment: "atomic_inc+mb" },
      ORDERED_TRUNC,
      true,
    ),
    variant(
      "fixed",
      "the barrier pair plus smp_rmb between the PG_locked re-test and the mapping/i_pages re-check (a truncate that already unlocked is seen whole)",
      "lkmm",
      { increment: "atomic_inc+mb", rmbBeforeRecheck: true, recheck: "after-inc" },
      ORDERED_TRUNC,
      false,
    ),
    variant(
      "fixed-inc-return",
      "the same with atomic_inc_return (value-returning, fully ordered) for the increment instead of atomic_inc + smp_mb__after_atomic",
      "lkmm",
      { increment: "atomic_inc_return", rmbBeforeRecheck: true, recheck: "after-inc" },
      ORDERED_TRUNC,
      false,
    ),
    variant(
      "fault-mb-only",
      "barriers on the fault side only (smp_mb__after_atomic after the increment, smp_rmb before the re-check); truncate's lock_page stays acquire-only",
      "lkmm",
      { increment: "atomic_inc+mb", rmbBeforeRecheck: true, recheck: "after-inc" },
      UNORDERED_TRUNC,
      true,
    ),
    variant(
      "check-before-inc-sc",
      "mapping and i_pages checked only before the increment, as the RFC checked mapping: a truncate that finishes before the PG_locked test goes unseen, even under SC",
      "sc",
      { increment: "atomic_inc+mb", rmbBeforeRecheck: false, recheck: "before-inc" },
      ORDERED_TRUNC,
      true,
    ),
  ],
};

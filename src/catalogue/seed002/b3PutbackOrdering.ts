// 002-B3: the putback store-buffering race, the smp_mb() question of the seed.
//
//   putback (page P, believed mlocked)      munlock
//   spin_lock(lru_lock)
//     P onto unevictable; SetPageLRU        TestClearPageMlocked(P)   (fully ordered)
//   spin_unlock(lru_lock)                   PageLRU(P)? reads 0: leave P to its isolator
//   PageMlocked(P)? reads 1 (stale)
//   => P stranded on the unevictable list, mlocked by nobody       (I-LRU)
//
// Each side writes one flag and then reads the other's: store buffering.
// The munlock side is a value-returning RMW, so fully ordered; the putback
// side needs 6a7b95481d49's smp_mb(). Whether the outcome is reachable
// without it depends on what the model takes a "location" to be: PG_lru and
// PG_mlocked share page->flags, and per-location coherence between two RMWs
// on one word rules the outcome out (the granularity trap), so the race
// shows with one location per flag. On x86-TSO SetPageLRU is a locked
// instruction, a full fence. The truly cross-word racer is SHM_UNLOCK
// clearing AS_UNEVICTABLE in mapping->flags: under lru_lock until v5.10 (the
// lock orders it), before the lock since v5.11 (only the barrier does, and
// v5.18 deleted it).

import { model, type Expectation, type Model } from "../../program/model.ts";
import type { ThreadContext } from "../../program/threadContext.ts";
import type { Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { ANON_MAPPING, type FlagLayout, type Page } from "../../mm/page.ts";
import { Lru, NOT_LINKED, pagevecLruAddFnV511, pagevecLruAddFnV518, putbackLruPageV2631, putbackLruPageV2632, type Putback } from "../../mm/lru.ts";
import { munlockVmaPage } from "../../mm/mlock.ts";
import { shmemUnlockV2632, shmemUnlockV518 } from "../../mm/shmemLock.ts";
import { trackingDependencies } from "../../program/controlDependency.ts";
import { checkNotStranded, checkPutBack } from "./checks.ts";

/** Who puts the isolated page back: putback_lru_page() (2.6.31 / 2.6.32) or the v4.16+ LRU-add pagevec (with / without its barrier). */
export type Putter = "putback-v2.6.31" | "putback-v2.6.32" | "lru-add-v5.11" | "lru-add-v5.18";
/** Who makes the page evictable meanwhile: munlock (TestClearPageMlocked) or SHM_UNLOCK (AS_UNEVICTABLE). */
export type Racer = "munlock" | "shmem-v2.6.32" | "shmem-v5.18";

export interface PutbackRace {
  readonly putter: Putter;
  readonly racer: Racer;
  readonly layout: FlagLayout;
  /** Pages both threads handle, in order (the larger variant has 2). */
  readonly pages?: number;
}

export function putbackRace(o: PutbackRace, expect: Expectation): Model {
  const n = o.pages ?? 1;
  return model(`002-B3 ${o.putter} vs ${o.racer} (${o.layout} flags${n > 1 ? `, ${n} pages` : ""})`, (m) => {
    const mc = new Machine(m, { flags: o.layout });
    // The page stays mapped and cannot be freed: isolation's reference is left
    // out. Its evictability flips once, so rescuing it can be one section.
    const lru = new Lru(m, { pageRefs: false, foldRescue: true });
    const shmem = o.racer !== "munlock";
    // Each page is isolated by the putter (PG_lru clear, its reference held):
    // mlocked when munlock races, in an SHM_LOCKed segment when SHM_UNLOCK
    // does (only that segment's mapping->flags is modelled, not page->mapping).
    const pages: Page[] = Array.from({ length: n }, (_, i) =>
      mc.page(n === 1 ? "P" : `P${i}`, { flags: shmem ? [] : ["mlocked"], mapping: shmem ? undefined : ANON_MAPPING, refcount: 2, mapcount: 1 }),
    );
    for (const p of pages) lru.manage(p, NOT_LINKED);
    const asUnevictable = shmem ? lru.unevictableMapping("shm", true, pages) : undefined;

    const putback: Putback = o.putter === "putback-v2.6.31" ? putbackLruPageV2631 : putbackLruPageV2632;
    m.thread(
      o.putter.startsWith("putback") ? "putback" : "lru_add",
      trackingDependencies(function* (t: ThreadContext) {
        for (const p of pages) {
          if (o.putter.startsWith("putback")) yield* putback(t, lru, p);
          else if (o.putter === "lru-add-v5.11") yield* pagevecLruAddFnV511(t, lru, p);
          else yield* pagevecLruAddFnV518(t, lru, p);
        }
      }),
    );
    m.thread(
      shmem ? "shm_unlock" : "munlock",
      trackingDependencies(function* (t: ThreadContext) {
        if (o.racer === "munlock") for (const p of pages) yield* munlockVmaPage(t, lru, p, putback);
        else if (o.racer === "shmem-v2.6.32") yield* shmemUnlockV2632(t, lru, asUnevictable!, pages);
        else yield* shmemUnlockV518(t, lru, asUnevictable!, pages);
      }),
    );
    checkNotStranded(m, lru, pages);
    checkPutBack(m, pages);
    m.expect(expect);
  });
}

const lkmm = { memoryModel: "lkmm", size: "smallest" } as const;
const race = (v: Omit<Variant, "build" | "expect" | "raceKind">, o: PutbackRace): Variant => ({
  ...v,
  expect: "race",
  raceKind: "invariant",
  build: () => putbackRace(o, "violation"),
});
const verified = (v: Omit<Variant, "build" | "expect" | "raceKind">, o: PutbackRace): Variant => ({
  ...v,
  expect: "verified",
  build: () => putbackRace(o, "verified"),
});

export const b3Variants: readonly Variant[] = [
  race(
    { ...lkmm, name: "buggy", summary: "putback_lru_page() of v2.6.31 (no barrier) vs TestClearPageMlocked, one location per flag: the SB outcome strands P" },
    { putter: "putback-v2.6.31", racer: "munlock", layout: "split" },
  ),
  verified(
    { ...lkmm, name: "fixed", summary: "6a7b95481d49 \"vmscan: order evictable rescue in LRU putback\" (v2.6.32): smp_mb() between SetPageLRU and the PageMlocked re-check" },
    { putter: "putback-v2.6.32", racer: "munlock", layout: "split" },
  ),
  verified(
    { ...lkmm, name: "buggy-word-flags", summary: "the v2.6.31 code with page->flags as one word: per-location coherence of the two RMWs hides the race (the granularity trap)" },
    { putter: "putback-v2.6.31", racer: "munlock", layout: "word" },
  ),
  verified(
    { ...lkmm, memoryModel: "tso", name: "buggy-tso", summary: "the v2.6.31 code on x86-TSO, one location per flag: SetPageLRU is a locked instruction, a full fence" },
    { putter: "putback-v2.6.31", racer: "munlock", layout: "split" },
  ),
  verified(
    { ...lkmm, name: "shmem-v2.6.32", summary: "SHM_UNLOCK (shmem_lock, v2.6.32) vs putback without the barrier: scan_mapping_unevictable_pages tests PG_lru under lru_lock, which orders them" },
    { putter: "putback-v2.6.31", racer: "shmem-v2.6.32", layout: "word" },
  ),
  race(
    { ...lkmm, name: "shmem-v5.18", summary: "SHM_UNLOCK vs __pagevec_lru_add_fn after v5.18 deleted its barrier: check_move_unevictable_pages tests PG_lru before lru_lock (v5.11+), a cross-word SB" },
    { putter: "lru-add-v5.18", racer: "shmem-v5.18", layout: "word" },
  ),
  verified(
    { ...lkmm, name: "shmem-v5.11", summary: "the same with v5.11–v5.17's smp_mb__after_atomic() after SetPageLRU in __pagevec_lru_add_fn" },
    { putter: "lru-add-v5.11", racer: "shmem-v5.18", layout: "word" },
  ),
  verified(
    { ...lkmm, size: "larger", name: "fixed-2-pages", summary: "6a7b95481d49 with two pages put back and munlocked by the same two threads" },
    { putter: "putback-v2.6.32", racer: "munlock", layout: "split", pages: 2 },
  ),
];

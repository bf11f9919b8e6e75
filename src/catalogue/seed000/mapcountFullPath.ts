// 000-B2 on whole paths: Linus's lock-free map_pages (the whole
// filemap_map_pages of his proposal: RCU walk of i_pages, speculative
// reference, the PTL for the batch, the PG_locked / mapcount / PG_locked
// protocol, put_page when it backs out) against a whole truncate(2) to size
// 0 (inode lock, i_size_write, unmap_mapping_range, truncate_inode_pages
// with its find_get_page reference and page lock, the second unmap pass,
// inode unlock). The cut-down variants (mapcountProtocol.ts) start both
// threads in the middle; these show that nothing the rest of each path does
// orders the two halves of the store-buffering pair, nor breaks the fix.
//
// As in the cut-down model, the last unmap pass checks I-TRUNC's per-step
// form: a pte that maps a page truncate_inode_pages already removed (having
// seen it unmapped under its lock) is the protocol failing, even though that
// pass then zaps it and the final state looks clean.

import { model, type Model } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { expectRace, type Variant } from "../scenario.ts";
import { smpMbAfterAtomic } from "../../kernel/barriers.ts";
import { downWrite, upWrite } from "../../kernel/rwsem.ts";
import { spinLock, spinUnlock } from "../../kernel/spinlock.ts";
import { Machine } from "../../mm/machine.ts";
import type { AddressSpace } from "../../mm/addressSpace.ts";
import { filemapMapPagesMapcount, type MapcountProtocol } from "../../mm/faultAround.ts";
import { deleteFromPageCache, findGetPage, lockPage, unlockPage } from "../../mm/pageCache.ts";
import { putPage } from "../../mm/pageRef.ts";
import { ptepGetAndClear, pageRemoveRmap, tlbFinishMmu, type ZapVma } from "../../mm/pageTable.ts";
import { ptePageId } from "../../mm/pte.ts";
import { ANON_MAPPING, type Page } from "../../mm/page.ts";
import { PTE_NONE } from "../../mm/vma.ts";
import { unmapMappingRange } from "../../mm/truncate.ts";
import { branchOn, trackingDependencies } from "../../program/controlDependency.ts";
import { PER_STEP_TRUNC, type TruncateOrdering } from "./truncateChecked.ts";

/**
 * zap_pte_range for truncate_pagecache's last pass, with the per-step
 * I-TRUNC check on each present pte before it is cleared: it may map only an
 * anonymous COW copy or a page still in this file.
 */
function checkedZap(mc: Machine, f: AddressSpace): ZapVma {
  return function* (t, v, from, to) {
    const freed: Page[] = [];
    yield* spinLock(t, v.ptl);
    for (let i = from; i < Math.min(to, v.pte.length); i++) {
      const pte = yield* branchOn(t, t.read(v.pte[i]!, "once"));
      if (pte === PTE_NONE) continue;
      const p = mc.pageById(ptePageId(pte));
      if (p === undefined) continue;
      const mapping = yield* branchOn(t, t.read(p.mapping, "once"));
      t.assert(
        mapping === ANON_MAPPING || mapping === f.id,
        `${PER_STEP_TRUNC}: a pte maps ${p.name}, which truncate_inode_pages found unmapped under its page lock and removed`,
      );
      yield* ptepGetAndClear(t, v, i);
      yield* pageRemoveRmap(t, p);
      freed.push(p);
    }
    yield* spinUnlock(t, v.ptl);
    yield* tlbFinishMmu(t, freed);
  };
}

/**
 * truncate_inode_pages_range, v2.6.23–v5.x, for the protocol: find_get_page,
 * lock_page, (smp_mb__after_atomic, the truncate half of the barrier pair),
 * skip the page if it left the file, unmap it if page_mapped(), delete it,
 * unlock, put. The tests are the kernel's `if`s, so what follows them is
 * control-dependent on their reads (branchOn).
 */
function* truncateInodePagesOrdered(t: ThreadContext, mc: Machine, f: AddressSpace, order: TruncateOrdering): Access<void> {
  for (let i = 0; i < f.iPages.length; i++) {
    t.step(`truncate_inode_pages: index ${i}`);
    const p = yield* branchOn(t, findGetPage(t, mc, f, i));
    if (p === undefined) continue;
    t.step(`truncate_inode_pages: lock_page(${p.name})`);
    yield* lockPage(t, p);
    if (order.mbAfterLock) yield* smpMbAfterAtomic(t);
    if ((yield* branchOn(t, t.read(p.mapping, "once"))) === f.id) {
      t.step(`truncate_inode_pages: page_mapped(${p.name})?`);
      if ((yield* branchOn(t, t.read(p.mapcount, "once"))) > 0) {
        t.step(`truncate_inode_pages: ${p.name} mapped: unmap_mapping_range(${i})`);
        yield* unmapMappingRange(t, mc, f, i, i + 1, { evenCows: false });
      }
      t.step(`truncate_inode_pages: delete_from_page_cache(${p.name})`);
      yield* deleteFromPageCache(t, f, p, i);
    }
    t.step(`truncate_inode_pages: unlock_page(${p.name})`);
    yield* branchOn(t, unlockPage(t, p)); // the model's unlock_page branches on the bit it cleared (bad-unlock check)
    yield* putPage(t, p);
  }
}

/** do_truncate → truncate_setsize → truncate_pagecache to size 0, the last unmap pass checked. */
function* truncateWhole(t: ThreadContext, mc: Machine, f: AddressSpace, order: TruncateOrdering): Access<void> {
  t.step("inode_lock");
  yield* downWrite(t, f.iRwsem);
  t.step("i_size_write(0)");
  yield* t.write(f.iSize, 0, "once", undefined, "i_size = 0");
  t.step("truncate_pagecache: unmap_mapping_range(even_cows)");
  yield* unmapMappingRange(t, mc, f, 0, f.iPages.length, { evenCows: true });
  yield* truncateInodePagesOrdered(t, mc, f, order);
  t.step("truncate_pagecache: unmap_mapping_range again (COW copies)");
  yield* unmapMappingRange(t, mc, f, 0, f.iPages.length, { evenCows: true }, checkedZap(mc, f));
  t.step("inode_unlock");
  yield* upWrite(t, f.iRwsem);
}

export interface FullPathConfig {
  readonly fault: MapcountProtocol;
  readonly trunc: TruncateOrdering;
  /** Cached pages of F, all faulted around by one map_pages call (default 1). */
  readonly pages?: number;
}

/** One file F of `pages` cached pages (i_size covering them), one private VMA M mapping none; map_pages over all of it vs truncate to 0. */
export function mapcountFullPath(name: string, c: FullPathConfig, expect: "violation" | "verified"): Model {
  const n = c.pages ?? 1;
  return model(name, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: n, slots: n, cached: Array.from({ length: n }, (_, index) => ({ index })) });
    const M = mc.vma("M", mc.mm(), F, { shared: false });
    m.thread(
      "fault",
      trackingDependencies(function* (t) {
        return { mapped: yield* filemapMapPagesMapcount(t, mc, M, 0, n, c.fault) };
      }),
    );
    m.thread(
      "trunc",
      trackingDependencies(function* (t) {
        yield* truncateWhole(t, mc, F, c.trunc);
      }),
    );
    // The witness: the fault does map a page in some execution.
    m.exists("the fault maps a page", (s) => (s.result("fault")?.mapped ?? 0) !== 0);
    mc.checkTruncation();
    mc.checkFree();
    m.expect(expect);
  });
}

const NO_BARRIERS: MapcountProtocol = { increment: "atomic_inc", rmbBeforeRecheck: false, recheck: "after-inc" };
const FIXED: MapcountProtocol = { increment: "atomic_inc+mb", rmbBeforeRecheck: true, recheck: "after-inc" };

const variant = (name: string, summary: string, memoryModel: Variant["memoryModel"], c: FullPathConfig, race: boolean): Variant => ({
  name,
  summary,
  ...expectRace(race),
  memoryModel,
  size: "smallest",
  build: () => mapcountFullPath(`000-B2 ${name}`, c, race ? "violation" : "verified"),
});

/** The whole-path variants of 000-B2 (registered with the cut-down ones in mapcountProtocol.ts's scenario). */
export const mapcountFullPathVariants: readonly Variant[] = [
  variant(
    "full-no-barriers",
    "whole paths: Linus's filemap_map_pages (RCU walk, speculative ref, PTL, protocol without barriers) vs truncate(0) (i_size, unmap, truncate_inode_pages, unmap): SB under LKMM",
    "lkmm",
    { fault: NO_BARRIERS, trunc: { mbAfterLock: false } },
    true,
  ),
  variant("full-no-barriers-sc", "whole paths, no barriers, under SC: the mapcount or the lock is always seen", "sc", { fault: NO_BARRIERS, trunc: { mbAfterLock: false } }, false),
  variant("full-no-barriers-tso", "whole paths, no barriers, under x86-TSO: the locked RMWs are full fences", "tso", { fault: NO_BARRIERS, trunc: { mbAfterLock: false } }, false),
  variant(
    "full-mb-pair",
    "whole paths with the barrier pair but no smp_rmb before the re-check: the message-passing hole stays",
    "lkmm",
    { fault: { ...FIXED, rmbBeforeRecheck: false }, trunc: { mbAfterLock: true } },
    true,
  ),
  variant("full-fixed", "whole paths with the barrier pair and smp_rmb before the mapping/i_pages re-check", "lkmm", { fault: FIXED, trunc: { mbAfterLock: true } }, false),
  variant(
    "full-fault-mb-only",
    "whole paths, barriers on the fault side only: truncate's lock_page stays acquire-only, SB remains",
    "lkmm",
    { fault: FIXED, trunc: { mbAfterLock: false } },
    true,
  ),
];


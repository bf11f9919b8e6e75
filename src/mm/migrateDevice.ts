// Migration to device memory (mm/migrate_device.c, HMM's migrate_vma):
// migrate_vma_setup walks the range and, in migrate_vma_collect_pmd,
// replaces each present pte whose page it can lock by a migration entry
// at once, under the PTL, keeping a reference of its own on the page;
// the copy to the device and the new ptes come later (migrate_vma_pages,
// migrate_vma_finalize).
//
// Clearing a present pte leaves a stale translation in the TLBs of the CPUs
// running the mm until flush_tlb_range. From 8c3328f1f36a (v4.14) the
// flush came after pte_unmap_unlock: a munmap or madvise(MADV_DONTNEED)
// taking the PTL in between found a migration entry, which zap_pte_range
// clears without flushing (there is no page to free), and returned while a
// CPU could still reach the page through its TLB. In v5.19 that held only
// for pages that are not PageAnonExclusive (page-cache pages, anonymous
// pages shared since a fork): 6c287605fd56 ("mm: remember exclusively
// mapped anonymous pages with PG_anon_exclusive") clears an exclusive
// anonymous page's pte with ptep_clear_flush, under the PTL, before it
// tries to make the page shared. The model has no PG_anon_exclusive: for
// such a page in v5.19 the flush is where "under-ptl" puts it.
// 60bae7370896 ("mm/migrate_device.c: flush TLB while holding PTL", v6.0)
// flushes every cleared pte before the PTL is dropped; it went in with
// fd35ca3d12cc ("mm/migrate_device.c: copy pte dirty bit to page", v6.0),
// which carries a dirty pte's bit into the page's PG_dirty (before it the
// bit was lost with the pte, and a page written through it could be
// dropped as clean), and the "under-ptl" variant does both.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { setBit } from "../kernel/bitops.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { trylockPage, unlockPage } from "./pageCache.ts";
import { getPage, putPage } from "./pageRef.ts";
import { pageRemoveRmap, ptepGetAndClear } from "./pageTable.ts";
import { removeMigrationPtes } from "./migrate.ts";
import { makeMigrationEntryPte, pteDirty, ptePageId, ptePresent, pteWrite } from "./pte.ts";
import { flushTlbRange } from "./tlb.ts";
import type { Vma } from "./vma.ts";

/** Where migrate_vma_collect_pmd flushes the TLB for the ptes it cleared, and whether it keeps their dirty bits. */
export type CollectFlush =
  /**
   * 8c3328f1f36a (v4.14)–v5.18, and v5.19 for a page that is not
   * PageAnonExclusive: after pte_unmap_unlock; a dirty pte's bit is lost.
   */
  | "after-unlock"
  /** 60bae7370896 with fd35ca3d12cc (v6.0): before pte_unmap_unlock, and a dirty pte's bit goes into PG_dirty. */
  | "under-ptl";

/**
 * migrate_vma_collect_pmd(), v5.x–v6.x, for [from, to) of `v`: under the
 * PTL, for each present pte: take a reference on its page and trylock it;
 * if that works, ptep_get_and_clear (and, with "under-ptl", the cleared
 * pte's dirty bit into PG_dirty, fd35ca3d12cc), set_pte_at a migration entry,
 * page_remove_rmap and drop the pte's reference (the page stays, locked,
 * with the collector's reference); if the lock is taken, drop the
 * reference and skip the page. Then flush the range if a present pte was
 * cleared, where `flush` says. Returns the pages collected, locked and
 * referenced, for the caller to migrate or restore.
 */
export function* migrateVmaCollectPmd(t: ThreadContext, mc: Machine, v: Vma, from: number, to: number, flush: CollectFlush): Access<Page[]> {
  const collected: Page[] = [];
  t.step(`migrate_vma_collect_pmd(${v.name}, [${from}, ${to})): pte_offset_map_lock`);
  yield* spinLock(t, v.ptl);
  for (let i = from; i < Math.min(to, v.pte.length); i++) {
    const pte = yield* t.read(v.pte[i]!, "once");
    if (!ptePresent(pte)) continue;
    const p = mc.pageById(ptePageId(pte));
    if (p === undefined) continue;
    yield* getPage(t, p);
    if (!(yield* trylockPage(t, p))) {
      yield* putPage(t, p);
      continue;
    }
    t.step(`migrate_vma_collect_pmd: ${v.name}[${i}] := migration entry for ${p.name}`);
    const cleared = yield* ptepGetAndClear(t, v, i);
    // fd35ca3d12cc: the dirty bit leaves with the pte; keep it on the page.
    if (flush === "under-ptl" && pteDirty(cleared)) yield* setBit(t, p.flag("dirty"));
    yield* t.write(v.pte[i]!, makeMigrationEntryPte(p.id, pteWrite(pte)), "once", undefined, `set_pte_at(${v.name}, ${i}) := migration entry for ${p.name}`);
    yield* pageRemoveRmap(t, p);
    yield* putPage(t, p);
    collected.push(p);
  }
  if (collected.length > 0 && flush === "under-ptl") {
    t.step(`migrate_vma_collect_pmd: flush_tlb_range under the PTL`);
    yield* flushTlbRange(t, v, from, to);
  }
  yield* spinUnlock(t, v.ptl);
  if (collected.length > 0 && flush === "after-unlock") {
    t.step(`migrate_vma_collect_pmd: flush_tlb_range after pte_unmap_unlock`);
    yield* flushTlbRange(t, v, from, to);
  }
  return collected;
}

/**
 * migrate_vma_finalize(), v5.x–v6.x, for pages `migrateVmaCollectPmd`
 * collected from [from, to) of `v` and that did not move (the driver gave
 * no destination, or the range was zapped meanwhile): each migration entry
 * still there maps its page again (remove_migration_ptes), then the page
 * is unlocked and the collector's reference dropped, which frees a page
 * nothing maps any more.
 */
export function* migrateVmaFinalize(t: ThreadContext, mc: Machine, v: Vma, from: number, to: number, pages: readonly Page[]): Access<void> {
  const slots = [...Array(Math.max(0, Math.min(to, v.pte.length) - from)).keys()].map((k) => ({ vma: v, index: from + k }));
  for (const p of pages) {
    t.step(`migrate_vma_finalize(${p.name})`);
    yield* removeMigrationPtes(t, mc, p, p, slots);
    yield* unlockPage(t, p);
    yield* putPage(t, p);
  }
}

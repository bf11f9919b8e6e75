// Page migration (mm/migrate.c, mm/rmap.c), as migrate_pages → unmap_and_move
// → __unmap_and_move run it in v5.16–v6.2 (try_to_migrate, which
// a98a2f0c8ce1, v5.14, split out of try_to_unmap; before v5.14 the same
// steps were try_to_unmap(TTU_MIGRATION)): with the old page
// isolated (the caller's reference) and locked, every pte mapping it is
// replaced by a migration entry under its PTL; once nothing maps it, its
// page-cache slot (if any) moves to the new page under xa_lock with the
// old page's count frozen at the expected value (folio_ref_freeze), so
// that any reference nobody accounted for makes the pass fail (-EAGAIN);
// the data is copied; remove_migration_ptes turns each migration entry
// into a pte mapping the new page (or the old one again, if the move
// failed); both pages are unlocked, and the isolation reference of the old
// page, its last, goes. Faults meanwhile wait (migrationEntry.ts).
//
// The old page's lock is only tried (trylock_page) on the first passes: a
// page someone else holds locked fails the pass with -EAGAIN, and only
// from the fourth pass on (`force`: migrate_pages counts passes from 0 and
// forces those after the third) does a migration that may sleep
// (any mode but MIGRATE_ASYNC) wait for it in lock_page.
//
// Left out: the LRU lists (putback is the reference it drops), writeback
// (a page under writeback is waited for first), buffer heads and
// PagePrivate (which add to the expected count), THPs, and the anon_vma
// lock of the rmap walk of an anonymous page (nothing modelled here races
// on it). The rmap walk of a file page takes i_mmap_rwsem for read.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { downRead, upRead } from "../kernel/rwsem.ts";
import { refFreeze, refUnfreeze } from "../kernel/refcount.ts";
import { setBit, testBit } from "../kernel/bitops.ts";
import { smpWmb } from "../kernel/barriers.ts";
import type { Machine } from "./machine.ts";
import { ANON_MAPPING, NO_MAPPING, type Page } from "./page.ts";
import { allocPage, type PageAllocator } from "./pageAlloc.ts";
import { lockPage, trylockPage, unlockPage } from "./pageCache.ts";
import { getPage, putPage } from "./pageRef.ts";
import { pageAddRmap, pageRemoveRmap, ptepGetAndClear } from "./pageTable.ts";
import { copyPageData } from "./pageData.ts";
import { isMigrationEntryPte, isWritableMigrationEntry, makeMigrationEntryPte, migrationEntryPageId, mkPte, pteDirty, ptePageId, ptePresent, pteWrite } from "./pte.ts";
import { flushTlbRange } from "./tlb.ts";
import type { Vma } from "./vma.ts";

/** One pte an rmap walk visits: the address `index` of `vma`. */
export interface PteSlot {
  readonly vma: Vma;
  readonly index: number;
}

/**
 * The ptes rmap_walk_file visits for a page of a file: every VMA of the
 * page's file (i_mmap) at the page's index, as the model declared them.
 * An anonymous page's (rmap_walk_anon) the caller names.
 */
export function fileRmap(mc: Machine, p: Page): PteSlot[] {
  const mapping = mc.m.initialValue(p.mapping) as number;
  const file = mapping > 0 ? mc.files[mapping - 1] : undefined;
  if (file === undefined) throw new Error(`fileRmap: ${p.name} is not a page of a file; name the ptes that may map it (rmap)`);
  const index = mc.m.initialValue(p.index) as number;
  return file.vmas.map((vma) => ({ vma, index }));
}

/**
 * The page starts isolated for migration, as the callers of migrate_pages
 * leave it (isolate_lru_page / folio_isolate_lru, v5.x–v6.x): one more
 * reference, the one the migration drops at its end. Call while building the model.
 */
export function isolatedForMigration(mc: Machine, p: Page): void {
  mc.m.initialize(p.refcount, (mc.m.initialValue(p.refcount) as number) + 1);
}

/** What try_to_migrate leaves in place of a pte mapping the page. */
export type MigrationUnmap =
  /** A migration entry (0697212a411c, v2.6.18, and every kernel since): a fault on it waits for the migration. */
  | "migration-entry"
  /** Counterfactual: pte_none, as an unmap would leave it; a fault then finds no page and makes one (an anonymous page's data is lost). */
  | "clear";

export interface MigrateOptions {
  /** The ptes that may map the page (default: fileRmap, for a page of a file). */
  readonly rmap?: readonly PteSlot[];
  /** Default: "migration-entry". */
  readonly unmap?: MigrationUnmap;
  /** migrate_pages's passes over a page that keeps failing with -EAGAIN (the kernel makes 10; default 1). */
  readonly passes?: number;
  /** The migrate_mode (default "sync"): whether a forced pass may sleep on the old page's lock. */
  readonly mode?: MigrateMode;
}

/** enum migrate_mode, as __unmap_and_move reads it for the old page's lock. */
export type MigrateMode =
  /** MIGRATE_ASYNC (compaction's first tries): never sleeps; a locked page fails every pass. */
  | "async"
  /** MIGRATE_SYNC_LIGHT: may sleep on the page lock once the pass is forced. */
  | "sync-light"
  /** MIGRATE_SYNC (move_pages, memory hot-remove, NUMA policy): may sleep on the page lock once the pass is forced. */
  | "sync";

/** The first pass, counting from 1, that migrate_pages forces (its own count starts at 0 and forces pass > 2). */
export const FORCE_FROM_PASS = 4;

/** How one pass of unmap_and_move ended. */
export type MigrateResult =
  /** MIGRATEPAGE_SUCCESS: the new page took the old one's place; the old page is freed. */
  | "success"
  /** -EAGAIN: a reference nobody accounted for (or a moved slot) made the move fail; the old page is mapped again, still isolated. */
  | "again"
  /** -ENOMEM: no new page. */
  | "nomem";

/**
 * try_to_migrate() → try_to_migrate_one() (a98a2f0c8ce1, v5.14; modelled as
 * in v5.16–v6.2), page locked: for
 * each pte in `rmap` that maps `p`, under its PTL, ptep_clear_flush (the
 * TLB entries go before the PTL does), carry a dirty bit into PG_dirty,
 * set_pte_at the migration entry (writable if the pte was),
 * page_remove_rmap, and drop the reference the pte held. Returns how many
 * ptes it replaced. `unmap: "clear"` leaves pte_none instead (a counterfactual).
 */
export function* tryToMigrate(t: ThreadContext, mc: Machine, p: Page, rmap: readonly PteSlot[], unmap: MigrationUnmap = "migration-entry"): Access<number> {
  let replaced = 0;
  yield* rmapWalk(t, mc, p, rmap, function* (slot) {
    const { vma: v, index: i } = slot;
    t.step(`try_to_migrate_one(${p.name}, ${v.name}[${i}])`);
    yield* spinLock(t, v.ptl);
    const pte = yield* t.read(v.pte[i]!, "once");
    if (ptePresent(pte) && ptePageId(pte) === p.id) {
      yield* ptepGetAndClear(t, v, i);
      yield* flushTlbRange(t, v, i, i + 1);
      if (pteDirty(pte)) yield* setBit(t, p.flag("dirty"));
      if (unmap === "migration-entry") {
        const entry = makeMigrationEntryPte(p.id, pteWrite(pte));
        yield* t.write(v.pte[i]!, entry, "once", undefined, `set_pte_at(${v.name}, ${i}) := migration entry for ${p.name}`);
      }
      yield* pageRemoveRmap(t, p);
      yield* putPage(t, p);
      replaced++;
    }
    yield* spinUnlock(t, v.ptl);
  });
  return replaced;
}

/**
 * migrate_page_move_mapping() / folio_migrate_mapping(), v5.x–v6.x, both
 * pages locked, nothing mapping `src`: the expected count is the isolation
 * reference plus the page cache's. An anonymous page (no mapping) only has
 * its count compared. A page of a file has, under xa_lock, its slot
 * checked and its count frozen at the expected value (folio_ref_freeze);
 * then `dst` gets the mapping, index and the page cache's reference, the
 * slot points to `dst`, and `src` is unfrozen to the expected count less
 * the page cache's reference. Returns false (-EAGAIN) if the count was not
 * the expected one.
 */
export function* migratePageMoveMapping(t: ThreadContext, mc: Machine, dst: Page, src: Page): Access<boolean> {
  t.step(`migrate_page_move_mapping(${src.name} -> ${dst.name})`);
  const mapping = yield* t.read(src.mapping, "once");
  const index = yield* t.read(src.index, "once");
  const file = mapping > 0 ? mc.files[mapping - 1] : undefined;
  if (file === undefined) {
    const expected = 1;
    if ((yield* t.read(src.refcount, "once")) !== expected) return false;
    yield* t.write(dst.index, index, "once", undefined, `${dst.name}.index = ${index}`);
    yield* t.write(dst.mapping, mapping === ANON_MAPPING ? ANON_MAPPING : NO_MAPPING, "once", undefined, `${dst.name}.mapping = ${src.name}'s`);
    return true;
  }
  const expected = 2;
  const slot = file.iPages[index]!;
  yield* spinLock(t, file.xaLock);
  if ((yield* t.read(slot, "once")) !== src.id || !(yield* refFreeze(t, src.refcount, expected))) {
    yield* spinUnlock(t, file.xaLock);
    return false;
  }
  yield* t.write(dst.index, index, "once", undefined, `${dst.name}.index = ${index}`);
  yield* t.write(dst.mapping, file.id, "once", undefined, `${dst.name}.mapping = ${file.name}`);
  yield* getPage(t, dst); // the page cache's reference
  yield* t.write(slot, dst.id, "once", undefined, `xas_store(${file.name}.i_pages[${index}]) := ${dst.name}`);
  yield* refUnfreeze(t, src.refcount, expected - 1);
  yield* spinUnlock(t, file.xaLock);
  return true;
}

/**
 * folio_migrate_copy() (migrate_page_copy before v5.16): the data
 * (copy_highpage), then the flags that carry over (folio_migrate_flags).
 * PG_uptodate is set with folio_mark_uptodate, whose smp_wmb orders the
 * copy before it and before every later store, the new ptes among them:
 * a CPU whose walk finds a new pte reads the copied data.
 */
export function* migratePageCopy(t: ThreadContext, dst: Page, src: Page): Access<void> {
  t.step(`migrate_page_copy(${src.name} -> ${dst.name})`);
  yield* copyPageData(t, dst, src);
  if (yield* testBit(t, src.flag("uptodate"))) {
    yield* smpWmb(t);
    yield* setBit(t, dst.flag("uptodate"));
  }
  if (yield* testBit(t, src.flag("dirty"))) yield* setBit(t, dst.flag("dirty"));
}

/**
 * remove_migration_ptes() → remove_migration_pte(), v5.x–v6.x: for each
 * pte in `rmap` that holds a migration entry for `src`, under its PTL, map
 * `dst` instead (writable if the entry was), with its rmap and a
 * reference. `dst` is the new page after a move, `src` itself after a
 * failed one.
 */
export function* removeMigrationPtes(t: ThreadContext, mc: Machine, src: Page, dst: Page, rmap: readonly PteSlot[]): Access<void> {
  yield* rmapWalk(t, mc, src, rmap, function* (slot) {
    const { vma: v, index: i } = slot;
    t.step(`remove_migration_pte(${v.name}[${i}]) -> ${dst.name}`);
    yield* spinLock(t, v.ptl);
    const pte = yield* t.read(v.pte[i]!, "once");
    if (isMigrationEntryPte(pte) && migrationEntryPageId(pte) === src.id) {
      yield* getPage(t, dst);
      yield* t.write(v.pte[i]!, mkPte(dst.id, { write: isWritableMigrationEntry(pte) }), "once", undefined, `set_pte_at(${v.name}, ${i}) := ${dst.name}`);
      yield* pageAddRmap(t, dst);
    }
    yield* spinUnlock(t, v.ptl);
  });
}

/**
 * unmap_and_move() → __unmap_and_move(), v5.16–v6.2, one pass over the
 * isolated page `p`, the `pass`-th (from 1): if the isolation reference is
 * the last, the page was freed under the migration and is done. Otherwise
 * allocate the new page; trylock_page the old page, and if someone holds
 * it, sleep in lock_page only on a forced pass (`pass` >= FORCE_FROM_PASS)
 * of a mode other than MIGRATE_ASYNC, else give the pass up (-EAGAIN, the
 * new page freed); lock the new one; if
 * mapped, try_to_migrate; if nothing maps it now, move the mapping and
 * copy; remove_migration_ptes towards the new page or back to the old one;
 * unlock both. On success the old page's isolation reference goes (freeing
 * it) and the new page is put back (its allocation reference goes: the
 * page cache and the ptes hold it). On failure the new page is freed and
 * the old one stays isolated for another pass.
 */
export function* unmapAndMove(t: ThreadContext, mc: Machine, alloc: PageAllocator, p: Page, opts: MigrateOptions = {}, pass = 1): Access<MigrateResult> {
  t.step(`unmap_and_move(${p.name})`);
  if ((yield* t.read(p.refcount, "once")) === 1) {
    t.step(`unmap_and_move(${p.name}): freed from under us`);
    yield* putPage(t, p);
    return "success";
  }
  const rmap = opts.rmap ?? fileRmap(mc, p);
  const dst = yield* allocPage(t, alloc);
  if (dst === undefined) return "nomem";
  t.step(`__unmap_and_move(${p.name} -> ${dst.name}): trylock_page`);
  if (!(yield* trylockPage(t, p))) {
    const force = pass >= FORCE_FROM_PASS;
    if (!force || (opts.mode ?? "sync") === "async") {
      t.step(`__unmap_and_move(${p.name}): locked by someone else, -EAGAIN, free ${dst.name}`);
      yield* putPage(t, dst);
      return "again";
    }
    t.step(`__unmap_and_move(${p.name}): forced pass, lock_page`);
    yield* lockPage(t, p);
  }
  yield* lockPage(t, dst); // trylock_page(newpage): nobody else can see it yet
  const wasMapped = (yield* t.read(p.mapcount, "once")) > 0;
  if (wasMapped) yield* tryToMigrate(t, mc, p, rmap, opts.unmap ?? "migration-entry");
  let moved = false;
  if ((yield* t.read(p.mapcount, "once")) === 0) {
    // move_to_new_page → migrate_page: the mapping first, then the copy.
    moved = yield* migratePageMoveMapping(t, mc, dst, p);
    if (moved) {
      yield* migratePageCopy(t, dst, p);
      const mapping = yield* t.read(p.mapping, "once");
      if (mapping > 0) yield* t.write(p.mapping, NO_MAPPING, "once", undefined, `${p.name}.mapping = NULL`);
    }
  }
  if (wasMapped) yield* removeMigrationPtes(t, mc, p, moved ? dst : p, rmap);
  yield* unlockPage(t, dst);
  yield* unlockPage(t, p);
  if (moved) {
    t.step(`unmap_and_move(${p.name}): success, put the old page and put back ${dst.name}`);
    yield* putPage(t, p);
    yield* putPage(t, dst);
    return "success";
  }
  t.step(`unmap_and_move(${p.name}): -EAGAIN, free ${dst.name}`);
  yield* putPage(t, dst);
  return "again";
}

/**
 * migrate_pages(), v5.16–v6.2, for one isolated page: unmap_and_move up
 * to `passes` times while it fails with -EAGAIN, forcing from the fourth
 * pass on (the kernel's 0-based pass > 2); a page that never moved
 * is put back (its isolation reference dropped). Returns the last pass's
 * result and how many passes ran.
 */
export function* migratePages(t: ThreadContext, mc: Machine, alloc: PageAllocator, p: Page, opts: MigrateOptions = {}): Access<{ result: MigrateResult; passes: number }> {
  const passes = opts.passes ?? 1;
  let result: MigrateResult = "again";
  let pass = 0;
  while (pass < passes && result === "again") {
    pass++;
    t.step(`migrate_pages(${p.name}): pass ${pass}`);
    result = yield* unmapAndMove(t, mc, alloc, p, opts, pass);
  }
  if (result !== "success") {
    t.step(`putback_movable_pages(${p.name})`);
    yield* putPage(t, p);
  }
  return { result, passes: pass };
}

/** rmap_walk for `p` over `rmap`: a page of a file's walk holds i_mmap_rwsem for read. */
function* rmapWalk(t: ThreadContext, mc: Machine, p: Page, rmap: readonly PteSlot[], one: (slot: PteSlot) => Access<void>): Access<void> {
  const mapping = mc.m.initialValue(p.mapping) as number;
  const file = mapping > 0 ? mc.files[mapping - 1] : undefined;
  if (file !== undefined) yield* downRead(t, file.iMmapRwsem);
  for (const slot of rmap) yield* one(slot);
  if (file !== undefined) yield* upRead(t, file.iMmapRwsem);
}

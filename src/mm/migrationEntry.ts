// The fault side of page migration (mm/migrate.c, mm/filemap.c): a fault
// that finds a migration entry where the pte was waits until the migration
// ends (the migrating page is locked from before its ptes became migration
// entries until after remove_migration_ptes replaced them), then returns,
// and the access faults again on whatever the pte holds by then.
//
// How the waiter keeps the page it sleeps on from going away changed:
// - v2.6.18 (0697212a411c) to v2.6.26: a plain get_page under the PTL,
//   held across wait_on_page_locked (not modelled: nothing froze the count
//   before the lockless page cache);
// - from v2.6.27 to v4.20: get_page_unless_zero under the PTL instead (a
//   page whose count migration froze at 0 is left alone and the fault
//   retried). v2.6.27 is where the lockless page cache (e286781d5f2e, "mm:
//   speculative page references") made migration freeze the count, and
//   the change is usually credited to that commit; the wait's own fix
//   ("migration_entry_wait fix", KAMEZAWA Hiroyuki) was posted to -mm
//   against it during 2.6.26-rc, and whether it reached mainline folded
//   into e286781d5f2e or as a commit of its own is not settled here. The
//   reference is held across wait_on_page_locked and dropped after it.
//   While it is held migration's count check (folio_ref_freeze of the
//   expected count) fails and migration gives up on this pass (-EAGAIN):
//   enough faulting threads keep a page from ever migrating;
// - 9a1ea439b16b ("mm: put_and_wait_on_page_locked() while page is
//   migrated", v5.0) to v5.16: the reference is dropped once the waiter is
//   queued, before it sleeps, narrowing the window without closing it;
// - ffa65753c431 ("mm/migrate.c: rework migration_entry_wait() to not take
//   a pageref", v5.17; the extra reference, its message says, can make
//   migrations fail): no reference. The PTL is held while the waiter
//   queues itself (migration_entry_wait_on_locked): a migration entry is
//   removed only under the PTL, and migration keeps its own reference
//   until after that, so the page cannot be freed before the waiter is on
//   its wait queue; after dropping the PTL the waiter never touches the
//   page again.
//
// Sleeping is modelled as pageCache.ts's waitOnPageLocked (an await on
// PG_locked, which cannot miss a wake-up), so "queued under the PTL" and
// "sleeps after dropping it" are one and the same here.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { waitOnPageLocked } from "./pageCache.ts";
import { getPageUnlessZero, putPage } from "./pageRef.ts";
import { isMigrationEntryPte, migrationEntryPageId, pteText } from "./pte.ts";
import type { Vma } from "./vma.ts";

/** Which migration_entry_wait a fault runs. */
export type MigrationEntryWaitDesign =
  /** v2.6.27 (e286781d5f2e)–v4.20: get_page_unless_zero under the PTL, wait_on_page_locked, put_page. */
  | "page-ref"
  /** 9a1ea439b16b (v5.0)–v5.16: get_page_unless_zero under the PTL, put_and_wait_on_page_locked (the reference goes before the sleep). */
  | "put-and-wait"
  /** ffa65753c431 (v5.17+): migration_entry_wait_on_locked, no reference; the PTL is held until the waiter is queued. */
  | "no-page-ref";

/** What migrationEntryWait did. */
export type MigrationEntryWaitResult =
  /** The pte held no migration entry any more once the PTL was taken: fault again at once. */
  | "not-migrating"
  /** get_page_unless_zero failed (migration has the count frozen): the fault returns and is retried. */
  | "page-frozen"
  /** Waited until the page was unlocked (the migration ended one way or the other). */
  | "waited";

/**
 * migration_entry_wait() → __migration_entry_wait(), in the version
 * `design` names: under the PTL, re-read the pte; if it still holds a
 * migration entry, wait for the page it names to be unlocked (see the
 * file's comment for how each design keeps that page alive meanwhile). The
 * caller's fault then returns 0 and the access is retried.
 */
export function* migrationEntryWait(t: ThreadContext, mc: Machine, v: Vma, index: number, design: MigrationEntryWaitDesign = "no-page-ref"): Access<MigrationEntryWaitResult> {
  t.step(`migration_entry_wait(${v.name}, ${index})`);
  yield* spinLock(t, v.ptl);
  const pte = yield* t.read(v.pte[index]!, "once");
  if (!isMigrationEntryPte(pte)) {
    yield* spinUnlock(t, v.ptl);
    return "not-migrating";
  }
  const page = migratingPage(mc, pte);
  // Each of the reference, its drop and the sleep has a step of its own, so
  // a trace shows where each design drops the reference: before the sleep
  // (put-and-wait) or after it (page-ref).
  if (design === "no-page-ref") {
    // migration_entry_wait_on_locked: queued on the page's wait queue with the PTL held, then the PTL goes.
    t.step(`migration_entry_wait_on_locked(${page.name}): queued under the PTL, no reference`);
    yield* spinUnlock(t, v.ptl);
    t.step(`migration_entry_wait_on_locked(${page.name}): sleep until unlocked`);
    yield* waitOnPageLocked(t, page);
    return "waited";
  }
  t.step(`get_page_unless_zero(${page.name}) under the PTL`);
  if (!(yield* getPageUnlessZero(t, page))) {
    yield* spinUnlock(t, v.ptl);
    return "page-frozen";
  }
  yield* spinUnlock(t, v.ptl);
  if (design === "put-and-wait") {
    t.step(`put_and_wait_on_page_locked(${page.name}): put_page before sleeping`);
    yield* putPage(t, page);
    t.step(`put_and_wait_on_page_locked(${page.name}): sleep until unlocked, holding no reference`);
    yield* waitOnPageLocked(t, page);
  } else {
    t.step(`wait_on_page_locked(${page.name}): sleep until unlocked, holding the reference`);
    yield* waitOnPageLocked(t, page);
    t.step(`put_page(${page.name}) after the wait`);
    yield* putPage(t, page);
  }
  return "waited";
}

/**
 * The start of a fault on `v[index]` as handle_pte_fault → do_swap_page
 * (v2.6.18–v6.x) reach it: read the pte without a lock; if it holds a
 * migration entry (non_swap_entry, is_migration_entry), migration_entry_wait
 * and return true: the fault is over and the access will fault again.
 * False when the pte holds no migration entry: the caller's fault path
 * (do_anonymous_page, filemap_fault, do_swap_page proper) goes on.
 */
export function* faultOnMigrationEntry(t: ThreadContext, mc: Machine, v: Vma, index: number, design: MigrationEntryWaitDesign = "no-page-ref"): Access<boolean> {
  t.step(`fault on ${v.name}[${index}]: read pte`);
  const pte = yield* t.read(v.pte[index]!, "once");
  if (!isMigrationEntryPte(pte)) return false;
  t.step(`do_swap_page(${v.name}, ${index}): ${pteText(pte, (id) => mc.pageName(id))}`);
  yield* migrationEntryWait(t, mc, v, index, design);
  return true;
}

function migratingPage(mc: Machine, pte: number): Page {
  const id = migrationEntryPageId(pte);
  const page = mc.pageById(id);
  if (page === undefined) throw new Error(`migration entry for page id ${id}, which is no page of the machine`);
  return page;
}

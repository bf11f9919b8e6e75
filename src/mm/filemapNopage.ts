// The page-cache fault path before 2.6.23: do_no_page() calling
// ->nopage (filemap_nopage), and Nick Piggin's October 2006 patch ("mm:
// fault vs invalidate/truncate race fix", patch 2/5 of the seed thread) that
// made filemap_nopage return the page locked.
//
// Unpatched, filemap_nopage found the page without its lock (it slept on
// the lock only to read in a page that was not uptodate), so nothing but the
// truncate_count seqlock ordered it against removal: enough for truncation,
// which fences with i_size, not for invalidation inside i_size.
//
// Not modelled: reading a missing page in (page_cache_read, readahead): a
// page that is not in the page cache ends the fault with SIGBUS here.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { smpRmb } from "../kernel/barriers.ts";
import { setBit, testBit } from "../kernel/bitops.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { TruncateCount } from "./invalidate.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { findGetPage, findLockPage, lockPage, unlockPage } from "./pageCache.ts";
import { putPage } from "./pageRef.ts";
import { setPte } from "./pageTable.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

/** filemap_nopage(), v2.6.18: i_size check, find_get_page without the page lock; locks only a page that is not uptodate. Returns it with a reference. */
export function* filemapNopage2618(t: ThreadContext, mc: Machine, v: Vma, index: number): Access<Page | undefined> {
  const f = v.file;
  for (;;) {
    // retry_all: ends because a page that left the page cache is not found again
    t.step(`filemap_nopage(${v.name}, ${index}): i_size check`);
    if (index >= (yield* t.read(f.iSize, "once"))) return undefined;
    t.step("filemap_nopage: find_get_page (no page lock)");
    const p = yield* findGetPage(t, mc, f, index);
    if (p === undefined) return undefined;
    t.step(`filemap_nopage: PageUptodate(${p.name})`);
    if (yield* testBit(t, p.flag("uptodate"))) return p;
    t.step(`filemap_nopage: page_not_uptodate: lock_page(${p.name})`);
    yield* lockPage(t, p);
    if ((yield* t.read(p.mapping, "once")) !== f.id) {
      t.step(`filemap_nopage: ${p.name} was unhashed while we waited, retry`);
      yield* unlockPage(t, p);
      yield* putPage(t, p);
      continue;
    }
    if (!(yield* testBit(t, p.flag("uptodate")))) {
      // ->readpage; its I/O completion sets PG_uptodate and unlocks
      t.step(`filemap_nopage: readpage(${p.name})`);
      yield* setBit(t, p.flag("uptodate"));
    }
    yield* unlockPage(t, p);
    return p;
  }
}

/**
 * do_no_page(), v2.6.18: sample truncate_count (smp_rmb before ->nopage's
 * i_size read), get the page from ->nopage, then under the PTL retry if the
 * count moved; otherwise fill the pte if it is still none.
 */
export function* doNoPage2618(t: ThreadContext, mc: Machine, v: Vma, index: number, tc: TruncateCount): Access<boolean> {
  t.step(`do_no_page(${v.name}, ${index}): sequence = truncate_count`);
  let sequence = yield* t.read(tc.count, "once");
  yield* smpRmb(t);
  for (;;) {
    const p = yield* filemapNopage2618(t, mc, v, index);
    if (p === undefined) return false;
    t.step(`do_no_page: lock PTL(${v.name}), recheck truncate_count`);
    yield* spinLock(t, v.ptl);
    if ((yield* t.read(tc.count, "once")) !== sequence) {
      t.step("do_no_page: truncate_count moved, drop the page and retry");
      yield* spinUnlock(t, v.ptl);
      yield* putPage(t, p);
      sequence = yield* t.read(tc.count, "once");
      yield* smpRmb(t);
      continue;
    }
    t.step(`do_no_page: set pte(${v.name}, ${index}) := ${p.name}`);
    const none = (yield* t.read(v.pte[index]!, "once")) === PTE_NONE;
    if (none) yield* setPte(t, v, index, p);
    yield* spinUnlock(t, v.ptl);
    if (!none) yield* putPage(t, p);
    return true;
  }
}

/** The 2.6.18 fault as a user-memory fault handler (mappedUserPage's FaultHandler). */
export const doNoPage2618Handler =
  (tc: TruncateCount) =>
  (t: ThreadContext, mc: Machine, v: Vma, index: number): Access<boolean> =>
    doNoPage2618(t, mc, v, index, tc);

/**
 * filemap_nopage() with Nick Piggin's Oct 2006 patch 2/5: the i_size check,
 * then find_lock_page, returning the page locked (VM_CAN_INVALIDATE). The
 * i_size re-check under the lock was still #if 0'd out in that version.
 */
export function* filemapNopageLocked2006(t: ThreadContext, mc: Machine, v: Vma, index: number): Access<Page | undefined> {
  const f = v.file;
  t.step(`filemap_nopage(${v.name}, ${index}): i_size check`);
  if (index >= (yield* t.read(f.iSize, "once"))) return undefined;
  t.step(`filemap_nopage: find_lock_page(${f.name}, ${index})`);
  return yield* findLockPage(t, mc, f, index);
}

/** do_no_page() with Nick's Oct 2006 patch: no truncate_count; the page stays locked until its pte is set. */
export function* doNoPage2006(t: ThreadContext, mc: Machine, v: Vma, index: number): Access<boolean> {
  const p = yield* filemapNopageLocked2006(t, mc, v, index);
  if (p === undefined) return false;
  t.step(`do_no_page: set pte(${v.name}, ${index}) := ${p.name} under PTL`);
  yield* spinLock(t, v.ptl);
  const none = (yield* t.read(v.pte[index]!, "once")) === PTE_NONE;
  if (none) yield* setPte(t, v, index, p);
  yield* spinUnlock(t, v.ptl);
  if (!none) yield* putPage(t, p);
  t.step(`do_no_page: unlock_page(${p.name})`);
  yield* unlockPage(t, p);
  return true;
}

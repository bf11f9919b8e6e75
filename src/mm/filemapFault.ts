// The page-cache fault path since 2.6.23 (d00806b18315, "mm: fix fault vs
// invalidate race for linear mappings"): ->fault returns the page locked
// after re-checking, under the lock, that it is still in this mapping and
// below i_size; the pte is set before the page is unlocked, so truncation
// (which takes each page's lock) either sees the pte or the fault sees the
// new i_size.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { downRead, upRead } from "../kernel/rwsem.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { findGetPage, lockPage, unlockPage } from "./pageCache.ts";
import { installPte } from "./pageTable.ts";
import { putPage } from "./pageRef.ts";
import type { Vma } from "./vma.ts";

/** filemap_fault(), v2.6.23–v5.x (no read-in: a page not in the cache is a SIGBUS here): returns the page locked, or undefined. */
export function* filemapFault(t: ThreadContext, mc: Machine, v: Vma, index: number): Access<Page | undefined> {
  const f = v.file;
  t.step(`filemap_fault(${v.name}, ${index}): find_get_page`);
  const p = yield* findGetPage(t, mc, f, index);
  if (p === undefined) return undefined;
  t.step(`filemap_fault: lock_page(${p.name})`);
  yield* lockPage(t, p);
  t.step(`filemap_fault: re-check ${p.name} under the page lock`);
  const stillOurs = (yield* t.read(p.mapping, "once")) === f.id && index < (yield* t.read(f.iSize, "once"));
  if (!stillOurs) {
    yield* unlockPage(t, p);
    yield* putPage(t, p);
    return undefined;
  }
  return p;
}

/** __do_fault + finish_fault, v2.6.23–v5.x: install the locked page's pte, then unlock it. False when the fault failed. */
export function* doReadFault(t: ThreadContext, mc: Machine, v: Vma, index: number): Access<boolean> {
  const p = yield* filemapFault(t, mc, v, index);
  if (p === undefined) return false;
  t.step(`finish_fault: set pte(${v.name}, ${index}) := ${p.name}`);
  if (!(yield* installPte(t, v, index, p))) yield* putPage(t, p);
  t.step(`finish_fault: unlock_page(${p.name})`);
  yield* unlockPage(t, p);
  return true;
}

/** do_user_addr_fault → handle_mm_fault, the pre-5.x shape: mmap_lock held for read around the fault. */
export function* handleUserFault(
  t: ThreadContext,
  v: Vma,
  index: number,
  fault: (t: ThreadContext) => Access<boolean>,
): Access<boolean> {
  t.step(`page fault on ${v.name}[${index}]: down_read(mmap_lock)`);
  yield* downRead(t, v.mm.mmapLock);
  const ok = yield* fault(t);
  t.step(`page fault on ${v.name}[${index}]: up_read(mmap_lock)`);
  yield* upRead(t, v.mm.mmapLock);
  return ok;
}

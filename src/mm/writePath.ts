// The buffered write path (mm/filemap.c) across the fix for the pagecache
// write deadlocks of seed 001: the 2006 generic_file_buffered_write that may
// fault on its source with the destination page locked; 08291429cfa6 ("mm:
// fix pagecache write deadlocks", v2.6.23) that copies atomically under the
// page lock (or through a pinned source page when the destination is not
// uptodate); the 2.6.24 generic_perform_write loop (write_begin/write_end);
// and the zero-the-tail proposal of the seed thread, which exposes zeros.
//
// One call writes one page-cache page, segment k of the iovec landing in
// cell k of the page. A cell is part of one block (blocksize = page size):
// a write covering only some cells of a page that is not uptodate first
// reads the block in. Models that do not track contents pass no cells and
// get only the locking.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { setBit, testBit } from "../kernel/bitops.ts";
import { downWrite, upWrite } from "../kernel/rwsem.ts";
import { copyFromUser, copyFromUserInatomic, faultInReadable, type UserPage } from "../kernel/userCopy.ts";
import type { AddressSpace } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { findLockPage, lockPage, unlockPage } from "./pageCache.ts";
import { putPage } from "./pageRef.ts";

/** The value of a zero-filled cell. */
export const ZERO = 0;

/** One iovec segment: the user page it is read from and the value its bytes hold. */
export interface WriteSegment {
  readonly source: UserPage;
  readonly value: number;
}

/** What a model tracks of a page's contents: one location per cell, and what the block on disk holds. */
export interface PageContents {
  readonly cells: readonly Loc[];
  readonly disk: number;
}

export interface WriteTarget {
  readonly mc: Machine;
  readonly f: AddressSpace;
  readonly index: number;
  readonly contents?: PageContents;
}

/** How many times a write loop may go round before it is reported as making no progress. */
export const WRITE_RETRY_BOUND = 5;

export type BufferedWrite = (t: ThreadContext, target: WriteTarget, segs: readonly WriteSegment[]) => Access<void>;

/** generic_file_aio_write(), v2.6.x: i_mutex around the buffered write (two writers of one file never overlap). */
export function* genericFileAioWrite(t: ThreadContext, target: WriteTarget, segs: readonly WriteSegment[], write: BufferedWrite): Access<void> {
  t.step(`write(${target.f.name}): mutex_lock(i_mutex)`);
  yield* downWrite(t, target.f.iRwsem);
  yield* write(t, target, segs);
  t.step(`write(${target.f.name}): mutex_unlock(i_mutex)`);
  yield* upWrite(t, target.f.iRwsem);
}

// --- the steps every version shares ---------------------------------------

/** __grab_cache_page (v2.6.18–2.6.23) / grab_cache_page_write_begin (v2.6.24+): the page comes back locked (the models keep it cached: no allocation). */
function* grabCachePage(t: ThreadContext, target: WriteTarget, label: string): Access<Page> {
  t.step(`${label}: find_lock_page(${target.f.name}, ${target.index})`);
  const p = yield* findLockPage(t, target.mc, target.f, target.index);
  t.assert(p !== undefined, `model limit: ${target.f.name}[${target.index}] left the page cache during a write`);
  return p!;
}

function* pageUptodate(t: ThreadContext, p: Page): Access<boolean> {
  return yield* testBit(t, p.flag("uptodate"));
}

/** block_prepare_write (v2.6.x) / block_write_begin (v2.6.24+) on cells [from, to): a page that is not uptodate and only partly overwritten reads its block first. */
function* prepareWrite(t: ThreadContext, target: WriteTarget, p: Page, from: number, to: number, uptodate: boolean, label: string): Access<void> {
  const c = target.contents;
  if (c === undefined || uptodate || (from === 0 && to === c.cells.length)) return;
  t.step(`${label}: ${p.name} not uptodate, read its block in`);
  for (const cell of c.cells) yield* t.write(cell, c.disk, "plain", undefined, "block read");
}

function* storeCells(t: ThreadContext, target: WriteTarget, from: number, segs: readonly WriteSegment[], count: number): Access<void> {
  const c = target.contents;
  if (c === undefined) return;
  for (let k = 0; k < count; k++) yield* t.write(c.cells[from + k]!, segs[from + k]!.value, "plain", undefined, "copy");
}

/** block_commit_write (v2.6.x) / block_write_end (v2.6.24+): a committed copy leaves every block of the page uptodate, so the page becomes uptodate. */
function* commitWrite(t: ThreadContext, p: Page, copied: number, uptodate: boolean, label: string): Access<void> {
  t.step(`${label}(${copied} segment${copied === 1 ? "" : "s"})`);
  if (copied > 0 && !uptodate) yield* setBit(t, p.flag("uptodate"));
}

function* releasePage(t: ThreadContext, p: Page): Access<void> {
  t.step(`unlock_page(${p.name})`);
  yield* unlockPage(t, p);
  yield* putPage(t, p);
}

const sources = (segs: readonly WriteSegment[]) => segs.map((s) => s.source);

// --- the versions ---------------------------------------------------------

/**
 * generic_file_buffered_write(), v2.6.18: prefault the first segment's
 * source only, lock the page (prepare_write), try an atomic copy and, if it
 * comes back short, redo it with copy_from_user, which may take a page fault
 * while the page lock is held; zero what even that could not copy.
 */
export function* genericFileBufferedWrite2618(t: ThreadContext, target: WriteTarget, segs: readonly WriteSegment[]): Access<void> {
  t.step("generic_file_buffered_write: fault_in_pages_readable(iov[0])");
  yield* faultInReadable(t, [segs[0]!.source]);
  const p = yield* grabCachePage(t, target, "__grab_cache_page");
  const uptodate = yield* pageUptodate(t, p);
  yield* prepareWrite(t, target, p, 0, segs.length, uptodate, "prepare_write");
  t.step(`filemap_copy_from_user: atomic copy into ${p.name}`);
  let copied = yield* copyFromUserInatomic(t, sources(segs));
  if (copied < segs.length) {
    t.step(`filemap_copy_from_user: short, slow copy_from_user with ${p.name} locked`);
    copied = yield* copyFromUser(t, sources(segs));
  }
  yield* storeCells(t, target, 0, segs, copied);
  yield* zeroCells(t, target, copied, segs.length);
  yield* commitWrite(t, p, segs.length, uptodate, "commit_write");
  yield* releasePage(t, p);
}

function* zeroCells(t: ThreadContext, target: WriteTarget, from: number, to: number): Access<void> {
  const c = target.contents;
  if (c === undefined || from >= to) return;
  t.step(`zero the uncopied cells ${from}..${to - 1}`);
  for (let k = from; k < to; k++) yield* t.write(c.cells[k]!, ZERO, "plain", undefined, "memset 0");
}

/**
 * The seed thread's proposal (Andrew Morton, 11 Oct 2006): copy atomically
 * under the page lock; on a short copy zero the uncopied part (optionally
 * only when the page is not uptodate), commit_write, unlock, fault the rest
 * of the source in and go round again.
 */
export function bufferedWriteZeroTail2006(opts: { readonly skipZeroingUptodate: boolean }): BufferedWrite {
  return function* (t, target, segs) {
    let done = 0;
    for (let round = 1; done < segs.length; round++) {
      t.assert(round <= WRITE_RETRY_BOUND, `write made no progress in ${WRITE_RETRY_BOUND} rounds`);
      t.step(`fault_in_pages_readable(iov[${done}])`);
      yield* faultInReadable(t, [segs[done]!.source]);
      const p = yield* grabCachePage(t, target, "__grab_cache_page");
      const uptodate = yield* pageUptodate(t, p);
      yield* prepareWrite(t, target, p, done, segs.length, uptodate, "prepare_write");
      t.step(`copy_from_user_inatomic into ${p.name}`);
      const copied = yield* copyFromUserInatomic(t, sources(segs.slice(done)));
      yield* storeCells(t, target, done, segs, copied);
      if (done + copied < segs.length && !(uptodate && opts.skipZeroingUptodate)) yield* zeroCells(t, target, done + copied, segs.length);
      yield* commitWrite(t, p, segs.length - done, uptodate, "commit_write");
      yield* releasePage(t, p);
      done += copied;
    }
  };
}

/**
 * generic_file_buffered_write(), v2.6.23 (08291429cfa6): one segment at a
 * time, prefaulted with no page lock held. An uptodate page takes an atomic
 * copy under its lock (a short copy commits what it got and goes round
 * again); a page that is not uptodate is unlocked while the source is copied
 * into a kernel page (faulting freely), then relocked and rechecked.
 */
export function* genericFileBufferedWrite08291429(t: ThreadContext, target: WriteTarget, segs: readonly WriteSegment[]): Access<void> {
  let done = 0;
  for (let round = 1; done < segs.length; round++) {
    t.assert(round <= WRITE_RETRY_BOUND, `write made no progress in ${WRITE_RETRY_BOUND} rounds`);
    const seg = segs[done]!;
    t.step(`fault_in_pages_readable(iov[${done}])`);
    yield* faultInReadable(t, [seg.source]);
    const p = yield* grabCachePage(t, target, "__grab_cache_page");
    const uptodate = yield* pageUptodate(t, p);
    let viaSourcePage = false;
    if (!uptodate) {
      t.step(`${p.name} not uptodate: unlock it, copy iov[${done}] into a kernel page`);
      yield* unlockPage(t, p);
      if ((yield* copyFromUser(t, [seg.source])) === 0) {
        yield* putPage(t, p); // -EFAULT
        return;
      }
      t.step(`lock_page(${p.name}) again`);
      yield* lockPage(t, p);
      if ((yield* t.read(p.mapping, "once")) !== target.f.id || (yield* testBit(t, p.flag("uptodate")))) {
        t.step(`${p.name} changed while unlocked, go round again`);
        yield* releasePage(t, p);
        continue;
      }
      viaSourcePage = true;
    }
    yield* prepareWrite(t, target, p, done, done + 1, uptodate, "prepare_write");
    let copied = 1; // memcpy from the pinned kernel copy
    if (!viaSourcePage) {
      t.step(`copy_from_user_atomic into ${p.name} (pagefault_disable)`);
      copied = yield* copyFromUserInatomic(t, [seg.source]);
    }
    yield* storeCells(t, target, done, segs, copied);
    yield* commitWrite(t, p, copied, uptodate, "commit_write");
    yield* releasePage(t, p);
    done += copied;
  }
}

/**
 * generic_perform_write(), v2.6.24: fault in (the first segment only),
 * write_begin (page locked), atomic copy, write_end (unlock). A short copy
 * into a page that is not uptodate counts as nothing copied; after a round
 * that copied nothing, the next round tries a single segment.
 */
export function* genericPerformWrite(t: ThreadContext, target: WriteTarget, segs: readonly WriteSegment[]): Access<void> {
  let done = 0;
  let bytes = segs.length;
  for (let round = 1; done < segs.length; round++) {
    t.assert(round <= WRITE_RETRY_BOUND, `generic_perform_write made no progress in ${WRITE_RETRY_BOUND} rounds`);
    t.step(`iov_iter_fault_in_readable(iov[${done}])`);
    yield* faultInReadable(t, [segs[done]!.source]);
    const p = yield* grabCachePage(t, target, "write_begin");
    const uptodate = yield* pageUptodate(t, p);
    yield* prepareWrite(t, target, p, done, done + bytes, uptodate, "write_begin");
    t.step(`iov_iter_copy_from_user_atomic into ${p.name}`);
    let copied = yield* copyFromUserInatomic(t, sources(segs.slice(done, done + bytes)));
    yield* storeCells(t, target, done, segs, copied);
    if (copied < bytes && !uptodate) copied = 0; // the uncopied part would hold garbage: commit nothing
    yield* commitWrite(t, p, copied, uptodate, "write_end");
    yield* releasePage(t, p);
    done += copied;
    bytes = copied === 0 ? 1 : segs.length - done;
  }
}

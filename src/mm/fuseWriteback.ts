// FUSE writeback (fs/fuse/file.c, v3.13–v5.x): how a dirty page of a FUSE
// file reaches the userspace server, and how the paths that change the
// file behind the page cache (truncate, hole punch) keep stale writes out.
//
// fuse_writepage(s) never lets PG_writeback wait for the server: the page
// is copied to a temporary page, the WRITE request is queued on
// fi->queued_writes, and the page's writeback ends at once. Only the
// request stays: fi->writepages lists it (fuse_page_is_writeback, and the
// waits of write(2) on its index), fi->writectr counts the requests sent
// and not answered yet. FUSE_NOWRITE (INT_MIN) added to writectr holds
// queued requests back: fuse_set_nowrite adds it and waits until every
// sent request is answered; fuse_release_nowrite takes it off and sends
// what queued meanwhile (fuse_flush_writepages), all cropped to the one
// i_size the flush read (fuse_send_writepage). i_size changes under
// fi->lock too (fuse_write_update_size, the truncate in fuse_do_setattr),
// so a flush sees one size. fuse_sync_writes is the pair: wait for what
// was sent, then let the queue go.
//
// Two races this shape had:
//   3634a6327815 ("fuse: truncate pagecache range on hole punch"; FUSE
//       passed PUNCH_HOLE to the server before it, without touching the
//       page cache) until bde52788bdb7: fuse_file_fallocate(PUNCH_HOLE)
//       held FUSE_NOWRITE around FUSE_FALLOCATE and the page cache
//       truncation. A writeback in that window ended the page's writeback
//       with its WRITE queued; truncation did not wait for it, and
//       fuse_release_nowrite sent it after the punch: stale data in the
//       hole. bde52788bdb7 ("fuse: wait for writeback in
//       fuse_file_fallocate()", marked for stable) writes the range back
//       and waits for it (filemap_write_and_wait_range, then
//       fuse_sync_writes) before the punch, and holds no FUSE_NOWRITE
//       across it. It was in mainline by January 2014, when 3.10.28-stable
//       carried it: v3.13 (at the latest the v3.14 merge window), not v3.15.
//   26d614df1da9 (v3.13-rc, ->writepages) until 2d033eaa0073 (v3.13):
//       fuse_writepages_fill ended each page's writeback as it copied it,
//       before the request was queued. A shrinking truncate
//       (fuse_do_setattr) could then drop the page and return, a write(2)
//       extend i_size again, and the request, sent later, was cropped to
//       the new size: the old data came back past the truncation.
//       2d033eaa0073 ends writeback after fuse_writepages_send, so
//       truncation's wait on the page comes after the request is queued,
//       and __fuse_release_nowrite crops it first.
//
// The server is modelled as its file's data per page and its size. It
// answers a request in the thread that sent it, once that thread has
// dropped the lock: requests are not reordered against their sender's
// later steps. fi->lock was fc->lock before v5.2; the model has one lock
// per inode either way. Pages are declared with pageData.ts (their data)
// and writeback.ts (declareWriteback, their PG_writeback waiters).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { setBit, testAndClearBit, testBit } from "../kernel/bitops.ts";
import { smpMb } from "../kernel/barriers.ts";
import { describeLockWord, spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { downWrite, upWrite } from "../kernel/rwsem.ts";
import type { AddressSpace } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { findGetPage, lockPage, unlockPage } from "./pageCache.ts";
import { pageData } from "./pageData.ts";
import { putPage } from "./pageRef.ts";
import { truncatePagecache } from "./truncate.ts";
import { endPageWriteback, setPageWriteback, waitOnPageWriteback } from "./writeback.ts";

/** FUSE_NOWRITE: INT_MIN, added to fi->writectr while queued writes are held back. */
export const FUSE_NOWRITE = -(2 ** 31);

/** A FUSE inode's writeback state and the server's copy of its file. */
export class FuseInode {
  /** fi->lock (fc->lock before v5.2). */
  readonly lock: Loc;
  /** fi->writectr: WRITE requests sent and not answered, plus FUSE_NOWRITE while it is held. */
  readonly writectr: Loc;
  /** fi->queued_writes by page index: the queued request's data + 1, 0 when none is queued. */
  readonly queuedWrites: readonly Loc[];
  /** fi->writepages by page index: requests covering the index that are not finished. */
  readonly writepages: readonly Loc[];
  /** The server's file, one data word per page. */
  readonly serverData: readonly Loc[];
  /** The server's file size, in pages. */
  readonly serverSize: Loc;

  /** The FUSE inode of `f`; the server's file starts with `serverData` (default 0) and `f`'s i_size. */
  constructor(
    readonly mc: Machine,
    readonly f: AddressSpace,
    opts: { readonly serverData?: (index: number) => number } = {},
  ) {
    const m = mc.m;
    const n = f.iPages.length;
    this.lock = m.location(`${f.name}.fi_lock`, 0);
    this.writectr = m.location(`${f.name}.writectr`, 0);
    this.queuedWrites = m.array(`${f.name}.queued_writes`, n, 0);
    this.writepages = m.array(`${f.name}.writepages`, n, 0);
    this.serverData = m.array(`server ${f.name} data`, n, (i) => opts.serverData?.(i) ?? 0);
    this.serverSize = m.location(`server ${f.name} size`, m.initialValue(f.iSize) as number);
    describeLockWord(m, this.lock);
    m.describe(this.writectr, (v) => (typeof v === "number" && v < 0 ? `NOWRITE${v === FUSE_NOWRITE ? "" : `+${v - FUSE_NOWRITE}`}` : undefined));
    m.describe(this.queuedWrites, (v) => (v === 0 ? "none" : typeof v === "number" ? `WRITE(${v - 1})` : undefined));
  }

  toString(): string {
    return this.f.name;
  }
}

/** A WRITE request sent to the server: its page and the data it carries (after cropping, only sent requests are). */
export interface SentWrite {
  readonly index: number;
  readonly data: number;
}

/**
 * fuse_send_writepage(), v3.x–v5.x, fi->lock held: crop the request to
 * `size`, the i_size its caller read (a request wholly past it is finished
 * without being sent), else count it in writectr and send it in the
 * background. Returns the sent request, for the caller to hand to the
 * server after dropping the lock.
 */
function* fuseSendWritepage(t: ThreadContext, fi: FuseInode, index: number, data: number, size: number): Access<SentWrite | undefined> {
  if (index >= size) {
    t.step(`fuse_send_writepage(${fi}, ${index}): past i_size ${size}, truncated off`);
    yield* fuseWritepageFinish(t, fi, index);
    return undefined;
  }
  t.step(`fuse_send_writepage(${fi}, ${index}): WRITE(${data})`);
  yield* t.write(fi.writectr, (yield* t.read(fi.writectr, "once")) + 1, "once", undefined, `${fi}.writectr++`);
  return { index, data };
}

/** fuse_writepage_finish(), fi->lock held: the request leaves fi->writepages (wake_up(&fi->page_waitq) is the waiters' re-check). */
function* fuseWritepageFinish(t: ThreadContext, fi: FuseInode, index: number): Access<void> {
  yield* t.write(fi.writepages[index]!, (yield* t.read(fi.writepages[index]!, "once")) - 1, "once", undefined, `${fi}.writepages[${index}]--`);
}

/**
 * fuse_flush_writepages(), v3.x–v5.x, fi->lock held: read i_size once (the
 * crop every request of this flush gets), then, while FUSE_NOWRITE is not
 * held (writectr >= 0), send the queued requests, lowest index first.
 * Returns what was sent; the caller passes it to fuseServeWrites once the
 * lock is dropped.
 */
export function* fuseFlushWritepages(t: ThreadContext, fi: FuseInode): Access<SentWrite[]> {
  const sent: SentWrite[] = [];
  const crop = yield* t.read(fi.f.iSize, "once");
  for (let index = 0; index < fi.queuedWrites.length; index++) {
    if ((yield* t.read(fi.writectr, "once")) < 0) break;
    const queued = yield* t.read(fi.queuedWrites[index]!, "once");
    if (queued === 0) continue;
    yield* t.write(fi.queuedWrites[index]!, 0, "once", undefined, `${fi}.queued_writes: take WRITE(${index})`);
    const req = yield* fuseSendWritepage(t, fi, index, queued - 1, crop);
    if (req !== undefined) sent.push(req);
  }
  return sent;
}

/**
 * The server handles sent WRITE requests and replies: its file takes the
 * data (and grows to cover the page), then fuse_writepage_end runs under
 * fi->lock: writectr--, the request leaves fi->writepages.
 */
export function* fuseServeWrites(t: ThreadContext, fi: FuseInode, sent: readonly SentWrite[]): Access<void> {
  for (const { index, data } of sent) {
    t.step(`fuse server: WRITE ${fi}[${index}] := ${data}`);
    yield* t.write(fi.serverData[index]!, data, "once", undefined, `server ${fi}[${index}] := ${data}`);
    if ((yield* t.read(fi.serverSize, "once")) <= index) yield* t.write(fi.serverSize, index + 1, "once");
    // The reply reaches the kernel after the server wrote (the daemon's write(2) to /dev/fuse): whoever
    // sees the request answered sends its own requests to a server that has the data.
    yield* smpMb(t);
    t.step(`fuse_writepage_end(${fi}, ${index})`);
    yield* spinLock(t, fi.lock);
    yield* t.write(fi.writectr, (yield* t.read(fi.writectr, "once")) - 1, "once", undefined, `${fi}.writectr--`);
    yield* fuseWritepageFinish(t, fi, index);
    yield* spinUnlock(t, fi.lock);
  }
}

/** The end_page_writeback of a FUSE page, v3.x (before 2a9127fcf229 and 073861ed77b6). */
function* endFusePageWriteback(t: ThreadContext, p: Page): Access<void> {
  yield* endPageWriteback(t, p, { wake: "skip-if-set", holdReference: false });
}

/**
 * fuse_writepage_locked(), v3.x–v5.x, page locked and cleaned for I/O:
 * set PG_writeback, copy the page to a temporary page, put the request on
 * fi->writepages and fi->queued_writes and flush the queue, then end the
 * page's writeback at once; the server gets whatever was sent.
 */
export function* fuseWritepageLocked(t: ThreadContext, fi: FuseInode, p: Page, index: number): Access<void> {
  yield* setPageWriteback(t, p);
  t.step(`fuse_writepage_locked(${p.name}): copy to a temporary page`);
  const data = yield* t.read(pageData(p), "once");
  yield* spinLock(t, fi.lock);
  yield* t.write(fi.writepages[index]!, (yield* t.read(fi.writepages[index]!, "once")) + 1, "once", undefined, `${fi}.writepages[${index}]++`);
  yield* t.write(fi.queuedWrites[index]!, data + 1, "once", undefined, `${fi}.queued_writes += WRITE(${index})`);
  const sent = yield* fuseFlushWritepages(t, fi);
  yield* spinUnlock(t, fi.lock);
  yield* endFusePageWriteback(t, p);
  yield* fuseServeWrites(t, fi, sent);
}

/**
 * fuse_writepage(), v3.x–v5.x, page locked by the caller (write_cache_pages
 * or reclaim) and cleaned for I/O: a page whose index still has a request
 * in flight is redirtied and left for later (fuse_page_is_writeback);
 * otherwise fuse_writepage_locked.
 */
export function* fuseWritepage(t: ThreadContext, fi: FuseInode, p: Page, index: number): Access<void> {
  if (yield* fusePageIsWriteback(t, fi, index)) {
    t.step(`fuse_writepage(${p.name}): a WRITE for ${index} is in flight, redirty`);
    yield* setBit(t, p.flag("dirty"));
    return;
  }
  yield* fuseWritepageLocked(t, fi, p, index);
}

/** fuse_page_is_writeback(), v3.x–v5.x: under fi->lock, whether a request on fi->writepages covers `index`. */
export function* fusePageIsWriteback(t: ThreadContext, fi: FuseInode, index: number): Access<boolean> {
  yield* spinLock(t, fi.lock);
  const inFlight = (yield* t.read(fi.writepages[index]!, "once")) > 0;
  yield* spinUnlock(t, fi.lock);
  return inFlight;
}

/**
 * fuse_wait_on_page_writeback(), v3.x–v5.x: wait_event on fi->page_waitq
 * until fuse_page_is_writeback(`index`) is false. The sleep is an await on
 * the count (fuse_writepage_finish's wake_up is its re-check); each check
 * that decides is fuse_page_is_writeback's, under fi->lock.
 */
export function* fuseWaitOnPageWriteback(t: ThreadContext, fi: FuseInode, index: number): Access<void> {
  for (;;) {
    if (!(yield* fusePageIsWriteback(t, fi, index))) return;
    yield* t.await(fi.writepages[index]!, (v) => v === 0, "acquire", `wait_event(page_waitq, !fuse_page_is_writeback(${index}))`);
  }
}

/** Where fuse_writepages ends the writeback of the pages it copied. */
export type FuseWritepagesVersion =
  /** 26d614df1da9 (v3.13-rc): in fuse_writepages_fill, as each page is copied, before the request is queued. */
  | "26d614df1da9"
  /** 2d033eaa0073 (v3.13): in fuse_writepages_send, after the request is queued and the queue flushed. */
  | "2d033eaa0073";

/** How write_cache_pages treats a page already under writeback. */
export type SyncMode =
  /** WB_SYNC_NONE (background writeback): skip it. */
  | "none"
  /** WB_SYNC_ALL (fsync, filemap_write_and_wait_range): wait for it. */
  | "all";

/**
 * do_writepages → fuse_writepages(), v3.13–v5.x, over `indices` of the
 * file: write_cache_pages visits each page (a reference, the page lock,
 * still in the mapping; PG_writeback skipped or waited for as `sync`
 * says; clear_page_dirty_for_io), and fuse_writepages_fill copies it into
 * one WRITE request (on fi->writepages from its first page on, covering
 * each page as it is added) and unlocks it. Then fuse_writepages_send queues the request and
 * flushes the queue. Page writeback ends where `version` says. The pages
 * must be declared with declarePageData and declareWriteback.
 */
export function* fuseWritepages(t: ThreadContext, fi: FuseInode, indices: readonly number[], sync: SyncMode, version: FuseWritepagesVersion): Access<void> {
  const copied: { readonly page: Page; readonly index: number; readonly data: number }[] = [];
  for (const index of indices) {
    t.step(`write_cache_pages(${fi}, ${index})`);
    const p = yield* findGetPage(t, fi.mc, fi.f, index);
    if (p === undefined) continue;
    yield* lockPage(t, p);
    let write = (yield* t.read(p.mapping, "once")) === fi.f.id;
    if (write && (yield* testBit(t, p.flag("writeback")))) {
      if (sync === "all") yield* waitOnPageWriteback(t, p);
      else write = false;
    }
    if (write) write = yield* testAndClearBit(t, p.flag("dirty"));
    if (write) {
      yield* setPageWriteback(t, p);
      t.step(`fuse_writepages_fill(${p.name}): copy to a temporary page`);
      const data = yield* t.read(pageData(p), "once");
      // The request joins fi->writepages with its first page and covers each page as it is added.
      yield* spinLock(t, fi.lock);
      yield* t.write(fi.writepages[index]!, (yield* t.read(fi.writepages[index]!, "once")) + 1, "once", undefined, `${fi}.writepages[${index}]++`);
      yield* spinUnlock(t, fi.lock);
      copied.push({ page: p, index, data });
      if (version === "26d614df1da9") yield* endFusePageWriteback(t, p);
    }
    yield* unlockPage(t, p);
    if (!write || version === "26d614df1da9") yield* putPage(t, p);
  }
  if (copied.length === 0) return;
  // One request covers the pages; the model keeps a queue slot per page, all queued at once.
  t.step(`fuse_writepages_send(${fi})`);
  yield* spinLock(t, fi.lock);
  for (const { index, data } of copied) {
    yield* t.write(fi.queuedWrites[index]!, data + 1, "once", undefined, `${fi}.queued_writes += WRITE(${index})`);
  }
  const sent = yield* fuseFlushWritepages(t, fi);
  yield* spinUnlock(t, fi.lock);
  if (version === "2d033eaa0073")
    for (const { page } of copied) {
      yield* endFusePageWriteback(t, page);
      yield* putPage(t, page);
    }
  yield* fuseServeWrites(t, fi, sent);
}

/**
 * fuse_set_nowrite(), v3.x–v5.x, inode lock held: add FUSE_NOWRITE to
 * writectr under fi->lock (BUG if it is already held), then wait until
 * every sent request is answered (wait_event on fi->page_waitq for
 * writectr == FUSE_NOWRITE).
 */
export function* fuseSetNowrite(t: ThreadContext, fi: FuseInode): Access<void> {
  t.step(`fuse_set_nowrite(${fi})`);
  yield* spinLock(t, fi.lock);
  const ctr = yield* t.read(fi.writectr, "once");
  t.assert(ctr >= 0, `fuse_set_nowrite(${fi}): FUSE_NOWRITE already held (BUG_ON)`);
  yield* t.write(fi.writectr, ctr + FUSE_NOWRITE, "once", undefined, `${fi}.writectr += FUSE_NOWRITE`);
  yield* spinUnlock(t, fi.lock);
  t.step(`fuse_set_nowrite(${fi}): wait for the sent writes`);
  yield* t.await(fi.writectr, (v) => v === FUSE_NOWRITE, "acquire", "wait_event(page_waitq, writectr == FUSE_NOWRITE)");
}

/**
 * fuse_release_nowrite() → __fuse_release_nowrite(), v3.x–v5.x: under
 * fi->lock, writectr back to 0 and the queue flushed (each request cropped
 * to the i_size of now); the server then gets what was sent.
 */
export function* fuseReleaseNowrite(t: ThreadContext, fi: FuseInode): Access<void> {
  t.step(`fuse_release_nowrite(${fi})`);
  yield* spinLock(t, fi.lock);
  const ctr = yield* t.read(fi.writectr, "once");
  t.assert(ctr === FUSE_NOWRITE, `fuse_release_nowrite(${fi}): writectr ${ctr} is not FUSE_NOWRITE (BUG_ON)`);
  yield* t.write(fi.writectr, 0, "once", undefined, `${fi}.writectr = 0`);
  const sent = yield* fuseFlushWritepages(t, fi);
  yield* spinUnlock(t, fi.lock);
  yield* fuseServeWrites(t, fi, sent);
}

/** fuse_sync_writes(), v3.x–v5.x: wait for every WRITE sent, then let the queued ones go (fuse_set_nowrite; fuse_release_nowrite). */
export function* fuseSyncWrites(t: ThreadContext, fi: FuseInode): Access<void> {
  yield* fuseSetNowrite(t, fi);
  yield* fuseReleaseNowrite(t, fi);
}

/** What fuse_file_fallocate(PUNCH_HOLE) does about writeback. */
export type FuseFallocateVersion =
  /** 3634a6327815 until bde52788bdb7: FUSE_NOWRITE held across FUSE_FALLOCATE and the page cache truncation. */
  | "3634a6327815"
  /** bde52788bdb7 (v3.13): filemap_write_and_wait_range and fuse_sync_writes first; no FUSE_NOWRITE across the punch. */
  | "bde52788bdb7";

/**
 * fuse_file_fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE),
 * before and after bde52788bdb7 (v3.13), punching pages [from, end of
 * file): inode lock; writeback handled as `version` says (bde52788bdb7's
 * write-and-wait uses fuseWritepages at WB_SYNC_ALL, in the 2d033eaa0073
 * shape v3.13 has);
 * FUSE_FALLOCATE (the server zeroes the range); truncate_pagecache_range;
 * inode unlock.
 */
export function* fuseFileFallocatePunch(t: ThreadContext, fi: FuseInode, from: number, version: FuseFallocateVersion): Access<void> {
  const range = Array.from({ length: fi.f.iPages.length - from }, (_, k) => from + k);
  t.step(`fuse_file_fallocate(${fi}, PUNCH_HOLE ${from}..): inode_lock`);
  yield* downWrite(t, fi.f.iRwsem);
  if (version === "3634a6327815") yield* fuseSetNowrite(t, fi);
  else {
    t.step(`fuse_file_fallocate: filemap_write_and_wait_range(${fi}, ${from}..)`);
    yield* fuseWritepages(t, fi, range, "all", "2d033eaa0073");
    for (const index of range) {
      const p = yield* findGetPage(t, fi.mc, fi.f, index);
      if (p === undefined) continue;
      yield* waitOnPageWriteback(t, p);
      yield* putPage(t, p);
    }
    yield* fuseSyncWrites(t, fi);
  }
  t.step(`fuse_file_fallocate: FUSE_FALLOCATE(${fi}, PUNCH_HOLE ${from}..)`);
  for (const index of range) yield* t.write(fi.serverData[index]!, 0, "once", undefined, `server ${fi}[${index}] := 0 (hole)`);
  t.step(`fuse_file_fallocate: truncate_pagecache_range(${fi}, ${from}..)`);
  yield* truncatePagecache(t, fi.mc, fi.f, from);
  if (version === "3634a6327815") yield* fuseReleaseNowrite(t, fi);
  t.step(`fuse_file_fallocate(${fi}): inode_unlock`);
  yield* upWrite(t, fi.f.iRwsem);
}

/**
 * fuse_do_setattr() for a shrinking truncate to `size` pages, v3.13:
 * inode lock; fuse_set_nowrite; SETATTR (the server's file is cut to
 * `size`); under fi->lock, i_size = `size` and __fuse_release_nowrite (the
 * queued requests are cropped to the new size); then truncate_pagecache,
 * which waits for each page's writeback; inode unlock.
 */
export function* fuseDoSetattrTruncate(t: ThreadContext, fi: FuseInode, size: number): Access<void> {
  t.step(`fuse_do_setattr(${fi}, size ${size}): inode_lock`);
  yield* downWrite(t, fi.f.iRwsem);
  yield* fuseSetNowrite(t, fi);
  t.step(`fuse_do_setattr: SETATTR(${fi}, size ${size})`);
  for (let index = size; index < fi.serverData.length; index++) yield* t.write(fi.serverData[index]!, 0, "once", undefined, `server ${fi}[${index}] := 0 (cut)`);
  yield* t.write(fi.serverSize, size, "once", undefined, `server ${fi} size := ${size}`);
  yield* spinLock(t, fi.lock);
  yield* t.write(fi.f.iSize, size, "once", undefined, `i_size = ${size}`);
  t.assert((yield* t.read(fi.writectr, "once")) === FUSE_NOWRITE, `__fuse_release_nowrite(${fi}): writectr is not FUSE_NOWRITE (BUG_ON)`);
  yield* t.write(fi.writectr, 0, "once", undefined, `${fi}.writectr = 0`);
  const sent = yield* fuseFlushWritepages(t, fi);
  yield* spinUnlock(t, fi.lock);
  yield* fuseServeWrites(t, fi, sent);
  t.step(`fuse_do_setattr: truncate_pagecache(${fi}, ${size})`);
  yield* truncatePagecache(t, fi.mc, fi.f, size);
  t.step(`fuse_do_setattr(${fi}): inode_unlock`);
  yield* upWrite(t, fi.f.iRwsem);
}

/**
 * What write(2) of `data` to page `index` does that writeback races with,
 * v3.13 (fuse_perform_write → fuse_send_write_pages): inode lock; wait
 * until no request covers `index` (fuse_wait_on_page_writeback), WRITE to
 * the server synchronously, i_size grown to cover the page under fi->lock
 * (fuse_write_update_size, which held fc->lock then); inode unlock.
 * The page cache is left alone (the model's write does not cache `index`).
 */
export function* fuseWriteExtending(t: ThreadContext, fi: FuseInode, index: number, data: number): Access<void> {
  t.step(`write(${fi}, ${index}): inode_lock`);
  yield* downWrite(t, fi.f.iRwsem);
  t.step(`fuse_wait_on_page_writeback(${fi}, ${index})`);
  yield* fuseWaitOnPageWriteback(t, fi, index);
  t.step(`fuse_send_write_pages: WRITE ${fi}[${index}] := ${data}`);
  yield* t.write(fi.serverData[index]!, data, "once", undefined, `server ${fi}[${index}] := ${data}`);
  if ((yield* t.read(fi.serverSize, "once")) <= index) yield* t.write(fi.serverSize, index + 1, "once");
  t.step(`fuse_write_update_size(${fi}, ${index + 1})`);
  yield* spinLock(t, fi.lock);
  if ((yield* t.read(fi.f.iSize, "once")) <= index) yield* t.write(fi.f.iSize, index + 1, "once", undefined, `i_size = ${index + 1}`);
  yield* spinUnlock(t, fi.lock);
  t.step(`write(${fi}, ${index}): inode_unlock`);
  yield* upWrite(t, fi.f.iRwsem);
}

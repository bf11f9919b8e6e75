// FUSE's buffered write (fs/fuse/file.c): fuse_perform_write batches the
// target pages of a write into one WRITE request; fuse_fill_write_pages
// fills the batch. For each page it faults in the user source
// (iov_iter_fault_in_readable, which may take a real page fault), locks the
// target page (grab_cache_page_write_begin) and copies with page faults
// disabled. The seed 000 subthread (Qian Cai's hang, Vivek Goyal's
// reproducer, Linus's diagnosis) is about what stays locked meanwhile:
//
//   ea9b9907b82a (2.6.26) .. v5.12: every page of the batch stays locked
//       until the request returns, so faulting in the source of page k+1
//       while page k is locked deadlocks when that source is page k itself
//       (a write sourced from a shared mmap of the same file), or ABBA when
//       two writers cross.
//   4f06dd92b5d0 "fuse: fix write deadlock" (v5.13, stable to 2.6.26): a page
//       that is uptodate after the copy is unlocked at once; only a partly
//       written, not-uptodate page stays locked, and it ends the batch.
//
// Linus's rule: holding several page locks is fine while every copy is
// atomic; before faulting in, drop them all.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { setBit, testBit } from "../kernel/bitops.ts";
import { downWrite, upWrite } from "../kernel/rwsem.ts";
import { copyFromUserInatomic, faultInReadable, type UserPage } from "../kernel/userCopy.ts";
import type { AddressSpace } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { findLockPage, unlockPage } from "./pageCache.ts";
import { putPage } from "./pageRef.ts";

/** The part of a write that goes to one target page, from one page of the user's buffer. */
export interface WriteChunk {
  /** Target page index in the file. */
  readonly index: number;
  readonly source: UserPage;
  /** The chunk covers the whole target page (tmp == PAGE_SIZE). */
  readonly wholePage: boolean;
  /** The chunk ends at the end of the target page, so the batch may go on to the next page. */
  readonly toPageEnd: boolean;
}

export type FuseWriteVersion = "ea9b9907b82a" | "4f06dd92b5d0";

interface Batch {
  readonly pages: { readonly page: Page; readonly wholePage: boolean }[];
  /** 4f06dd92b5d0: the last page is still locked (ia->write.page_locked). */
  lastLocked: boolean;
}

/** fuse_fill_write_pages(): fills one WRITE request from chunks[start..]; the pages come back referenced, locked as the version leaves them. */
function* fuseFillWritePages(t: ThreadContext, mc: Machine, f: AddressSpace, chunks: readonly WriteChunk[], start: number, version: FuseWriteVersion): Access<Batch> {
  const batch: Batch = { pages: [], lastLocked: false };
  for (let k = start; k < chunks.length; k++) {
    const c = chunks[k]!;
    let page: Page | undefined;
    for (;;) {
      t.step(`fuse_fill_write_pages: iov_iter_fault_in_readable(${c.source.name})`);
      if ((yield* faultInReadable(t, [c.source])) === 0) return batch; // -EFAULT
      t.step(`fuse_fill_write_pages: grab_cache_page_write_begin(${f.name}, ${c.index})`);
      page = yield* findLockPage(t, mc, f, c.index);
      if (page === undefined) return batch; // -ENOMEM (the model does not allocate)
      t.step(`fuse_fill_write_pages: iov_iter_copy_from_user_atomic(${page.name} <- ${c.source.name})`);
      if ((yield* copyFromUserInatomic(t, [c.source])) > 0) break;
      t.step(`fuse_fill_write_pages: short copy, unlock ${page.name} and fault in again`);
      yield* unlockPage(t, page);
      yield* putPage(t, page);
    }
    batch.pages.push({ page, wholePage: c.wholePage });
    if (version === "4f06dd92b5d0") {
      if (c.wholePage) yield* setBit(t, page.flag("uptodate"));
      t.step(`fuse_fill_write_pages: PageUptodate(${page.name})?`);
      if (yield* testBit(t, page.flag("uptodate"))) {
        t.step(`fuse_fill_write_pages: unlock_page(${page.name}) at once`);
        yield* unlockPage(t, page);
      } else {
        batch.lastLocked = true;
        t.step(`fuse_fill_write_pages: ${page.name} partly written and not uptodate: keep it locked, end the batch`);
        return batch;
      }
    } else {
      t.step(`fuse_fill_write_pages: keep ${page.name} locked in the request`);
    }
    if (!c.toPageEnd) return batch;
  }
  return batch;
}

/** fuse_send_write_pages(): the WRITE request goes to the daemon and returns; then the batch's pages are released. */
function* fuseSendWritePages(t: ThreadContext, batch: Batch, version: FuseWriteVersion): Access<void> {
  t.step("fuse_send_write_pages: FUSE_WRITE request");
  for (const [i, { page, wholePage }] of batch.pages.entries()) {
    if (version === "ea9b9907b82a" && wholePage) yield* setBit(t, page.flag("uptodate"));
    const locked = version === "ea9b9907b82a" || (batch.lastLocked && i === batch.pages.length - 1);
    if (locked) {
      t.step(`fuse_send_write_pages: unlock_page(${page.name})`);
      yield* unlockPage(t, page);
    }
    yield* putPage(t, page);
  }
}

/** fuse_perform_write(): request after request until the write is done or a batch comes back empty. */
export function* fusePerformWrite(t: ThreadContext, mc: Machine, f: AddressSpace, chunks: readonly WriteChunk[], version: FuseWriteVersion): Access<number> {
  let done = 0;
  while (done < chunks.length) {
    const batch = yield* fuseFillWritePages(t, mc, f, chunks, done, version);
    if (batch.pages.length === 0) break;
    yield* fuseSendWritePages(t, batch, version);
    done += batch.pages.length;
  }
  return done;
}

/** fuse_cache_write_iter(): the write under the inode lock. Returns how many chunks were written. */
export function* fuseCacheWriteIter(t: ThreadContext, mc: Machine, f: AddressSpace, chunks: readonly WriteChunk[], version: FuseWriteVersion): Access<number> {
  t.step(`fuse_cache_write_iter: inode_lock(${f.name})`);
  yield* downWrite(t, f.iRwsem);
  const done = yield* fusePerformWrite(t, mc, f, chunks, version);
  t.step(`fuse_cache_write_iter: inode_unlock(${f.name})`);
  yield* upWrite(t, f.iRwsem);
  return done;
}

// get_user_pages (mm/gup.c, mm/memory.c handle_mm_fault): the kernel
// reaching a user page by walking the page table itself, faulting it in
// when the walk finds nothing usable, and taking a reference. With
// FOLL_FORCE (ptrace, /proc/pid/mem) it may write a private mapping the
// process cannot write: the write must land in a COW copy, never in the
// file's page.
//
// After do_wp_page broke COW for a VMA without VM_WRITE, the pte stays
// read-only (maybe_mkwrite), so a walk asking for a writable pte would
// fault forever. How the loop ends is the version:
// - v2.6.x–v4.8: faultin_page drops FOLL_WRITE, so the next walk takes
//   whatever page the pte maps. If MADV_DONTNEED zapped the COW page in
//   between, a read fault maps the file's page and the "write" goes there:
//   Dirty COW (CVE-2016-5195);
// - v4.9, 19be0eaffa3a "mm: remove gup_flags FOLL_WRITE games from
//   __get_user_pages()": FOLL_WRITE stays; faultin_page sets FOLL_COW, and
//   the walk accepts a read-only pte only if it is dirty
//   (can_follow_write_pte), which only a COW'd pte is.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { downRead, upRead } from "../kernel/rwsem.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import type { PageAllocator } from "./pageAlloc.ts";
import { getPage, putPage } from "./pageRef.ts";
import { doReadFault } from "./filemapFault.ts";
import { doAnonymousPage, vmaIsAnonymous } from "./anonymous.ts";
import { doCowFault, doWpPage, VM_FAULT_SIGBUS, VM_FAULT_WRITE, vmaWritable, type WpPageOptions } from "./cow.ts";
import { ptePageId, pteDirty, pteSame, pteWrite } from "./pte.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

export const FOLL_WRITE = 0x01;
export const FOLL_GET = 0x04;
export const FOLL_FORCE = 0x10;
/** 19be0eaffa3a (v4.9): COW has been broken for this walk; a dirty read-only pte will do. */
export const FOLL_COW = 0x4000;

/** How faultin_page tells the walk that COW was broken in a VMA without VM_WRITE. */
export type GupCowRule =
  /** v2.6.x–v4.8: clear FOLL_WRITE and walk again as a read. */
  | "drop-foll-write"
  /** v4.9+, 19be0eaffa3a: keep FOLL_WRITE, set FOLL_COW. */
  | "foll-cow";

export interface GupOptions {
  readonly cow: GupCowRule;
  /** The PageAllocator COW copies and anonymous pages come from. */
  readonly alloc: PageAllocator;
  /** How many times __get_user_pages may fault before the model gives up (the kernel retries until done or a signal). */
  readonly maxFaults?: number;
  readonly wp?: WpPageOptions;
  /**
   * 17839856fd58 (v5.8) "gup: document and work around 'COW can break
   * either way' issue": a pinning walk of a COW mapping breaks COW even to
   * read, so the pin is on the caller's own copy (replaced in v5.9 by
   * do_wp_page's page_count rule, 09854ba94c6a, and removed later).
   */
  readonly breakCowOnRead?: boolean;
}

/**
 * handle_mm_fault() → handle_pte_fault(), v4.x–v5.x, mmap_lock held for
 * read by the caller: a none pte is a first touch (do_anonymous_page, or for
 * a file a read fault or do_cow_fault when writing a private mapping); a
 * present read-only pte written is do_wp_page after the pte_same check
 * under the PTL. Returns VM_FAULT_* bits.
 */
export function* handleMmFault(t: ThreadContext, mc: Machine, a: PageAllocator, v: Vma, index: number, write: boolean, wp?: WpPageOptions): Access<number> {
  t.step(`handle_mm_fault(${v.name}, ${index}, ${write ? "write" : "read"})`);
  const entry = yield* t.read(v.pte[index]!, "once");
  if (entry === PTE_NONE) {
    if (vmaIsAnonymous(v)) {
      yield* doAnonymousPage(t, a, v, index);
      return 0;
    }
    if (write && !v.shared) return yield* doCowFault(t, mc, a, v, index);
    return (yield* doReadFault(t, mc, v, index)) ? 0 : VM_FAULT_SIGBUS;
  }
  if (entry < 0) return VM_FAULT_SIGBUS; // a swap entry: do_swap_page (swapIn.ts) is the caller's to choose
  if (!write || pteWrite(entry)) return 0;
  yield* spinLock(t, v.ptl);
  if (!pteSame(yield* t.read(v.pte[index]!, "once"), entry)) {
    yield* spinUnlock(t, v.ptl);
    return 0;
  }
  return yield* doWpPage(t, mc, a, v, index, entry, wp);
}

/** can_follow_write_pte(), 19be0eaffa3a (v4.9): writable, or FOLL_FORCE|FOLL_COW on a pte COW made dirty. */
export function canFollowWritePte(pte: number, flags: number): boolean {
  return pteWrite(pte) || ((flags & FOLL_FORCE) !== 0 && (flags & FOLL_COW) !== 0 && pteDirty(pte));
}

/**
 * follow_page_pte(), v4.x: under the PTL, the page the pte maps with a
 * reference (FOLL_GET), or undefined when the pte is none or, for
 * FOLL_WRITE, not writable enough (can_follow_write_pte; before v4.9
 * simply pte_write).
 */
export function* followPagePte(t: ThreadContext, mc: Machine, v: Vma, index: number, flags: number): Access<Page | undefined> {
  t.step(`follow_page_pte(${v.name}, ${index}${flags & FOLL_WRITE ? ", FOLL_WRITE" : ""}${flags & FOLL_COW ? ", FOLL_COW" : ""})`);
  yield* spinLock(t, v.ptl);
  const pte = yield* t.read(v.pte[index]!, "once");
  let p: Page | undefined;
  if (pte > 0 && ((flags & FOLL_WRITE) === 0 || canFollowWritePte(pte, flags))) {
    p = mc.pageById(ptePageId(pte))!;
    if ((flags & FOLL_GET) !== 0) yield* getPage(t, p);
  }
  yield* spinUnlock(t, v.ptl);
  return p;
}

/**
 * faultin_page(), v4.x: handle_mm_fault for the walk's access; when COW
 * was broken (VM_FAULT_WRITE) in a VMA without VM_WRITE, tell the next
 * walk so, as `rule` says. Returns the walk's new flags, or undefined when
 * the fault failed.
 */
export function* faultinPage(t: ThreadContext, mc: Machine, v: Vma, index: number, flags: number, o: GupOptions): Access<number | undefined> {
  const ret = yield* handleMmFault(t, mc, o.alloc, v, index, (flags & FOLL_WRITE) !== 0, o.wp);
  if ((ret & ~VM_FAULT_WRITE) !== 0) return undefined;
  if ((ret & VM_FAULT_WRITE) !== 0 && !vmaWritable(v)) {
    t.step(`faultin_page: COW broken in read-only ${v.name}: ${o.cow === "drop-foll-write" ? "clear FOLL_WRITE" : "set FOLL_COW"}`);
    return o.cow === "drop-foll-write" ? flags & ~FOLL_WRITE : flags | FOLL_COW;
  }
  return flags;
}

/**
 * __get_user_pages(), v4.x, for one page, with mmap_lock held for read:
 * walk (follow_page_pte), and while the walk finds nothing usable, fault
 * (faultin_page) and walk again. Returns the page with a reference, or
 * undefined when a fault failed or the model's fault bound ran out.
 */
export function* getUserPage(t: ThreadContext, mc: Machine, v: Vma, index: number, gupFlags: number, o: GupOptions): Access<Page | undefined> {
  let flags = gupFlags | FOLL_GET;
  // is_cow_mapping(): private and writable in principle.
  if (o.breakCowOnRead && !v.shared && vmaWritable(v)) flags |= FOLL_WRITE;
  for (let faults = 0; ; faults++) {
    const p = yield* followPagePte(t, mc, v, index, flags);
    if (p !== undefined || faults === (o.maxFaults ?? 3)) return p;
    const next = yield* faultinPage(t, mc, v, index, flags, o);
    if (next === undefined) return undefined;
    flags = next;
  }
}

/**
 * A forced write through a private mapping as access_remote_vm (ptrace,
 * /proc/pid/mem) does it, v4.x: under mmap_lock for read,
 * get_user_pages(FOLL_WRITE | FOLL_FORCE), then `write` into the page it
 * returned (copy_to_user_page), then put_page. Returns whether a page was
 * written.
 */
export function* accessRemoteVmWrite(t: ThreadContext, mc: Machine, v: Vma, index: number, o: GupOptions, write: (t: ThreadContext, p: Page) => Access<void>): Access<boolean> {
  t.step(`access_remote_vm(${v.name}, ${index}, write): down_read(mmap_lock)`);
  yield* downRead(t, v.mm.mmapLock);
  const p = yield* getUserPage(t, mc, v, index, FOLL_WRITE | FOLL_FORCE, o);
  if (p !== undefined) {
    t.step(`access_remote_vm: copy_to_user_page(${p.name})`);
    yield* write(t, p);
    yield* putPage(t, p);
  }
  yield* upRead(t, v.mm.mmapLock);
  return p !== undefined;
}

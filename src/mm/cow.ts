// Copy-on-write (mm/memory.c): a write fault on a present read-only pte of
// a private mapping (do_wp_page), and a write fault on a none pte of a
// private file mapping (do_cow_fault). Either way the process ends up with
// an anonymous page of its own; the file's page is never written.
//
// maybe_mkwrite() only sets the write bit when the VMA has VM_WRITE. A
// read-only private mapping written through FOLL_FORCE (ptrace,
// /proc/pid/mem) gets a COW page whose pte is dirty but not writable: the
// corner Dirty COW lived in (gup.ts).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { Machine } from "./machine.ts";
import { ANON_MAPPING, type Page } from "./page.ts";
import { allocPage, type PageAllocator } from "./pageAlloc.ts";
import { getPage, putPage } from "./pageRef.ts";
import { pageRemoveRmap } from "./pageTable.ts";
import { pageAddNewAnonRmap } from "./anonymous.ts";
import { filemapFault } from "./filemapFault.ts";
import { unlockPage } from "./pageCache.ts";
import { copyPageData } from "./pageData.ts";
import { mkPte, ptePageId, pteSame, pteText } from "./pte.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

/** VM_FAULT_OOM: the allocator had no page. */
export const VM_FAULT_OOM = 1;
/** VM_FAULT_SIGBUS: nothing to map (a file page outside the cache, in this model). */
export const VM_FAULT_SIGBUS = 2;
/** VM_FAULT_WRITE: do_wp_page broke COW (or reused the page) for this write, even if the pte is not writable. */
export const VM_FAULT_WRITE = 8;

/** VMAs mapped without PROT_WRITE (VM_WRITE clear); every other VMA may be written. */
const readOnlyVmas = new WeakSet<Vma>();

/** Declares `v` mapped without PROT_WRITE: its ptes are never made writable, though FOLL_FORCE may still COW into it. */
export function mapReadOnly(v: Vma): Vma {
  readOnlyVmas.add(v);
  return v;
}

/** vma->vm_flags & VM_WRITE (v2.6–v6.x). */
export function vmaWritable(v: Vma): boolean {
  return !readOnlyVmas.has(v);
}

/** maybe_mkwrite(pte_mkdirty(mk_pte(page))): the pte a write fault installs. */
function writtenPte(v: Vma, p: Page): number {
  return mkPte(p.id, { write: vmaWritable(v), dirty: true });
}

/** When do_wp_page may reuse an anonymous page instead of copying it. */
export type WpReuseRule =
  /** v2.6–v5.8: reuse_swap_page(): the page is mapped by this pte alone. */
  | "mapcount"
  /** v5.9+, 09854ba94c6a "mm: do_wp_page() simplification": nobody else holds a reference at all (page_count == 1). */
  | "refcount";

export interface WpPageOptions {
  readonly reuse?: WpReuseRule;
}

/**
 * do_wp_page(), v4.x–v5.8 (or v5.9's reuse rule), entered with the PTL held
 * and `orig` the present, non-writable pte it found; returns with the PTL
 * dropped. An anonymous page only this pte maps is reused in place
 * (wp_page_reuse: dirty, writable if the VMA is); any other page is copied
 * (wp_page_copy): drop the PTL, allocate and copy (the data word too, where
 * the model declared it: copyPageData), re-take the PTL and
 * install the copy only if the pte is still `orig` (pte_same), then drop
 * the old page's mapping and reference. Returns VM_FAULT_WRITE (or OOM).
 */
export function* doWpPage(t: ThreadContext, mc: Machine, a: PageAllocator, v: Vma, index: number, orig: number, opts: WpPageOptions = {}): Access<number> {
  const old = mc.pageById(ptePageId(orig))!;
  const anon = (yield* t.read(old.mapping, "once")) === ANON_MAPPING;
  if (anon) {
    const rule = opts.reuse ?? "mapcount";
    const exclusive = rule === "mapcount" ? (yield* t.read(old.mapcount, "once")) === 1 : (yield* t.read(old.refcount, "once")) === 1;
    if (exclusive) {
      t.step(`do_wp_page(${v.name}, ${index}): wp_page_reuse(${old.name})`);
      yield* t.write(v.pte[index]!, writtenPte(v, old), "once", undefined, `set_pte(${v.name}, ${index}) := ${pteText(writtenPte(v, old), () => old.name)}`);
      yield* spinUnlock(t, v.ptl);
      return VM_FAULT_WRITE;
    }
  }
  t.step(`do_wp_page(${v.name}, ${index}): wp_page_copy of ${old.name}`);
  yield* getPage(t, old);
  yield* spinUnlock(t, v.ptl);
  const copy = yield* allocPage(t, a);
  if (copy === undefined) {
    yield* putPage(t, old);
    return VM_FAULT_OOM;
  }
  t.step(`wp_page_copy: copy ${old.name} to ${copy.name}`);
  // cow_user_page → copy_user_highpage: the old page's data, if the model follows it.
  yield* copyPageData(t, copy, old);
  t.step(`wp_page_copy(${v.name}, ${index}): pte lock`);
  yield* spinLock(t, v.ptl);
  let unused = copy;
  if (pteSame(yield* t.read(v.pte[index]!, "once"), orig)) {
    yield* pageAddNewAnonRmap(t, copy);
    const pte = writtenPte(v, copy);
    yield* t.write(v.pte[index]!, pte, "once", undefined, `set_pte(${v.name}, ${index}) := ${pteText(pte, () => copy.name)}`);
    yield* pageRemoveRmap(t, old);
    unused = old; // the pte's reference to the old page goes with it
  } else t.step(`wp_page_copy(${v.name}, ${index}): pte changed, drop ${copy.name}`);
  yield* spinUnlock(t, v.ptl);
  yield* putPage(t, unused);
  yield* putPage(t, old);
  return VM_FAULT_WRITE;
}

/**
 * do_cow_fault(), v4.10–v5.x: a write fault on a none pte of a private file
 * mapping. Allocate the copy, take the file's page locked (filemap_fault),
 * copy it (its data word too, where declared), install the copy under the
 * PTL if the pte is still none (finish_fault), and only then unlock and
 * release the file's page: the
 * page lock keeps truncate_inode_pages, which locks the page, from running
 * between the copy and the install, so truncation's last unmap of the
 * private copies comes after the copy is mapped (v2.6.23's __do_fault also
 * unlocked only on its way out). Returns 0, OOM or SIGBUS (no
 * VM_FAULT_WRITE: that is do_wp_page's).
 */
export function* doCowFault(t: ThreadContext, mc: Machine, a: PageAllocator, v: Vma, index: number): Access<number> {
  t.step(`do_cow_fault(${v.name}, ${index}): alloc_page_vma`);
  const copy = yield* allocPage(t, a);
  if (copy === undefined) return VM_FAULT_OOM;
  const src = yield* filemapFault(t, mc, v, index);
  if (src === undefined) {
    yield* putPage(t, copy);
    return VM_FAULT_SIGBUS;
  }
  t.step(`do_cow_fault: copy_user_highpage(${copy.name} <- ${src.name})`);
  yield* copyPageData(t, copy, src);
  t.step(`do_cow_fault(${v.name}, ${index}): finish_fault: pte lock`);
  yield* spinLock(t, v.ptl);
  const installed = (yield* t.read(v.pte[index]!, "once")) === PTE_NONE;
  if (installed) {
    yield* pageAddNewAnonRmap(t, copy);
    const pte = writtenPte(v, copy);
    yield* t.write(v.pte[index]!, pte, "once", undefined, `set_pte(${v.name}, ${index}) := ${pteText(pte, () => copy.name)}`);
  }
  yield* spinUnlock(t, v.ptl);
  if (!installed) yield* putPage(t, copy);
  t.step(`do_cow_fault: unlock_page(${src.name}), put_page`);
  yield* unlockPage(t, src);
  yield* putPage(t, src);
  return 0;
}


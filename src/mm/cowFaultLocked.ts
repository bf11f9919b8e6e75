// do_cow_fault() with the file page locked across the install, as the kernel
// has it: __do_fault returns the page locked, the copy is made, finish_fault
// installs the copy under the PTL, and only then are the file page unlocked
// and released (do_cow_fault since it was split out of __do_fault, with
// finish_fault since v4.10; v2.6.23's __do_fault already unlocked only on
// its way out, after the pte was set). Holding the page lock
// keeps truncate_inode_pages (which locks the page) from running between
// the copy and the install, so truncate_pagecache's second even_cows unmap
// always comes after the copy is mapped and zaps it.
//
// cow.ts's doCowFault unlocks the file page before taking the PTL; against
// truncation that lets a private copy be installed after truncation has
// finished (see the 001-B1 COW variants' notes).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { Machine } from "./machine.ts";
import { allocPage, type PageAllocator } from "./pageAlloc.ts";
import { putPage } from "./pageRef.ts";
import { pageAddNewAnonRmap } from "./anonymous.ts";
import { filemapFault } from "./filemapFault.ts";
import { unlockPage } from "./pageCache.ts";
import { VM_FAULT_OOM, VM_FAULT_SIGBUS, vmaWritable } from "./cow.ts";
import { mkPte, pteText } from "./pte.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

/** do_cow_fault(), v4.10–v5.x (finish_fault): alloc the copy, filemap_fault (page locked), copy, finish_fault under the PTL, then unlock and put the file page. Returns 0, OOM or SIGBUS. */
export function* doCowFaultLocked(t: ThreadContext, mc: Machine, a: PageAllocator, v: Vma, index: number): Access<number> {
  t.step(`do_cow_fault(${v.name}, ${index}): alloc_page_vma`);
  const copy = yield* allocPage(t, a);
  if (copy === undefined) return VM_FAULT_OOM;
  const src = yield* filemapFault(t, mc, v, index);
  if (src === undefined) {
    yield* putPage(t, copy);
    return VM_FAULT_SIGBUS;
  }
  t.step(`do_cow_fault: copy ${src.name} to ${copy.name}; finish_fault: pte lock`);
  yield* spinLock(t, v.ptl);
  const installed = (yield* t.read(v.pte[index]!, "once")) === PTE_NONE;
  if (installed) {
    yield* pageAddNewAnonRmap(t, copy);
    const pte = mkPte(copy.id, { write: vmaWritable(v), dirty: true });
    yield* t.write(v.pte[index]!, pte, "once", undefined, `set_pte(${v.name}, ${index}) := ${pteText(pte, () => copy.name)}`);
  }
  yield* spinUnlock(t, v.ptl);
  if (!installed) yield* putPage(t, copy);
  t.step(`do_cow_fault: unlock_page(${src.name}), put_page`);
  yield* unlockPage(t, src);
  yield* putPage(t, src);
  return 0;
}

// A process's load and store to a page of an anonymous VMA, with the
// faults they take (handle_pte_fault, mm/memory.c): the MMU walks the pte;
// a present pte lets the access through (a store needs it writable and
// makes it dirty); a swap or migration entry faults into do_swap_page
// (which waits a migration out), a none pte into
// do_anonymous_page, a store on a read-only pte into do_wp_page (cow.ts),
// and the access is tried again, as the CPU retries the instruction after
// the fault.
//
// The access and its pte check are one critical section of the PTL: the
// access walks the pte and never goes through a TLB, so it lands either
// before a pte change or sees the new pte. That is the kernel's picture
// only after the change's TLB flush. Most paths flush under the PTL
// (ptep_clear_flush); reclaim's unmap since v4.3 defers the flush past the
// PTL (TTU_BATCH_FLUSH, unmapFlushBatch.ts) and flushes before it writes
// the page out and before it frees it, so a store through a stale entry
// still lands in the page before the write starts. Questions about stale
// translations are asked through a `Tlb` (tlb.ts: userAccess, userLoad).
//
// The data is pageData.ts's word; declare it on every page the access may
// reach.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { doAnonymousPage } from "./anonymous.ts";
import type { Machine } from "./machine.ts";
import type { PageAllocator } from "./pageAlloc.ts";
import { pageData } from "./pageData.ts";
import { doWpPage } from "./cow.ts";
import { isSwapPte, PTE_DIRTY, pteKind, ptePageId, ptePresent, pteSame, pteWrite } from "./pte.ts";
import type { SwapDevice } from "./swapDevice.ts";
import { doSwapPage, type SwapPageOptions } from "./swapIn.ts";
import { PTE_NONE, type Vma } from "./vma.ts";

/** doSwapPage's options (`migrationEntryWait` also serves the fault on a migration entry the walk meets), and how often to retry. */
export interface AnonAccessOptions extends Omit<SwapPageOptions, "write"> {
  /** How many times the access may fault before the model gives up on it (default 3). */
  readonly attempts?: number;
}

/** What the MMU found under the PTL: the access went through, or the pte it must fault on. */
type Walk = { readonly done: true; readonly value: number } | { readonly done: false; readonly pte: number };

function* walk(t: ThreadContext, mc: Machine, v: Vma, index: number, store: number | undefined): Access<Walk> {
  yield* spinLock(t, v.ptl);
  const pte = yield* t.read(v.pte[index]!, "once");
  const through = store === undefined ? ptePresent(pte) : pteWrite(pte);
  let value = 0;
  if (through) {
    const data = pageData(mc.pageById(ptePageId(pte))!);
    if (store === undefined) value = yield* t.read(data, "once");
    else {
      if ((pte & PTE_DIRTY) === 0) yield* t.write(v.pte[index]!, pte | PTE_DIRTY, "once", undefined, `MMU: ${v.name}[${index}] dirty`);
      yield* t.write(data, store, "once", undefined, `store ${store} to ${v.name}[${index}]`);
    }
  }
  yield* spinUnlock(t, v.ptl);
  return through ? { done: true, value } : { done: false, pte };
}

function* access(t: ThreadContext, a: PageAllocator, si: SwapDevice, v: Vma, index: number, store: number | undefined, opts: AnonAccessOptions): Access<number | undefined> {
  const what = store === undefined ? "load" : `store ${store}`;
  for (let attempt = 0; attempt < (opts.attempts ?? 3); attempt++) {
    t.step(`${what} ${v.name}[${index}]`);
    const w = yield* walk(t, a.mc, v, index, store);
    if (w.done) return w.value;
    if (isSwapPte(w.pte)) {
      // Not present, not none: do_swap_page, which also waits out a migration entry (opts.migrationEntryWait).
      t.step(`${what} ${v.name}[${index}]: fault on a ${pteKind(w.pte)} entry`);
      yield* doSwapPage(t, a, si, v, index, w.pte, { ...opts, write: store !== undefined });
    } else if (w.pte === PTE_NONE) {
      t.step(`${what} ${v.name}[${index}]: fault on a none pte`);
      yield* doAnonymousPage(t, a, v, index);
    } else {
      // A present, read-only pte (a read fault mapped it): do_wp_page under the PTL if the pte is still that one.
      t.step(`${what} ${v.name}[${index}]: write fault on a read-only pte`);
      yield* spinLock(t, v.ptl);
      if (pteSame(yield* t.read(v.pte[index]!, "once"), w.pte)) yield* doWpPage(t, a.mc, a, v, index, w.pte);
      else yield* spinUnlock(t, v.ptl);
    }
  }
  return undefined;
}

/**
 * A load from `v[index]` (an anonymous VMA whose swap entries are `si`'s):
 * the data of the page the pte maps, faulting in as the pte requires
 * (do_swap_page for a swap entry, with `opts`; do_anonymous_page for a
 * none pte). Undefined when it still faulted after `attempts` tries.
 */
export function loadFromAnon(t: ThreadContext, a: PageAllocator, si: SwapDevice, v: Vma, index: number, opts: AnonAccessOptions): Access<number | undefined> {
  return access(t, a, si, v, index, undefined, opts);
}

/**
 * A store of `value` to `v[index]` (an anonymous VMA whose swap entries
 * are `si`'s): through a writable pte, which the MMU marks dirty; a swap
 * entry takes a write fault (do_swap_page with FAULT_FLAG_WRITE, `opts`),
 * a none pte do_anonymous_page, a read-only pte do_wp_page. Returns whether the store landed within
 * `attempts` tries.
 */
export function* storeToAnon(t: ThreadContext, a: PageAllocator, si: SwapDevice, v: Vma, index: number, value: number, opts: AnonAccessOptions): Access<boolean> {
  return (yield* access(t, a, si, v, index, value, opts)) !== undefined;
}

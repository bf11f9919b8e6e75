// Swap-in (mm/memory.c do_swap_page): a fault on a pte holding a swap
// entry. The entry was read from the pte with no lock held, so everything
// after that read may find the world changed: another thread's fault or
// swapoff's unuse_pte may have mapped the page already, and swapoff may be
// tearing the device down. Two defences: the pte_same() re-check under the
// PTL before mapping (the entry is still in the pte, so its reference is
// still ours to give to the page), and get_swap_device() around swap_map
// accesses (swapDevice.ts).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { PageAllocator } from "./pageAlloc.ts";
import { putPage } from "./pageRef.ts";
import { lockPage, unlockPage } from "./pageCache.ts";
import { pageAddRmap } from "./pageTable.ts";
import { mkPte, pteKind, pteSame, pteSwapOffset, pteText } from "./pte.ts";
import { migrationEntryWait, type MigrationEntryWaitDesign } from "./migrationEntry.ts";
import { inSwapCache, lookupSwapCache, readSwapCacheAsync, reuseSwapPage, tryToFreeSwap } from "./swapCache.ts";
import { swapCountUnlocked, swapFree, type SwapDevice, type SwapGuard } from "./swapDevice.ts";
import { swapinDirect, type SkipSwapcache } from "./swapInDirect.ts";
import { VM_FAULT_OOM } from "./cow.ts";
import type { Vma } from "./vma.ts";

export interface SwapPageOptions {
  /** How swap_map accesses are protected against swapoff. */
  readonly guard: SwapGuard;
  /** The pte_same() re-check under the PTL before mapping; false is a hypothetical fault path without it. */
  readonly recheck?: boolean;
  /** vm_swap_full() (or a VM_LOCKED VMA): the mapped page leaves the swap cache at once if no entry references its slot. Otherwise it stays cached, as it usually does. */
  readonly swapFull?: boolean;
  /**
   * FAULT_FLAG_WRITE: a write fault. A swap-cache page that only this pte's
   * entry references is reused (reuse_swap_page, v4.x–v5.18: it leaves the
   * swap cache and is mapped writable and dirty). A page shared with other
   * entries would need do_wp_page's copy, which the model does not have.
   */
  readonly write?: boolean;
  /**
   * The device is SWP_SYNCHRONOUS_IO (v4.15+): when the swap cache has no
   * page for the entry and only this pte references it, the page is read
   * without the swap cache (swapInDirect.ts), guarded as this says.
   */
  readonly synchronousIo?: SkipSwapcache;
  /**
   * Look in the swap cache before anything else (default true, as every
   * kernel does). False is a hypothetical fault path that goes straight to
   * a synchronous device, past a page reclaim still holds in the swap
   * cache with data the slot does not have yet.
   */
  readonly swapCacheLookup?: boolean;
  /** How a fault on a migration entry waits for the migration to end (default: the v5.17 wait, no page reference). */
  readonly migrationEntryWait?: MigrationEntryWaitDesign;
}

/**
 * do_swap_page(), v4.x–v5.12, for a fault on `v[index]` whose pte read
 * `orig` (a swap entry): get the slot's page from the swap cache or read
 * it in (on a SWP_SYNCHRONOUS_IO device, an entry only this pte references
 * is read without the swap cache: swapinDirect); lock it and check it is
 * still the slot's page; under the PTL re-check the pte (pte_same), map
 * the page, swap_free the entry and, if swap is full, let the page leave
 * the swap cache once no entry references its slot (and its write-out is
 * over: tryToFreeSwap). A migration entry in `orig` is waited out
 * (`migrationEntryWait`, as the option says) and the fault returns 0 for
 * the access to fault again. Returns 0 (mapped, or
 * someone else did, or the fault is to be retried) or OOM. A read fault
 * maps the page read-only and clean; a write fault (`write`) reuses a page
 * nobody else references and maps it writable and dirty.
 */
export function* doSwapPage(t: ThreadContext, a: PageAllocator, si: SwapDevice, v: Vma, index: number, orig: number, opts: SwapPageOptions): Access<number> {
  const recheck = opts.recheck ?? true;
  // non_swap_entry(): a migration entry is waited out, and the access faults again on what replaces it.
  if (pteKind(orig) === "migration") {
    yield* migrationEntryWait(t, a.mc, v, index, opts.migrationEntryWait);
    return 0;
  }
  const offset = pteSwapOffset(orig);
  t.step(`do_swap_page(${v.name}, ${index}): entry ${pteText(orig, () => undefined)}`);
  let page = opts.swapCacheLookup ?? true ? yield* lookupSwapCache(t, si, offset) : undefined;
  if (page === undefined && opts.synchronousIo !== undefined && (yield* swapCountUnlocked(t, si, offset)) === 1)
    return yield* swapinDirect(t, a, si, v, index, orig, offset, { skip: opts.synchronousIo, guard: opts.guard, write: opts.write });
  if (page === undefined) {
    t.step(`do_swap_page(${v.name}, ${index}): swapin_readahead`);
    page = yield* readSwapCacheAsync(t, a, si, offset, opts.guard);
  }
  if (page === undefined) {
    // No page: an error only if the pte still holds the entry. If another
    // fault (or swapoff) mapped it meanwhile, this fault just returns.
    yield* spinLock(t, v.ptl);
    const same = pteSame(yield* t.read(v.pte[index]!, "once"), orig);
    yield* spinUnlock(t, v.ptl);
    return same ? VM_FAULT_OOM : 0;
  }
  t.step(`do_swap_page(${v.name}, ${index}): lock_page(${page.name})`);
  yield* lockPage(t, page);
  if (!(yield* inSwapCache(t, si, page, offset))) {
    t.step(`do_swap_page(${v.name}, ${index}): ${page.name} left the swap cache, back out`);
    yield* unlockPage(t, page);
    yield* putPage(t, page);
    return 0;
  }
  t.step(`do_swap_page(${v.name}, ${index}): pte lock${recheck ? ", pte_same?" : ""}`);
  yield* spinLock(t, v.ptl);
  if (recheck && !pteSame(yield* t.read(v.pte[index]!, "once"), orig)) {
    t.step(`do_swap_page(${v.name}, ${index}): pte changed, back out`);
    yield* spinUnlock(t, v.ptl);
    yield* unlockPage(t, page);
    yield* putPage(t, page);
    return 0;
  }
  const writable = opts.write === true && (yield* reuseSwapPage(t, si, page, offset));
  t.assert(opts.write !== true || writable, `model limit: do_swap_page(${v.name}, ${index}): a write fault on a page other entries reference needs do_wp_page's copy, which the model does not have`);
  // The lookup's reference becomes the pte's.
  yield* pageAddRmap(t, page);
  const pte = mkPte(page.id, writable ? { write: true, dirty: true } : {});
  yield* t.write(v.pte[index]!, pte, "once", undefined, `set_pte_at(${v.name}, ${index}) := ${page.name}${writable ? " rw dirty" : ""}`);
  yield* swapFree(t, si, offset);
  if (opts.swapFull) yield* tryToFreeSwap(t, si, page, offset);
  yield* unlockPage(t, page);
  yield* spinUnlock(t, v.ptl);
  return 0;
}

/** The fault on a swap pte as handle_pte_fault reaches it: read the pte locklessly, and if it holds a swap entry, do_swap_page. False if it held none. */
export function* swapInFault(t: ThreadContext, a: PageAllocator, si: SwapDevice, v: Vma, index: number, opts: SwapPageOptions): Access<boolean> {
  t.step(`fault on ${v.name}[${index}]: read pte`);
  const orig = yield* t.read(v.pte[index]!, "once");
  if (orig >= 0) return false;
  yield* doSwapPage(t, a, si, v, index, orig, opts);
  return true;
}

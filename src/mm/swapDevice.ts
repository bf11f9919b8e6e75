// A swap device (mm/swapfile.c): swap_info_struct with its flags, its lock
// and swap_map, the count of references to each slot (one per pte or
// shmem slot holding the entry, plus SWAP_HAS_CACHE while a page for the
// slot is in the swap cache). swapoff frees swap_map; a swap-in that read a
// swap entry from a pte with no lock held can still reach for it, which
// get_swap_device() (eb085574a752, v5.1) closed with RCU: a reader checks
// SWP_VALID inside rcu_read_lock(), and swapoff clears SWP_VALID and waits
// a grace period before freeing.
//
// swap_map being freed is one word of the model (`swap_map`: allocated or
// freed); every access to a slot asserts it is still allocated, the
// model's stand-in for KASAN's use-after-free report (I-SWAP).

import type { ModelBuilder } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { spinLock, spinUnlock, describeLockWord } from "../kernel/spinlock.ts";
import { rcuReadLock, rcuReadUnlock } from "../kernel/rcu.ts";
import { misuse } from "../kernel/kernelThread.ts";
import { NO_PAGE } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import { swpEntryToPte } from "./pte.ts";
import type { Vma } from "./vma.ts";

/** SWAP_HAS_CACHE: a page for this slot is in (or being added to) the swap cache. */
export const SWAP_HAS_CACHE = 0x40;
export const SWP_USED = 1;
export const SWP_WRITEOK = 2;
/** SWP_VALID (v5.1–v5.12): get_swap_device may take the device; cleared by swapoff before its grace period. */
export const SWP_VALID = 4;

export const I_SWAP = "I-SWAP: no swap_map access after swapoff freed it";

/** How a swap operation that found an entry in a pte keeps the device from being swapped off under it. */
export type SwapGuard =
  /** v2.6–v5.0: nothing; swp_swap_info() and the swap_map read are unprotected. */
  | "none"
  /** eb085574a752 (v5.1): get_swap_device() / put_swap_device() around the swap_map access. */
  | "get_swap_device";

/** The device each registered VMA's swap entries belong to (SwapDevice.registerVma). */
const deviceOfVma = new WeakMap<Vma, SwapDevice>();

/** The swap device whose entries `v`'s ptes may hold (registered with registerVma or swappedOut), if any. */
export function swapDeviceOf(v: Vma): SwapDevice | undefined {
  return deviceOfVma.get(v);
}

export class SwapDevice {
  /** swap_map[offset]: entry references plus SWAP_HAS_CACHE. */
  readonly swapMap: readonly Loc[];
  /** The swap cache (swapper_spaces' i_pages) by offset: a page id or NO_PAGE. */
  readonly swapCache: readonly Loc[];
  readonly flags: Loc;
  /** si->lock. */
  readonly lock: Loc;
  /** 1 while swap_map is allocated, 0 once swapoff vfree()d it. */
  readonly swapMapAllocated: Loc;
  /** Frozen, so that a model pushing onto `vmas` is told at once instead of registering half a VMA. */
  private registered: readonly Vma[] = Object.freeze([]);

  constructor(
    readonly mc: Machine,
    readonly name: string,
    slots: number,
  ) {
    const m: ModelBuilder = mc.m;
    this.swapMap = m.array(`${name}.swap_map`, slots, 0);
    this.swapCache = m.array(`${name}.swap_cache`, slots, NO_PAGE);
    this.flags = m.location(`${name}.flags`, SWP_USED | SWP_WRITEOK | SWP_VALID);
    this.lock = m.location(`${name}.lock`, 0);
    this.swapMapAllocated = m.location(`${name}.swap_map allocated`, 1);
    describeLockWord(m, this.lock);
    m.describe(this.swapCache, (v) => (v === NO_PAGE ? "empty" : mc.pageName(v)));
    m.describe(this.swapMap, (v) => (typeof v === "number" ? `${v & ~SWAP_HAS_CACHE}${v & SWAP_HAS_CACHE ? "|HAS_CACHE" : ""}` : undefined));
    m.describe(this.flags, (v) => (typeof v === "number" ? [v & SWP_USED ? "USED" : "", v & SWP_WRITEOK ? "WRITEOK" : "", v & SWP_VALID ? "VALID" : ""].filter(Boolean).join("|") || "none" : undefined));
  }

  /**
   * Declares that `v[index]` was swapped out to `offset`: the pte holds the
   * swap entry and swap_map counts it. The page is not in the swap cache
   * (reclaim freed it after writeout): a swap-in reads it back.
   */
  swappedOut(v: Vma, index: number, offset: number): void {
    const m = this.mc.m;
    m.initialize(v.pte[index]!, swpEntryToPte(offset));
    m.initialize(this.swapMap[offset]!, (m.initialValue(this.swapMap[offset]!) as number) + 1);
    this.registerVma(v);
  }

  /**
   * The VMAs whose ptes may hold entries of this device: what swapoff walks
   * (the kernel walks init_mm.mmlist, which try_to_unmap_one joins an mm to
   * the first time it writes a swap entry into one of its ptes) and what
   * tells zapPteRange whose slot a swap entry names.
   */
  get vmas(): readonly Vma[] {
    return this.registered;
  }

  /**
   * Declares, while building the model, that swap-out may write entries of
   * this device into `v`'s ptes: the model's stand-in for the mmlist_add
   * the kernel's try_to_unmap_one does at run time (a list built during an
   * execution would outlive it). Every VMA a swap-out unmaps to this device
   * (shrinkAnonPage's and tryToUnmapToSwap's `where`) must be registered:
   * tryToUnmapToSwap refuses one that is not, since swapoff would miss its
   * entries. `swappedOut` registers its VMA itself. A VMA belongs to one
   * device (the model's swap entries name a slot, not a device).
   */
  registerVma(v: Vma): void {
    const other = deviceOfVma.get(v);
    if (other !== undefined && other !== this) throw new Error(`${v.name} already holds entries of ${other.name}: a VMA swaps to one device in this model`);
    deviceOfVma.set(v, this);
    if (!this.registered.includes(v)) this.registered = Object.freeze([...this.registered, v]);
  }

  toString(): string {
    return this.name;
  }
}

/** An access to si->swap_map[offset]: it must still be allocated (I-SWAP). */
function* swapMapSlot(t: ThreadContext, si: SwapDevice, offset: number): Access<Loc> {
  const allocated = yield* t.read(si.swapMapAllocated, "once");
  t.assert(allocated === 1, `${I_SWAP}: ${t.name} reads ${si.name}.swap_map[${offset}] after swapoff freed it`);
  return si.swapMap[offset]!;
}

/**
 * get_swap_device(), eb085574a752 (v5.1): rcu_read_lock(), then the device
 * is usable only if SWP_VALID is still set; false (with the read section
 * closed) otherwise. swapoff clears SWP_VALID and synchronize_rcu()s before
 * it frees anything, so a true return keeps swap_map alive until
 * put_swap_device().
 */
export function* getSwapDevice(t: ThreadContext, si: SwapDevice): Access<boolean> {
  t.step(`get_swap_device(${si.name})`);
  yield* rcuReadLock(t);
  if (((yield* t.read(si.flags, "once")) & SWP_VALID) !== 0) return true;
  yield* rcuReadUnlock(t);
  return false;
}

/** put_swap_device(), v5.1–v5.12: rcu_read_unlock(). */
export function* putSwapDevice(t: ThreadContext, _si: SwapDevice): Access<void> {
  yield* rcuReadUnlock(t);
}

/** What __swap_duplicate reports. */
export type SwapDuplicate = "ok" | "ENOENT" | "EEXIST" | "EINVAL";

/**
 * __swap_duplicate(entry, SWAP_HAS_CACHE) — swapcache_prepare(), v4.x–v5.x:
 * under si->lock, claim the slot's swap cache: EEXIST if someone already
 * holds SWAP_HAS_CACHE, whether or not an entry still references the slot
 * (a page in the swap cache whose entries are all gone is still there);
 * ENOENT only when neither is set (the entry was freed); otherwise the
 * claim. With the v5.1 guard a device being swapped off gives EINVAL
 * instead of a swap_map that may be gone.
 */
export function* swapcachePrepare(
  t: ThreadContext,
  si: SwapDevice,
  offset: number,
  guard: SwapGuard,
  /** Run under si->lock when the claim succeeds (the model's read-in adds its page there: see swapCache.ts). */
  onClaim?: (t: ThreadContext) => Access<void>,
): Access<SwapDuplicate> {
  if (guard === "get_swap_device" && !(yield* getSwapDevice(t, si))) return "EINVAL";
  t.step(`swapcache_prepare(${si.name}[${offset}])`);
  yield* spinLock(t, si.lock);
  const slot = yield* swapMapSlot(t, si, offset);
  const count = yield* t.read(slot, "once");
  let ret: SwapDuplicate = "ok";
  if ((count & SWAP_HAS_CACHE) !== 0) ret = "EEXIST";
  else if ((count & ~SWAP_HAS_CACHE) === 0) ret = "ENOENT";
  else {
    yield* t.write(slot, count | SWAP_HAS_CACHE, "once", undefined, `${si.name}.swap_map[${offset}] |= HAS_CACHE`);
    if (onClaim !== undefined) yield* onClaim(t);
  }
  yield* spinUnlock(t, si.lock);
  if (guard === "get_swap_device") yield* putSwapDevice(t, si);
  return ret;
}

/** swap_free(entry), v4.x–v5.x (__swap_entry_free under si->lock): drop one entry reference; freeing one that is not there is the kernel's "Unused swap offset entry". Returns the count left. */
export function* swapFree(t: ThreadContext, si: SwapDevice, offset: number): Access<number> {
  t.step(`swap_free(${si.name}[${offset}])`);
  yield* spinLock(t, si.lock);
  const slot = yield* swapMapSlot(t, si, offset);
  const count = yield* t.read(slot, "once");
  if ((count & ~SWAP_HAS_CACHE) === 0) misuse(t, `swap_free: Unused swap offset entry ${si.name}[${offset}]`);
  yield* t.write(slot, count - 1, "once", undefined, `${si.name}.swap_map[${offset}]--`);
  yield* spinUnlock(t, si.lock);
  return count - 1;
}

/** put_swap_page() → swapcache_free, v4.x–v5.x: the swap cache gives up the slot (SWAP_HAS_CACHE cleared). */
export function* putSwapPage(t: ThreadContext, si: SwapDevice, offset: number): Access<void> {
  yield* spinLock(t, si.lock);
  const slot = yield* swapMapSlot(t, si, offset);
  const count = yield* t.read(slot, "once");
  if ((count & SWAP_HAS_CACHE) === 0) misuse(t, `put_swap_page: ${si.name}[${offset}] has no swap cache`);
  yield* t.write(slot, count & ~SWAP_HAS_CACHE, "once", undefined, `${si.name}.swap_map[${offset}] &= ~HAS_CACHE`);
  yield* spinUnlock(t, si.lock);
}

/** __swap_count() / page_swapcount(), v4.x–v5.x: the entry references of a slot (without SWAP_HAS_CACHE), under si->lock. */
export function* swapCount(t: ThreadContext, si: SwapDevice, offset: number): Access<number> {
  yield* spinLock(t, si.lock);
  const slot = yield* swapMapSlot(t, si, offset);
  const count = (yield* t.read(slot, "once")) & ~SWAP_HAS_CACHE;
  yield* spinUnlock(t, si.lock);
  return count;
}

/**
 * __swap_count(entry), v4.15–v6.x: the slot's entry references (without
 * SWAP_HAS_CACHE), read without si->lock, as do_swap_page reads it to
 * decide whether it may skip the swap cache (a data race the kernel
 * accepts: the answer may be stale by the time it is used).
 */
export function* swapCountUnlocked(t: ThreadContext, si: SwapDevice, offset: number): Access<number> {
  const slot = yield* swapMapSlot(t, si, offset);
  return (yield* t.read(slot, "once")) & ~SWAP_HAS_CACHE;
}

/**
 * get_swap_page() → scan_swap_map_slots(), v4.x–v5.x, for one page: under
 * si->lock, the first free slot (swap_map 0) of a device that takes writes
 * (SWP_WRITEOK) is allocated to the swap cache (swap_map = SWAP_HAS_CACHE).
 * The kernel's choice of slot is a policy; first-fit makes it
 * deterministic, and with one slot a freed slot is always reused, which is
 * what entry-reuse races need. Undefined when the device is full or going.
 */
export function* getSwapPage(t: ThreadContext, si: SwapDevice): Access<number | undefined> {
  t.step(`get_swap_page(${si.name})`);
  yield* spinLock(t, si.lock);
  let found: number | undefined;
  if (((yield* t.read(si.flags, "once")) & SWP_WRITEOK) !== 0) {
    for (let offset = 0; offset < si.swapMap.length && found === undefined; offset++) {
      const slot = yield* swapMapSlot(t, si, offset);
      if ((yield* t.read(slot, "once")) !== 0) continue;
      yield* t.write(slot, SWAP_HAS_CACHE, "once", undefined, `${si.name}.swap_map[${offset}] := HAS_CACHE (allocated)`);
      found = offset;
    }
  }
  yield* spinUnlock(t, si.lock);
  return found;
}

/**
 * swap_duplicate(entry) → __swap_duplicate(entry, 1), v4.x–v5.x: under
 * si->lock, one more entry reference (a pte that now holds the entry).
 * ENOENT when the slot is neither referenced nor cached (the entry was
 * freed under the caller).
 */
export function* swapDuplicate(t: ThreadContext, si: SwapDevice, offset: number): Access<"ok" | "ENOENT"> {
  yield* spinLock(t, si.lock);
  const slot = yield* swapMapSlot(t, si, offset);
  const count = yield* t.read(slot, "once");
  const ok = count !== 0;
  if (ok) yield* t.write(slot, count + 1, "once", undefined, `${si.name}.swap_map[${offset}]++ (swap_duplicate)`);
  yield* spinUnlock(t, si.lock);
  return ok ? "ok" : "ENOENT";
}

/**
 * swapcache_clear(), 13ddaf26be32 (v6.8): give up the SWAP_HAS_CACHE that a
 * swap-in skipping the swap cache claimed with swapcache_prepare; the slot
 * is free once no entry references it. The same swap_map update as
 * put_swap_page, reached without a page in the swap cache.
 */
export function* swapcacheClear(t: ThreadContext, si: SwapDevice, offset: number): Access<void> {
  t.step(`swapcache_clear(${si.name}[${offset}])`);
  yield* putSwapPage(t, si, offset);
}

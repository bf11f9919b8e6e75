// DAX entries in i_pages (v4.7, ac401cc78242 "dax: New fault locking"): an
// exceptional radix-tree entry per index holding the pfn (or nothing yet,
// an "empty" entry), with a lock bit that faults take like a page lock.
// The tree_lock + wait-queue dance of grab_mapping_entry collapses into one
// await-RMW on the slot: sleep while the entry is locked, then lock it (or
// insert an empty locked entry).
//
// Encoding of a slot value v >= DAX_ENTRY_BASE (page ids and 0 stay below):
// DAX_ENTRY_BASE + (pfn << 2) + flags, flags = DAX_LOCKED | DAX_EMPTY.

import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { kernelThread, mightSleep, misuse, noteAcquired, noteReleased } from "../../kernel/kernelThread.ts";
import { NO_PAGE, type AddressSpace } from "../addressSpace.ts";
import type { Block } from "./blockMap.ts";

export const DAX_ENTRY_BASE = 1 << 20;
export const DAX_LOCKED = 1;
export const DAX_EMPTY = 2;

export const daxEntry = (pfn: number, flags: number): number => DAX_ENTRY_BASE + (pfn << 2) + flags;
export const isDaxEntry = (v: number): boolean => v >= DAX_ENTRY_BASE;
export const daxEntryLocked = (v: number): boolean => isDaxEntry(v) && (v & DAX_LOCKED) !== 0;
export const daxEntryPfn = (v: number): number => (v - DAX_ENTRY_BASE) >> 2;

const lockName = (f: AddressSpace, index: number) => `dax_entry(${f.name}, ${index})`;

/** The locked empty entry grab_mapping_entry inserts into an empty slot. */
export const EMPTY_LOCKED_ENTRY = daxEntry(0, DAX_EMPTY | DAX_LOCKED);

/**
 * grab_mapping_entry, v4.7: under the tree lock, sleep until the index's
 * entry is unlocked, then lock it; an empty slot gets an empty locked
 * entry. A slot holding a page (a hole page) is left as it is: the caller
 * locks the page instead. Returns the slot's value before.
 */
export function* grabMappingEntry(t: ThreadContext, f: AddressSpace, index: number): Access<number> {
  mightSleep(t, `grab_mapping_entry(${f.name}, ${index})`);
  const old = yield* t.awaitRmw(
    f.iPages[index]!,
    (v) => !daxEntryLocked(v),
    (v) => (v === NO_PAGE ? EMPTY_LOCKED_ENTRY : isDaxEntry(v) ? v | DAX_LOCKED : v),
    "acquire",
    `lock ${lockName(f, index)}`,
  );
  if (old === NO_PAGE || isDaxEntry(old)) noteAcquired(t, lockName(f, index), "bit-lock");
  return old;
}

/** The entry lock passes to a page that replaced the locked entry (a hole page), or back: lockdep's bookkeeping only. */
export function forgetEntryLock(t: ThreadContext, f: AddressSpace, index: number): void {
  noteReleased(t, lockName(f, index), "bit-lock", true);
}

export function noteEntryLock(t: ThreadContext, f: AddressSpace, index: number): void {
  noteAcquired(t, lockName(f, index), "bit-lock");
}

/** dax_insert_mapping_entry, v4.7: the locked entry now records the block's pfn (still locked). */
export function* daxInsertMappingEntry(t: ThreadContext, f: AddressSpace, index: number, b: Block): Access<void> {
  if (!kernelThread(t).holds(lockName(f, index), "bit-lock")) misuse(t, `dax_insert_mapping_entry without ${lockName(f, index)}`);
  yield* t.write(f.iPages[index]!, daxEntry(b.pfn, DAX_LOCKED), "once", undefined, `${f.name}.i_pages[${index}] := entry(pfn ${b.name})`);
}

/** put_locked_mapping_entry / dax_unlock_mapping_entry, v4.7: clear the lock bit and wake a waiter. */
export function* putLockedMappingEntry(t: ThreadContext, f: AddressSpace, index: number): Access<void> {
  noteReleased(t, lockName(f, index), "bit-lock", true);
  const old = yield* t.rmw(f.iPages[index]!, (v) => (daxEntryLocked(v) ? v & ~DAX_LOCKED : v), "release", `unlock ${lockName(f, index)}`);
  if (!daxEntryLocked(old)) misuse(t, `unlocking ${lockName(f, index)}, which is not locked`);
}

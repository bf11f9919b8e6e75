// What a page or a swap slot holds, for models whose question is which copy
// of the data a reader sees, or whether a write can be lost: page migration
// copies it (folio_migrate_copy), a fault that maps a fresh page sees
// zeroes, swap-out writes it to a slot and swap-in reads it back. One word
// per page and per slot, a version number the model chooses: the kernel
// copies a page's 4 KiB as one unit, under the page lock or with the page
// unmapped, and a word keeps that grain without modelling bytes.
//
// Data is declared, not built in: the mm paths copy it only where the model
// declared it, so models that do not follow data keep the accesses and
// executions they had. It is accessed with READ_ONCE/WRITE_ONCE-like marked
// accesses: the question is which page a reader reaches, not LKMM's
// plain-access data races.

import type { FinalState } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import type { Dependencies } from "../program/operation.ts";
import { NO_PAGE } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { migrationEntryPageId, pteKind, ptePageId, pteSwapOffset } from "./pte.ts";
import type { SwapDevice } from "./swapDevice.ts";
import type { Vma } from "./vma.ts";

const dataOf = new WeakMap<Page, Loc>();
const slotDataOf = new WeakMap<SwapDevice, readonly Loc[]>();

/**
 * Gives `page` a word of data, `init` at the start (default 0: the zeroed
 * page a fresh allocation gives), and returns the word; given several
 * pages, `init` may say each one's. Call while building the model. Declare
 * every page the data can reach (the pages a swap-in or a migration may
 * allocate too): a copy into an undeclared page is a model error.
 */
export function declarePageData(mc: Machine, page: Page, init?: number): Loc;
export function declarePageData(mc: Machine, pages: readonly Page[], init?: number | ((p: Page) => number)): Loc[];
export function declarePageData(mc: Machine, pages: Page | readonly Page[], init: number | ((p: Page) => number) = 0): Loc | Loc[] {
  const declare = (p: Page): Loc => {
    if (dataOf.has(p)) throw new Error(`declarePageData: ${p.name} already has data`);
    const loc = mc.m.location(`${p.name}.data`, typeof init === "number" ? init : init(p));
    dataOf.set(p, loc);
    return loc;
  };
  return Array.isArray(pages) ? pages.map(declare) : declare(pages as Page);
}

/** The data word of `p`, or undefined if the model declared none. */
export function pageDataOf(p: Page): Loc | undefined {
  return dataOf.get(p);
}

/** The data word of `p`, which the model must have declared with declarePageData. */
export function pageData(p: Page): Loc {
  const d = dataOf.get(p);
  if (d === undefined) throw new Error(`${p.name} has no data: declare it with declarePageData`);
  return d;
}

/**
 * A read of the data in `p` (a user load through a mapping of it, or the
 * kernel's kmap). `deps` names the read the address came from (a user
 * load's address depends on the pte or TLB entry that translated it).
 */
export function* readPageData(t: ThreadContext, p: Page, deps?: Dependencies): Access<number> {
  return yield* t.read(pageData(p), "once", deps);
}

/** A write of `value` into `p`. */
export function* writePageData(t: ThreadContext, p: Page, value: number): Access<void> {
  yield* t.write(pageData(p), value, "once", undefined, `${p.name}.data := ${value}`);
}

/** copy_highpage(dst, src): the data of `src` into `dst`; nothing if `src` has none. */
export function* copyPageData(t: ThreadContext, dst: Page, src: Page): Access<void> {
  const from = dataOf.get(src);
  if (from === undefined) return;
  const to = dataOf.get(dst);
  if (to === undefined) throw new Error(`copy_highpage: ${dst.name} has no data to receive ${src.name}'s (declarePageData)`);
  const v = yield* t.read(from, "once");
  yield* t.write(to, v, "once", undefined, `copy_highpage(${dst.name} <- ${src.name})`);
}

/** Declares what each slot of `si` holds on the device (default 0). */
export function declareSwapData(si: SwapDevice, initial: (offset: number) => number = () => 0): readonly Loc[] {
  const slots = si.swapMap.map((_, offset) => si.mc.m.location(`${si.name} slot ${offset} data`, initial(offset)));
  slotDataOf.set(si, slots);
  return slots;
}

/** The data word of slot `offset` of `si`, declared with declareSwapData. */
export function swapSlotData(si: SwapDevice, offset: number): Loc {
  const d = slotDataOf.get(si)?.[offset];
  if (d === undefined) throw new Error(`${si.name}[${offset}] has no data: declare it with declareSwapData`);
  return d;
}

/** Whether the model follows the data of `si`'s slots (the swap paths copy data only then). */
export function followsSwapData(si: SwapDevice): boolean {
  return slotDataOf.has(si);
}

/** swap_readpage()'s effect on the data: the slot's contents land in `p`. Nothing when the device's data is not followed. */
export function* readSlotIntoPage(t: ThreadContext, si: SwapDevice, offset: number, p: Page): Access<void> {
  if (!followsSwapData(si)) return;
  const v = yield* t.read(swapSlotData(si, offset), "once");
  yield* t.write(pageData(p), v, "once", undefined, `${p.name} <- ${si.name}[${offset}] (${v})`);
}

/** __swap_writepage()'s effect on the data: `p`'s contents land in the slot. Nothing when the device's data is not followed. */
export function* writePageToSlot(t: ThreadContext, si: SwapDevice, offset: number, p: Page): Access<void> {
  if (!followsSwapData(si)) return;
  const v = yield* t.read(pageData(p), "once");
  yield* t.write(swapSlotData(si, offset), v, "once", undefined, `${si.name}[${offset}] <- ${p.name} (${v})`);
}

/**
 * What the process reads at `v[index]` in a final state: the data of the
 * page a present pte maps, or of the page a migration entry left in place
 * names; for a swap entry of `si`, what its next fault would map: the swap
 * cache's page if the slot has one, else the slot's data on the device; 0
 * (the zero page) for a none pte. The question "was a write lost" is this
 * value against the last version written.
 */
export function dataSeenAt(s: FinalState, mc: Machine, si: SwapDevice, v: Vma, index: number): number {
  const pte = s.int(v.pte[index]!);
  const kind = pteKind(pte);
  if (kind === "none") return 0;
  if (kind !== "swap") return s.int(pageData(mc.pageById(kind === "present" ? ptePageId(pte) : migrationEntryPageId(pte))!));
  const offset = pteSwapOffset(pte);
  const cached = s.int(si.swapCache[offset]!);
  return cached !== NO_PAGE ? s.int(pageData(mc.pageById(cached)!)) : s.int(swapSlotData(si, offset));
}

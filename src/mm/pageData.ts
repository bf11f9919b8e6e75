// What a page or a swap slot holds, for models whose question is whether a
// write can be lost: one word of data per page and per slot, a version
// number the model chooses. The kernel copies a page's 4 KiB as one unit
// under the page lock or with the page unmapped; a word per page keeps
// that grain without modelling bytes.
//
// Data is declared, not built in: the mm paths copy it (swap_readpage from
// the slot into the page, swap_writepage from the page into the slot) only
// where the model declared it, so models that do not follow data keep the
// accesses and executions they had.

import type { FinalState } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { NO_PAGE } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { isSwapPte, ptePageId, ptePresent, pteSwapOffset } from "./pte.ts";
import type { SwapDevice } from "./swapDevice.ts";
import type { Vma } from "./vma.ts";

const pageDataOf = new WeakMap<Page, Loc>();
const slotDataOf = new WeakMap<SwapDevice, readonly Loc[]>();

/**
 * Declares the data of `pages` (each starts holding `initial`, default 0,
 * the zeroed page a fresh allocation would give). Declare every page the
 * data can reach: the pages a swap-in may allocate too, or the copy into
 * an undeclared page is reported as a model error.
 */
export function declarePageData(mc: Machine, pages: readonly Page[], initial: (p: Page) => number = () => 0): void {
  for (const p of pages) pageDataOf.set(p, mc.m.location(`data(${p.name})`, initial(p)));
}

/** The data word of `p`, declared with declarePageData. */
export function pageData(p: Page): Loc {
  const d = pageDataOf.get(p);
  if (d === undefined) throw new Error(`${p.name} has no data: declare it with declarePageData`);
  return d;
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
 * page a present pte maps; for a swap entry of `si`, what its next fault
 * would map: the swap cache's page if the slot has one, else the slot's
 * data on the device; 0 (the zero page) for a none pte. The question "was a
 * write lost" is this value against the last version written.
 */
export function dataSeenAt(s: FinalState, mc: Machine, si: SwapDevice, v: Vma, index: number): number {
  const pte = s.int(v.pte[index]!);
  if (ptePresent(pte)) return s.int(pageData(mc.pageById(ptePageId(pte))!));
  if (!isSwapPte(pte)) return 0;
  const offset = pteSwapOffset(pte);
  const cached = s.int(si.swapCache[offset]!);
  return cached !== NO_PAGE ? s.int(pageData(mc.pageById(cached)!)) : s.int(swapSlotData(si, offset));
}

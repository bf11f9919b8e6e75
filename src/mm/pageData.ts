// What a page holds, for models whose question is which copy of the data a
// reader sees: page migration copies it (folio_migrate_copy), a fault that
// maps a fresh page sees zeroes. One word per page, declared at build time
// for the pages that need it; pages without one have no data to lose.
// Accessed with READ_ONCE/WRITE_ONCE-like marked accesses: the question is
// which page a reader reaches, not LKMM's plain-access data races.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import type { Dependencies } from "../program/operation.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";

const dataOf = new WeakMap<Page, Loc>();

/** Gives `p` a word of data, `init` at the start (0: a zeroed page). Call while building the model. Returns the word. */
export function declarePageData(mc: Machine, p: Page, init = 0): Loc {
  if (dataOf.has(p)) throw new Error(`declarePageData: ${p.name} already has data`);
  const loc = mc.m.location(`${p.name}.data`, init);
  dataOf.set(p, loc);
  return loc;
}

/** The data word of `p`, or undefined if the model declared none. */
export function pageDataOf(p: Page): Loc | undefined {
  return dataOf.get(p);
}

/**
 * A read of the data in `p` (a user load through a mapping of it, or the
 * kernel's kmap). `deps` names the read the address came from (a user
 * load's address depends on the pte or TLB entry that translated it).
 */
export function* readPageData(t: ThreadContext, p: Page, deps?: Dependencies): Access<number> {
  const loc = dataOf.get(p);
  if (loc === undefined) throw new Error(`readPageData: ${p.name} has no data (declarePageData)`);
  return yield* t.read(loc, "once", deps);
}

/** A write of `value` into `p`. */
export function* writePageData(t: ThreadContext, p: Page, value: number): Access<void> {
  const loc = dataOf.get(p);
  if (loc === undefined) throw new Error(`writePageData: ${p.name} has no data (declarePageData)`);
  yield* t.write(loc, value, "once", undefined, `${p.name}.data := ${value}`);
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

// A physical-memory scanner: code that walks pfns and looks at struct pages
// it holds no reference to (compaction's isolate_migratepages_block,
// memory-failure, /proc/kpageflags). Every page_count() or PageFoo() it does
// on a tail goes through compound_head(), with nothing keeping the compound
// page alive meanwhile: the reader Hugh worried about in seed 003.
//
// I-HEAD is checked where the scanner dereferences the head: the pointer must
// be a real struct page, and one that this tail could have as its head (the
// tail itself when it is not a tail, or a head the scenario gives it).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { formatValue } from "../program/value.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import type { CompoundHeadFn, HeadPointer } from "./compound.ts";

/** I-HEAD at the moment of use: returns the head page, or fails the execution naming what compound_head returned. */
export function checkHeadPointer(t: ThreadContext, mc: Machine, p: Page, head: HeadPointer, heads: readonly Page[]): Page {
  const call = `I-HEAD: compound_head(${p.name}) returned`;
  if (head === 0) t.assert(false, `${call} NULL, and page_count() dereferences it`);
  if (typeof head !== "number") t.assert(false, `${call} ${formatValue(head)}, a stale union value, not a struct page`);
  const page = mc.pageById(head as number);
  if (page === undefined) t.assert(false, `${call} page #${formatValue(head)}, decoded from a union value with bit 0 set: not a struct page`);
  t.assert(page === p || heads.includes(page!), `${call} ${page!.name}, never ${p.name}'s head`);
  return page!;
}

/** page_count(), v3.x–4.x: atomic_read(&compound_head(page)->_count). */
export function* pageCount(t: ThreadContext, mc: Machine, p: Page, compoundHead: CompoundHeadFn, heads: readonly Page[]): Access<number> {
  return (yield* pageCountOf(t, mc, p, compoundHead, heads)).count;
}

/** page_count(), also telling the caller which head it counted. */
function* pageCountOf(t: ThreadContext, mc: Machine, p: Page, compoundHead: CompoundHeadFn, heads: readonly Page[]): Access<{ head: Page; count: number }> {
  const head = checkHeadPointer(t, mc, p, yield* compoundHead(t, p), heads);
  t.step(`page_count(${p.name}): atomic_read(&${head.name}->_count)`);
  return { head, count: yield* t.read(head.refcount, "once") };
}

/**
 * isolate_migratepages_block(), v4.2 (isolate_migratepages_range before
 * v3.17): for each pfn, the racy "pinned page" test on page_count(), with no
 * reference held. Only the compound_head() inside page_count() matters here.
 * Returns, per pfn, the id of the head page_count() looked at (for tests
 * and final checks: the thread's registers).
 */
export function* isolateMigratepagesBlock(t: ThreadContext, mc: Machine, pfns: readonly Page[], compoundHead: CompoundHeadFn, heads: readonly Page[]): Access<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (const p of pfns) {
    t.step(`isolate_migratepages_block: pfn of ${p.name}, page_count(${p.name})`);
    seen[p.name] = (yield* pageCountOf(t, mc, p, compoundHead, heads)).head.id;
  }
  return seen;
}

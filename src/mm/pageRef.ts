// Page references and freeing: get_page, get_page_unless_zero, put_page and
// the checks the allocator makes when the last reference goes (I-FREE at
// the moment of the free: a page must not be freed while mapped or mlocked).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { refGet, refGetUnlessZero, refPutTestZero } from "../kernel/refcount.ts";
import { testBit } from "../kernel/bitops.ts";
import type { Page } from "./page.ts";
import { runFreeHooks } from "./freeHooks.ts";

export function getPage(t: ThreadContext, p: Page): Access<void> {
  return refGet(t, p.refcount);
}

export function getPageUnlessZero(t: ThreadContext, p: Page): Access<boolean> {
  return refGetUnlessZero(t, p.refcount);
}

/** put_page: drops a reference; the last one frees the page. Returns whether it did. */
export function* putPage(t: ThreadContext, p: Page): Access<boolean> {
  if (!(yield* refPutTestZero(t, p.refcount))) return false;
  yield* freePage(t, p);
  return true;
}

/** __free_pages / free_unref_page: the page goes back to the allocator (refcount 0 marks it free). */
export function* freePage(t: ThreadContext, p: Page): Access<void> {
  const prev = t.currentStep;
  t.step(`free ${p.name}`);
  const mapcount = yield* t.read(p.mapcount, "once");
  t.assert(mapcount === 0, `I-FREE: ${p.name} freed while ${mapcount} pte(s) map it`);
  t.assert(!(yield* testBit(t, p.flag("mlocked"))), `I-FREE: ${p.name} freed with PG_mlocked set`);
  yield* runFreeHooks(t, p);
  if (prev !== undefined) t.step(prev);
}

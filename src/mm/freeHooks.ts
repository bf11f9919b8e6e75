// What happens after the last reference to a page goes: the checks the
// allocator makes at free time (free_pages_check) and the layers a machine
// adds on top, such as the TLB's "no TLB entry maps a freed page" and the
// order-0 allocator's free list. A Machine collects hooks at build time;
// freePage (pageRef.ts) runs them, so a machine without hooks frees exactly
// as before (no extra events).

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Page } from "./page.ts";

/** Runs inside freePage, after the refcount reached 0, in the freeing thread. */
export type PageFreeHook = (t: ThreadContext, p: Page) => Access<void>;

/** A machine's hooks, by the pages it declared (a Page does not point at its Machine). */
const hooksByPage = new WeakMap<Page, PageFreeHook[]>();

/** Called by Machine.page(): the page shares its machine's hook list. */
export function attachFreeHooks(p: Page, hooks: PageFreeHook[]): void {
  hooksByPage.set(p, hooks);
}

export function* runFreeHooks(t: ThreadContext, p: Page): Access<void> {
  for (const hook of hooksByPage.get(p) ?? []) yield* hook(t, p);
}

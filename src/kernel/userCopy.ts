// Copies from user memory. copy_from_user() may take a page fault on the
// source, and the fault handler may sleep on locks (the page lock,
// mmap_lock): that nested fault is where seeds 000 and 001 deadlock.
// With page faults disabled (pagefault_disable(), copy_from_user_inatomic)
// a missing page ends the copy short instead.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { kernelThread, mightSleep, misuse } from "./kernelThread.ts";

/** One page of a user buffer, as the kernel sees it through the page tables. */
export interface UserPage {
  readonly name: string;
  /** Whether a present pte maps it now (the copy can proceed without a fault). */
  present(t: ThreadContext): Access<boolean>;
  /** The page fault handler for it; false when the fault fails (SIGBUS/EFAULT). */
  fault(t: ThreadContext): Access<boolean>;
}

export function pagefaultDisable(t: ThreadContext): void {
  kernelThread(t).pagefaultDisabled++;
}

export function pagefaultEnable(t: ThreadContext): void {
  const k = kernelThread(t);
  if (k.pagefaultDisabled === 0) misuse(t, "pagefault_enable() without pagefault_disable()");
  k.pagefaultDisabled--;
}

/** Copies page by page; returns how many source pages were copied (a short copy stops early). */
export function* copyFromUser(t: ThreadContext, source: readonly UserPage[]): Access<number> {
  let copied = 0;
  for (const page of source) {
    if (!(yield* page.present(t))) {
      if (kernelThread(t).pagefaultDisabled > 0) return copied;
      mightSleep(t, `a page fault on ${page.name} in copy_from_user`);
      t.step(`copy_from_user: fault on ${page.name}`);
      if (!(yield* page.fault(t))) return copied;
    }
    copied++;
  }
  return copied;
}

/** copy_from_user_inatomic / copy_page_from_iter_atomic: never faults, may copy short. */
export function* copyFromUserInatomic(t: ThreadContext, source: readonly UserPage[]): Access<number> {
  pagefaultDisable(t);
  const copied = yield* copyFromUser(t, source);
  pagefaultEnable(t);
  return copied;
}

/** fault_in_pages_readable / fault_in_iov_iter_readable: touches each page, faulting it in; returns how many are readable. */
export function* faultInReadable(t: ThreadContext, source: readonly UserPage[]): Access<number> {
  return yield* copyFromUser(t, source);
}

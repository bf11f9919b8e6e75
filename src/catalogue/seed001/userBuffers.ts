// The other user-side actors of seed 001's write deadlocks: anonymous user
// buffers (resident, or swapped out by memory pressure so that touching
// them faults) and a task that holds mmap_sem for writing while it faults
// pages in through get_user_pages (munmap, mlock: Nick's "b.-g." chain).

import type { Access, ThreadContext } from "../../program/threadContext.ts";
import type { ModelBuilder } from "../../program/model.ts";
import type { UserPage } from "../../kernel/userCopy.ts";
import { downRead, downWrite, upRead, upWrite } from "../../kernel/rwsem.ts";
import type { Machine } from "../../mm/machine.ts";
import type { FaultHandler } from "../../mm/userMemory.ts";
import { PTE_NONE, type MmStruct, type Vma } from "../../mm/vma.ts";

/** A pte value for an anonymous page of a user buffer (no struct page is modelled for it). */
const ANON_PTE = 1;

/**
 * A page of an anonymous user buffer in `mm`: resident, or swapped out so
 * that the first touch takes a fault (do_swap_page under mmap_sem for read)
 * that brings the same data back.
 */
export function anonUserPage(m: ModelBuilder, mm: MmStruct, name: string, resident: boolean): UserPage {
  const pte = m.location(`pte(${name})`, resident ? ANON_PTE : PTE_NONE);
  return {
    name,
    *present(t: ThreadContext) {
      return (yield* t.read(pte, "once")) !== PTE_NONE;
    },
    *fault(t: ThreadContext) {
      t.step(`page fault on ${name}: down_read(mmap_lock)`);
      yield* downRead(t, mm.mmapLock);
      t.step(`do_swap_page(${name})`);
      yield* t.write(pte, ANON_PTE, "once", undefined, `set pte(${name})`);
      t.step(`page fault on ${name}: up_read(mmap_lock)`);
      yield* upRead(t, mm.mmapLock);
      return true;
    },
  };
}

/**
 * sys_mlock → mlock_fixup → make_pages_present → get_user_pages, v2.6.18:
 * mmap_sem held for writing while get_user_pages faults each missing page
 * in with handle_mm_fault (munmap and others take the same path).
 */
export function* mlockGetUserPages(t: ThreadContext, mc: Machine, v: Vma, index: number, handler: FaultHandler): Access<void> {
  t.step(`mlock(${v.name}): down_write(mmap_lock)`);
  yield* downWrite(t, v.mm.mmapLock);
  t.step(`get_user_pages(${v.name}, ${index}): follow_page`);
  if ((yield* t.read(v.pte[index]!, "once")) === PTE_NONE) {
    t.step(`get_user_pages: handle_mm_fault(${v.name}, ${index})`);
    yield* handler(t, mc, v, index);
  }
  t.step(`mlock(${v.name}): up_write(mmap_lock)`);
  yield* upWrite(t, v.mm.mmapLock);
}

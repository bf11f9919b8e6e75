// madvise(MADV_DONTNEED) (mm/madvise.c): throw away a range's pages. For a
// private file mapping the COW copies go and the next touch faults the
// file's page back in, which is why a racing get_user_pages must never
// mistake "the pte was zapped and refaulted" for "COW was broken".

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { downRead, upRead } from "../kernel/rwsem.ts";
import type { Machine } from "./machine.ts";
import { zapPteRange } from "./pageTable.ts";
import type { Vma } from "./vma.ts";
import { zapHugePmd, type HugePmd } from "./hugePmd.ts";

/** madvise_dontneed() → zap_page_range(), v4.x–v5.x: under mmap_lock for read, zap [from, to) of `v`, anonymous COW pages included; the TLB flush precedes the frees. */
export function* madviseDontneed(t: ThreadContext, mc: Machine, v: Vma, from: number, to: number): Access<void> {
  t.step(`madvise(${v.name}, ${from}..${to}, MADV_DONTNEED): down_read(mmap_lock)`);
  yield* downRead(t, v.mm.mmapLock);
  t.step(`zap_page_range(${v.name}, ${from}..${to})`);
  yield* zapPteRange(t, mc, v, from, to, { evenCows: true });
  yield* upRead(t, v.mm.mmapLock);
}

/** madvise_dontneed() over a huge pmd, v4.x: under mmap_lock for read, zap_pmd_range's look at the pmd and, if huge, zap_huge_pmd. */
export function* madviseDontneedHuge(t: ThreadContext, h: HugePmd): Access<void> {
  t.step(`madvise(${h.name}, MADV_DONTNEED): down_read(mmap_lock)`);
  yield* downRead(t, h.mm.mmapLock);
  yield* zapHugePmd(t, h);
  yield* upRead(t, h.mm.mmapLock);
}

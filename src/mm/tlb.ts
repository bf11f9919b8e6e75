// The TLB (arch/x86/mm/tlb.c, mm/mmu_gather.c): what CPUs have cached of an
// mm's page tables. A pte change does not reach a CPU that cached the old
// translation until the TLB is flushed; until then that CPU reads and
// writes the old page. Freeing a page that some TLB entry still maps is a
// use-after-free in waiting, which is why the kernel frees the pages an
// unmap took out of the page table only after the flush (the mmu_gather).
//
// Modelled per mm, one entry per (VMA, index): the union of every CPU's TLB
// running that mm. An entry holds the page id it translates to, or
// TLB_EMPTY. Entries are filled by an access that walks the page table
// (userAccess) or start filled (the process touched the page before the
// scenario); flush_tlb_range empties them, as its IPIs do on every CPU.
// The invariant I-TLB is checked at every free of a page of the machine.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { putPage } from "./pageRef.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { PTE_NONE, type MmStruct, type Vma } from "./vma.ts";

export const TLB_EMPTY = 0;

export const I_TLB = "I-TLB: no TLB entry maps a freed page";

/** The TLB of each mm that has one, so paths that only know a VMA (zap_pte_range) can flush it. */
const tlbOfMm = new WeakMap<MmStruct, Tlb>();

export class Tlb {
  private readonly entriesByVma = new Map<Vma, readonly Loc[]>();
  /**
   * A CPU takes a flush's IPI between instructions, so an access (its walk,
   * its fill and its use of the translation) and a flush do not interleave.
   * This word makes each of them one critical section.
   */
  readonly instructionBoundary: Loc;

  /** The TLB of `mm`; every free in `mc` checks I-TLB against it. Declare the VMAs it covers with `cover`. */
  constructor(
    readonly mc: Machine,
    readonly mm: MmStruct,
  ) {
    if (tlbOfMm.has(mm)) throw new Error(`${mm.name} already has a TLB`);
    tlbOfMm.set(mm, this);
    this.instructionBoundary = mc.m.location(`ipi(${mm.name})`, 0);
    mc.freeHooks.push((t, p) => this.checkNotCached(t, p));
  }

  /** The TLB entries for `v`'s addresses; `loaded` indices start cached with the page their pte maps. */
  cover(v: Vma, opts: { readonly loaded?: readonly number[] } = {}): readonly Loc[] {
    if (v.mm !== this.mm) throw new Error(`TLB of ${this.mm.name}: ${v.name} belongs to ${v.mm.name}`);
    const loaded = new Set(opts.loaded ?? []);
    const m = this.mc.m;
    const entries = m.array(`tlb(${v.name})`, v.pte.length, (i) => (loaded.has(i) ? (m.initialValue(v.pte[i]!) as number) : TLB_EMPTY));
    for (const i of loaded) if (m.initialValue(v.pte[i]!) === PTE_NONE) throw new Error(`TLB of ${v.name}: index ${i} has no pte to cache`);
    this.entriesByVma.set(v, entries);
    return entries;
  }

  entries(v: Vma): readonly Loc[] | undefined {
    return this.entriesByVma.get(v);
  }

  /** I-TLB, at the moment of the free: no entry of this mm still translates to the page. */
  private *checkNotCached(t: ThreadContext, p: Page): Access<void> {
    for (const [v, entries] of this.entriesByVma)
      for (const [i, e] of entries.entries()) {
        const cached = yield* t.read(e, "once");
        t.assert(cached !== p.id, `${I_TLB}: ${p.name} freed while the TLB of ${this.mm.name} still maps ${v.name}[${i}] to it`);
      }
  }
}

export function tlbOf(mm: MmStruct): Tlb | undefined {
  return tlbOfMm.get(mm);
}

/**
 * A user access to `v[index]` as the CPU performs it: through the TLB entry
 * if one is cached, stale or not; otherwise a page-table walk that caches
 * the pte it finds. Returns the page accessed, or undefined (a fault). The
 * access asserts the page is still allocated: a CPU reading a freed page
 * through a stale entry is the use-after-free the flush rules prevent.
 */
export function* userAccess(t: ThreadContext, tlb: Tlb, v: Vma, index: number): Access<Page | undefined> {
  const entries = tlb.entries(v);
  if (entries === undefined) throw new Error(`userAccess: the TLB of ${tlb.mm.name} does not cover ${v.name}`);
  t.step(`access ${v.name}[${index}]`);
  yield* spinLock(t, tlb.instructionBoundary);
  let id = yield* t.read(entries[index]!, "once");
  if (id === TLB_EMPTY) {
    id = yield* t.read(v.pte[index]!, "once");
    if (id !== PTE_NONE) yield* t.write(entries[index]!, id, "once", undefined, `tlb fill ${v.name}[${index}]`);
  }
  const p = id === PTE_NONE ? undefined : tlb.mc.pageById(id);
  if (p !== undefined) t.assert((yield* t.read(p.refcount, "once")) > 0, `${I_TLB}: ${t.name} accessed freed ${p.name} through a stale TLB entry for ${v.name}[${index}]`);
  yield* spinUnlock(t, tlb.instructionBoundary);
  return p;
}

/** flush_tlb_range(vma, start, end), v4.x–6.x: every CPU drops its entries for [from, to) of `v` (the IPIs are waited for). */
export function* flushTlbRange(t: ThreadContext, v: Vma, from: number, to: number): Access<void> {
  const tlb = tlbOf(v.mm);
  const entries = tlb?.entries(v);
  if (tlb === undefined || entries === undefined) return;
  yield* spinLock(t, tlb.instructionBoundary);
  for (let i = from; i < Math.min(to, entries.length); i++) yield* t.write(entries[i]!, TLB_EMPTY, "once", undefined, `flush_tlb_range(${v.name}, ${i})`);
  yield* spinUnlock(t, tlb.instructionBoundary);
}

/**
 * struct mmu_gather: the unmap in progress of one VMA range. Ptes cleared
 * under the PTL go here (tlbRemovePage) with the reference they held; the
 * pages are freed only in tlb_finish_mmu, after the flush.
 */
export interface MmuGather {
  readonly vma: Vma;
  readonly from: number;
  readonly to: number;
  readonly pages: Page[];
}

/** tlb_gather_mmu(), v4.x–6.x: start a batch for [from, to) of `v`. Touches no memory. */
export function tlbGatherMmu(v: Vma, from: number, to: number): MmuGather {
  return { vma: v, from, to, pages: [] };
}

/** tlb_remove_page(): the pte was cleared; its reference waits in the batch. */
export function tlbRemovePage(g: MmuGather, p: Page): void {
  g.pages.push(p);
}

/** tlb_finish_mmu(), v4.x–6.x: flush the range's TLB entries, then drop the references the cleared ptes held. */
export function* tlbFinishGather(t: ThreadContext, g: MmuGather): Access<void> {
  if (g.pages.length === 0) return;
  t.step(`tlb_finish_mmu(${g.vma.name}): flush`);
  yield* flushTlbRange(t, g.vma, g.from, g.to);
  for (const p of g.pages) {
    t.step(`tlb_finish_mmu: put_page(${p})`);
    yield* putPage(t, p);
  }
}

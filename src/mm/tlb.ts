// The TLB (arch/x86/mm/tlb.c, mm/mmu_gather.c): what CPUs have cached of an
// mm's page tables. A pte change does not reach a CPU that cached the old
// translation until the TLB is flushed; until then that CPU reads and
// writes the old page. Freeing a page that some TLB entry still maps is a
// use-after-free in waiting, which is why the kernel frees the pages an
// unmap took out of the page table only after the flush (the mmu_gather).
//
// Modelled per mm and per CPU running it: one entry per (CPU, VMA, index).
// An entry holds the page id it translates to, or TLB_EMPTY. Entries are
// filled by an access on that CPU that walks the page table (userAccess)
// and finds a present pte, or start filled (the process touched the page
// on that CPU before the scenario); flush_tlb_range empties them on every
// CPU, as its IPIs do. A TLB declared without CPUs has one, `cpu0`: the
// union of every CPU's TLB, which is all a question about frees needs.
// What a CPU would translate an address to right now is tlbTranslation in
// thread code and Tlb.translation on a final state, so that "no CPU can
// still reach the page" can be said directly. The invariant I-TLB is
// checked at every free of a page of the machine.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { putPage } from "./pageRef.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { FinalState } from "../program/model.ts";
import { PTE_NONE, type MmStruct, type Vma } from "./vma.ts";
import { ptePageId, ptePresent } from "./pte.ts";
import { readPageData } from "./pageData.ts";

/** A TLB entry that caches no translation. */
export const TLB_EMPTY = 0;

/** The invariant every free checks against every TLB of the machine. */
export const I_TLB = "I-TLB: no TLB entry maps a freed page";

/** The TLB of each mm that has one, so paths that only know a VMA (zap_pte_range) can flush it. */
const tlbOfMm = new WeakMap<MmStruct, Tlb>();

export interface TlbOptions {
  /** The CPUs running the mm, each with a TLB of its own (default: one, `cpu0`). */
  readonly cpus?: readonly string[];
}

export interface TlbCoverOptions {
  /** Indices whose entries start cached with the page their pte maps. */
  readonly loaded?: readonly number[];
  /** The CPUs on which `loaded` start cached (default: every CPU). */
  readonly loadedOn?: readonly string[];
}

/** The TLBs of the CPUs running one mm, over the VMAs declared with `cover`. */
export class Tlb {
  /** The CPUs running the mm; the first is the one an access or a question names no CPU for. */
  readonly cpus: readonly string[];
  private readonly entriesByVma = new Map<Vma, ReadonlyMap<string, readonly Loc[]>>();
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
    opts: TlbOptions = {},
  ) {
    if (tlbOfMm.has(mm)) throw new Error(`${mm.name} already has a TLB`);
    this.cpus = opts.cpus ?? ["cpu0"];
    if (this.cpus.length === 0 || new Set(this.cpus).size !== this.cpus.length) throw new Error(`TLB of ${mm.name}: CPUs must be named, each once`);
    tlbOfMm.set(mm, this);
    this.instructionBoundary = mc.m.location(`ipi(${mm.name})`, 0);
    // First among the hooks: the check is of the page as it is freed, before
    // the allocator's hook makes it allocatable (and cacheable) again.
    mc.freeHooks.unshift((t, p) => this.checkNotCached(t, p));
  }

  /**
   * The TLB entries for `v`'s addresses on every CPU; `loaded` indices start
   * cached (on the CPUs `loadedOn` names, or all) with the page their pte
   * maps. Returns the first CPU's entries.
   */
  cover(v: Vma, opts: TlbCoverOptions = {}): readonly Loc[] {
    if (v.mm !== this.mm) throw new Error(`TLB of ${this.mm.name}: ${v.name} belongs to ${v.mm.name}`);
    const loaded = new Set(opts.loaded ?? []);
    const loadedOn = new Set(opts.loadedOn ?? this.cpus);
    for (const cpu of loadedOn) this.checkCpu(cpu);
    const m = this.mc.m;
    for (const i of loaded) if (!ptePresent(m.initialValue(v.pte[i]!) as number)) throw new Error(`TLB of ${v.name}: index ${i} has no present pte to cache`);
    const byCpu = new Map<string, readonly Loc[]>();
    for (const cpu of this.cpus) {
      const name = this.cpus.length === 1 ? `tlb(${v.name})` : `tlb(${v.name})@${cpu}`;
      const cached = (i: number) => (loaded.has(i) && loadedOn.has(cpu) ? ptePageId(m.initialValue(v.pte[i]!) as number) : TLB_EMPTY);
      const entries = m.array(name, v.pte.length, cached);
      m.describe(entries, (x) => (x === TLB_EMPTY ? "empty" : this.mc.pageName(x)));
      byCpu.set(cpu, entries);
    }
    this.entriesByVma.set(v, byCpu);
    return byCpu.get(this.cpus[0]!)!;
  }

  /** `cpu`'s entries for `v` (default: the first CPU's); undefined if the TLB does not cover `v`. */
  entries(v: Vma, cpu: string = this.cpus[0]!): readonly Loc[] | undefined {
    this.checkCpu(cpu);
    return this.entriesByVma.get(v)?.get(cpu);
  }

  /**
   * At quiescence: the page `cpu`'s TLB translates `v[index]` to, stale or
   * not, or undefined if it caches nothing there (an access would walk the
   * page table). For final-state checks; thread code asks tlbTranslation.
   */
  translation(s: FinalState, v: Vma, index: number, cpu: string = this.cpus[0]!): Page | undefined {
    const e = this.entryOf(v, index, cpu);
    const id = s.int(e);
    return id === TLB_EMPTY ? undefined : this.mc.pageById(id);
  }

  /** At quiescence: every (CPU, VMA, index) whose entry still translates to `p`. Empty when no CPU can reach it without a fault. */
  reachers(s: FinalState, p: Page): { cpu: string; vma: Vma; index: number }[] {
    const found: { cpu: string; vma: Vma; index: number }[] = [];
    for (const [v, byCpu] of this.entriesByVma)
      for (const [cpu, entries] of byCpu) for (const [i, e] of entries.entries()) if (s.int(e) === p.id) found.push({ cpu, vma: v, index: i });
    return found;
  }

  /**
   * I-TLB at quiescence as well: no CPU's TLB translates any covered
   * address to a freed page. Freed is what freePage leaves: a count of 0 on
   * a page that is not a compound tail. A tail's count is 0 by design (the
   * head holds the compound page's references, compound.ts), and a TLB
   * entry may map it while the compound page is in use.
   */
  checkNoFreedPageReachable(name = `${I_TLB} (at the end)`): void {
    this.mc.m.forall(name, (s) => this.mc.pages.every((p) => !isFreedAt(s, p) || this.reachers(s, p).length === 0));
  }

  /** The entry of `cpu` for `v[index]`; throws if the TLB does not cover it. */
  entryOf(v: Vma, index: number, cpu: string = this.cpus[0]!): Loc {
    const e = this.entries(v, cpu)?.[index];
    if (e === undefined) throw new Error(`TLB of ${this.mm.name}: ${v.name}[${index}] is not covered (cover the VMA first)`);
    return e;
  }

  private checkCpu(cpu: string): void {
    if (!this.cpus.includes(cpu)) throw new Error(`TLB of ${this.mm.name}: no CPU ${cpu} (it has ${this.cpus.join(", ")})`);
  }

  private where(cpu: string): string {
    return this.cpus.length === 1 ? "" : ` on ${cpu}`;
  }

  /** I-TLB, at the moment of the free: no entry of this mm, on any CPU, still translates to the page. */
  private *checkNotCached(t: ThreadContext, p: Page): Access<void> {
    for (const [v, byCpu] of this.entriesByVma)
      for (const [cpu, entries] of byCpu)
        for (const [i, e] of entries.entries()) {
          const cached = yield* t.read(e, "once");
          t.assert(cached !== p.id, `${I_TLB}: ${p.name} freed while the TLB of ${this.mm.name}${this.where(cpu)} still maps ${v.name}[${i}] to it`);
        }
  }

  /** For the access and flush functions below: every CPU's entries for `v`. */
  allEntries(v: Vma): ReadonlyMap<string, readonly Loc[]> | undefined {
    return this.entriesByVma.get(v);
  }
}

/**
 * A freed page at quiescence: count 0 and not a compound tail (PG_tail in
 * the two-field encoding, bit 0 of compound_head in the one-word one),
 * whose count is 0 while its compound page lives.
 */
function isFreedAt(s: FinalState, p: Page): boolean {
  if (s.int(p.refcount) !== 0) return false;
  const head = s.value(p.compoundHead);
  const oneWordTail = typeof head === "number" && (head & 1) === 1;
  return !oneWordTail && !p.flagIn((l) => s.int(l), "tail");
}

/** The TLB declared for `mm`, if any (paths that only know a VMA flush through it). */
export function tlbOf(mm: MmStruct): Tlb | undefined {
  return tlbOfMm.get(mm);
}

/**
 * A user access to `v[index]` as CPU `cpu` (default: the TLB's first)
 * performs it: through its TLB entry if one is cached, stale or not;
 * otherwise a page-table walk that caches the pte it finds if it is present.
 * Returns the page accessed, or undefined (a fault: the pte is none, a swap
 * entry or a migration entry; the caller handles the fault and retries). The
 * access asserts the page is still allocated: a CPU reading a freed page
 * through a stale entry is the use-after-free the flush rules prevent.
 */
export function* userAccess(t: ThreadContext, tlb: Tlb, v: Vma, index: number, cpu?: string): Access<Page | undefined> {
  return (yield* accessThroughTlb(t, tlb, v, index, cpu, false))?.page;
}

/**
 * userAccess that also loads the word of data the page holds (pageData.ts)
 * within the same instruction, so no flush and free can come between
 * finding the page and reading it. Undefined on a fault.
 */
export function* userLoad(t: ThreadContext, tlb: Tlb, v: Vma, index: number, cpu?: string): Access<{ page: Page; data: number } | undefined> {
  const r = yield* accessThroughTlb(t, tlb, v, index, cpu, true);
  return r === undefined ? undefined : { page: r.page, data: r.data! };
}

function* accessThroughTlb(t: ThreadContext, tlb: Tlb, v: Vma, index: number, cpu: string | undefined, load: boolean): Access<{ page: Page; data?: number } | undefined> {
  const entries = tlb.entries(v, cpu);
  if (entries === undefined) throw new Error(`userAccess: the TLB of ${tlb.mm.name} does not cover ${v.name}`);
  t.step(`access ${v.name}[${index}]${cpu === undefined ? "" : ` on ${cpu}`}`);
  yield* spinLock(t, tlb.instructionBoundary);
  // The translation the access uses: its address depends on the entry, or on the pte the walk read.
  let translation = yield* t.readHandle(entries[index]!, "once");
  let id = translation.value;
  if (id === TLB_EMPTY) {
    translation = yield* t.readHandle(v.pte[index]!, "once");
    const pte = translation.value;
    id = ptePresent(pte) ? ptePageId(pte) : PTE_NONE;
    if (id !== PTE_NONE) yield* t.write(entries[index]!, id, "once", undefined, `tlb fill ${v.name}[${index}]`);
  }
  const p = id === PTE_NONE ? undefined : tlb.mc.pageById(id);
  if (p !== undefined) t.assert((yield* t.read(p.refcount, "once")) > 0, `${I_TLB}: ${t.name} accessed freed ${p.name} through a stale TLB entry for ${v.name}[${index}]`);
  const data = p !== undefined && load ? yield* readPageData(t, p, { addr: [translation.dep] }) : undefined;
  yield* spinUnlock(t, tlb.instructionBoundary);
  return p === undefined ? undefined : { page: p, data };
}

/**
 * What CPU `cpu`'s TLB (default: the first) would translate `v[index]` to
 * right now: the page its cached entry names, stale or not, or undefined
 * if it caches nothing there (an access would walk the page table and see
 * the pte as it is). One read of the entry, between two instructions of
 * that CPU; fills nothing. After an unmap whose flush has not run yet, this
 * is the page the unmap took away.
 */
export function* tlbTranslation(t: ThreadContext, tlb: Tlb, v: Vma, index: number, cpu?: string): Access<Page | undefined> {
  const e = tlb.entryOf(v, index, cpu);
  yield* spinLock(t, tlb.instructionBoundary);
  const id = yield* t.read(e, "once");
  yield* spinUnlock(t, tlb.instructionBoundary);
  return id === TLB_EMPTY ? undefined : tlb.mc.pageById(id);
}

/**
 * Asserts that no CPU's TLB translates any address of `v[from, to)` to a
 * page other than the one its pte maps now (none, for a pte that is not
 * present): what a caller of munmap or madvise(MADV_DONTNEED) may rely on
 * once the call returns. Entry and pte are read between two instructions of
 * every CPU (no access or flush in between).
 */
export function* assertNoStaleTranslation(t: ThreadContext, tlb: Tlb, v: Vma, from: number, to: number, when: string): Access<void> {
  const byCpu = tlb.allEntries(v);
  if (byCpu === undefined) throw new Error(`assertNoStaleTranslation: the TLB of ${tlb.mm.name} does not cover ${v.name}`);
  // A step of its own, so the check's reads are not taken for the caller's last step; the caller's label comes back after.
  const callerStep = t.currentStep;
  t.step(`check: no stale TLB entry for ${v.name}[${from}, ${to}) ${when}`);
  yield* spinLock(t, tlb.instructionBoundary);
  for (let i = from; i < Math.min(to, v.pte.length); i++) {
    const pte = yield* t.read(v.pte[i]!, "once");
    const mapped = ptePresent(pte) ? ptePageId(pte) : TLB_EMPTY;
    for (const [cpu, entries] of byCpu) {
      const cached = yield* t.read(entries[i]!, "once");
      const page = tlb.mc.pageName(cached) ?? String(cached);
      t.assert(cached === TLB_EMPTY || cached === mapped, `stale TLB entry ${when}: ${tlb.cpus.length === 1 ? "a CPU" : cpu} still translates ${v.name}[${i}] to ${page}`);
    }
  }
  yield* spinUnlock(t, tlb.instructionBoundary);
  if (callerStep !== undefined) t.step(callerStep);
}

/** flush_tlb_range(vma, start, end), v4.x–6.x: every CPU drops its entries for [from, to) of `v` (the IPIs are waited for). */
export function* flushTlbRange(t: ThreadContext, v: Vma, from: number, to: number): Access<void> {
  const tlb = tlbOf(v.mm);
  const byCpu = tlb?.allEntries(v);
  if (tlb === undefined || byCpu === undefined) return;
  yield* spinLock(t, tlb.instructionBoundary);
  for (const [cpu, entries] of byCpu)
    for (let i = from; i < Math.min(to, entries.length); i++)
      yield* t.write(entries[i]!, TLB_EMPTY, "once", undefined, `flush_tlb_range(${v.name}, ${i})${tlb.cpus.length === 1 ? "" : ` on ${cpu}`}`);
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

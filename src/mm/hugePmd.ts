// The pmd level with a huge pmd (mm/huge_memory.c, v4.x): one pmd maps a
// transparent huge page directly, under the pmd's lock. Walkers that hold
// mmap_lock only for read look at a pmd without its lock first, as
// zap_pmd_range does: a pmd that is none is skipped. So a path holding the
// pmd lock must never leave a huge pmd transiently none, or a racing
// MADV_DONTNEED skips a mapping that comes back after it returned. That is
// what pmdp_invalidate is for: it makes the pmd not present (the hardware
// stops using it) but leaves it huge for software walkers.
//
// A pmd here holds PMD_NONE, a huge page's id (present), or the id with
// PMD_INVALID (pmdp_invalidate: not present, still huge). The THP is one
// Page of the machine standing for the whole compound page.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { describeLockWord, spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { putPage } from "./pageRef.ts";
import { pageRemoveRmap } from "./pageTable.ts";
import type { MmStruct } from "./vma.ts";

export const PMD_NONE = 0;
/** _PAGE_PRESENT cleared by pmdp_invalidate: the pmd still maps the huge page for software, not for the MMU. */
export const PMD_INVALID = 1 << 22;
/** _PAGE_PROTNONE: a NUMA hinting pmd (change_huge_pmd with prot_numa). */
export const PMD_PROTNONE = 1 << 23;
/** The pmd points to a page table (after a split): its ptes map the subpages. */
export const PMD_TABLE = 1 << 24;

export const I_DONTNEED = "I-DONTNEED: after MADV_DONTNEED the range maps nothing";

/** pmd_trans_huge(), v4.x: the pmd maps a huge page (present, invalidated or NUMA-hinting), not a page table. */
export function pmdTransHuge(pmd: number): boolean {
  return pmd !== PMD_NONE && pmd !== PMD_TABLE;
}

/** The huge page a huge pmd maps. */
export function pmdPageId(pmd: number): number {
  return pmd & (PMD_INVALID - 1);
}

/** One huge pmd of an anonymous region of `mm`, with its lock (pmd_lock: the split PMD PTL). */
export class HugePmd {
  readonly pmd: Loc;
  readonly ptl: Loc;
  constructor(
    readonly mc: Machine,
    readonly name: string,
    readonly mm: MmStruct,
    /** The THP mapped at the start (its refcount and mapcount count the pmd), or none. */
    mapped?: Page,
  ) {
    const m = mc.m;
    this.pmd = m.location(`pmd(${name})`, mapped?.id ?? PMD_NONE);
    this.ptl = m.location(`pmd_lock(${name})`, 0);
    describeLockWord(m, this.ptl);
    m.describe(this.pmd, (v) => {
      if (typeof v !== "number") return undefined;
      if (v === PMD_NONE) return "none";
      if (v === PMD_TABLE) return "page table";
      const page = mc.pageName(pmdPageId(v)) ?? String(pmdPageId(v));
      return `huge ${page}${v & PMD_INVALID ? " invalid" : ""}${v & PMD_PROTNONE ? " protnone" : ""}`;
    });
  }

  /** I-DONTNEED at quiescence: the pmd is none (call when a thread MADV_DONTNEEDs it and nothing faults it back). */
  checkUnmapped(name = I_DONTNEED): void {
    this.mc.m.forall(name, (s) => s.int(this.pmd) === PMD_NONE);
  }
}

/** pmdp_huge_get_and_clear(), v4.x, pmd lock held: the pmd becomes none (transiently, if the caller sets it again). */
export function* pmdpHugeGetAndClear(t: ThreadContext, h: HugePmd): Access<number> {
  return yield* t.rmw(h.pmd, () => PMD_NONE, "mb", `pmdp_huge_get_and_clear(${h.name})`);
}

/** pmdp_invalidate(), v4.x, pmd lock held: the pmd is made not present and stays huge; returns the old value. */
export function* pmdpInvalidate(t: ThreadContext, h: HugePmd): Access<number> {
  return yield* t.rmw(h.pmd, (v) => v | PMD_INVALID, "mb", `pmdp_invalidate(${h.name})`);
}

/** How change_huge_pmd takes the old pmd before it writes the new protection. */
export type ChangePmdRule =
  /** v4.0–v4.10: pmdp_huge_get_and_clear_notify, then set_pmd_at: the pmd is none in between. */
  | "clear-and-set"
  /** ced108037c2a "thp: fix MADV_DONTNEED vs. numa balancing race" (Kirill Shutemov, April 2017): pmdp_invalidate, never none. */
  | "invalidate";

/**
 * change_huge_pmd(prot_numa), v4.x, under mmap_lock for read (NUMA
 * balancing's change_prot_numa): under the pmd lock, if the pmd still maps
 * a huge page, rewrite it PROT_NONE so the next access faults and tells
 * NUMA balancing where the task runs.
 */
export function* changeHugePmd(t: ThreadContext, h: HugePmd, rule: ChangePmdRule): Access<void> {
  t.step(`change_huge_pmd(${h.name}, prot_numa): pmd lock`);
  yield* spinLock(t, h.ptl);
  const old = yield* t.read(h.pmd, "once");
  if (pmdTransHuge(old)) {
    const entry = rule === "clear-and-set" ? yield* pmdpHugeGetAndClear(t, h) : yield* pmdpInvalidate(t, h);
    const updated = pmdPageId(entry) | PMD_PROTNONE;
    t.step(`change_huge_pmd(${h.name}): set_pmd_at protnone`);
    yield* t.write(h.pmd, updated, "once", undefined, `set_pmd_at(${h.name})`);
  }
  yield* spinUnlock(t, h.ptl);
}

/**
 * zap_pmd_range() for a huge pmd, v4.x: a look without the lock
 * (pmd_trans_huge(*pmd)); if it is huge, zap_huge_pmd under the pmd lock
 * (which re-checks: the pmd may have gone), clearing it, dropping the
 * mapping and the reference; if it looks none, the range is skipped.
 */
export function* zapHugePmd(t: ThreadContext, h: HugePmd): Access<void> {
  t.step(`zap_pmd_range(${h.name}): pmd_trans_huge(*pmd)?`);
  if (!pmdTransHuge(yield* t.read(h.pmd, "once"))) return;
  t.step(`zap_huge_pmd(${h.name}): pmd lock`);
  yield* spinLock(t, h.ptl);
  const old = yield* pmdpHugeGetAndClear(t, h);
  const p = pmdTransHuge(old) ? h.mc.pageById(pmdPageId(old)) : undefined;
  if (p !== undefined) yield* pageRemoveRmap(t, p);
  yield* spinUnlock(t, h.ptl);
  // tlb_remove_page_size: the reference goes after the flush (no TLB is modelled for the pmd).
  if (p !== undefined) yield* putPage(t, p);
}

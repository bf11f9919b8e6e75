// One pmd and the page table (PTE page) it points to, for the races of
// walkers that read the pmd without a lock. Since v6.5 (Hugh Dickins's
// series: 0d940a9b270b "mm/pgtable: allow pte_offset_map[_lock]() to
// fail", then 1d65b771bc08 "mm/khugepaged: retract_page_tables() without
// mmap or vma lock") a page table can be taken away from under mmap_lock
// held for read: khugepaged clears the pmd under the pmd lock and the
// table's PTL and frees the table after an RCU grace period
// (pte_free_defer). What makes that safe is the other side:
// pte_offset_map() reads the pmd inside an RCU read section, and
// pte_offset_map_lock() re-checks, once it holds the PTL, that the pmd
// still points to the table it locked. Before v6.5 mmap_lock (write, or a
// trylock of it) kept faults out instead, and there was no re-check.
//
// The pmd holds PMD_TABLE (hugePmd.ts's encoding) while it points to this
// table, PMD_NONE once the table is retracted, or a huge page's id once a
// collapse installs one (khugepagedCollapse.ts). Ptes hold page ids.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { describeLockWord, spinLock, spinUnlock } from "../kernel/spinlock.ts";
import { rcuReadLock, rcuReadUnlock, synchronizeRcu } from "../kernel/rcu.ts";
import type { Machine } from "./machine.ts";
import { PMD_NONE, PMD_TABLE, pmdPageId } from "./hugePmd.ts";
import { PTE_NONE } from "./vma.ts";

export const I_TABLE = "I-TABLE: every present pte is in a page table its pmd points to";

export interface PteTableOptions {
  /** Initial ptes (page ids) by index; none by default. The caller accounts the pages' counts. */
  readonly ptes?: (index: number) => number;
}

/** A pmd pointing to one page table of `entries` ptes, with the pmd lock, the table's PTL and whether the table was freed. */
export class PteTable {
  readonly pmd: Loc;
  readonly pmdLock: Loc;
  readonly pte: readonly Loc[];
  readonly ptl: Loc;
  /** 1 once pte_free has given the table back (after the grace period pte_free_defer waits for). */
  readonly freed: Loc;

  constructor(
    readonly mc: Machine,
    readonly name: string,
    entries: number,
    opts: PteTableOptions = {},
  ) {
    const m = mc.m;
    this.pmd = m.location(`pmd(${name})`, PMD_TABLE);
    this.pmdLock = m.location(`pmd_lock(${name})`, 0);
    this.pte = m.array(`pte(${name})`, entries, (i) => opts.ptes?.(i) ?? PTE_NONE);
    this.ptl = m.location(`ptl(${name})`, 0);
    this.freed = m.location(`freed(${name})`, 0);
    describeLockWord(m, [this.pmdLock, this.ptl]);
    m.describe(this.pmd, (v) => {
      if (typeof v !== "number") return undefined;
      if (v === PMD_NONE) return "none";
      if (v === PMD_TABLE) return `table ${name}`;
      return `huge ${mc.pageName(pmdPageId(v)) ?? String(v)}`;
    });
    m.describe(this.pte, (v) => (v === PTE_NONE ? "none" : mc.pageName(v)));
  }

  /** I-TABLE at quiescence: a table holding a present pte is still the one the pmd points to. */
  checkAttached(name = I_TABLE): void {
    this.mc.m.forall(name, (s) => s.int(this.pmd) === PMD_TABLE || this.pte.every((p) => s.int(p) === PTE_NONE));
  }

  toString(): string {
    return this.name;
  }
}

/** How pte_offset_map_lock() makes sure the table it locked is still in use. */
export type PteMapRule =
  /** v2.6–v6.4: none; mmap_lock kept page tables from being freed under a fault (the counterfactual once retract runs without it). */
  | "no-pmd-recheck"
  /** 0d940a9b270b (v6.5): under the PTL, the pmd must still point to the table, else the caller retries. */
  | "pmd-recheck";

/**
 * pte_offset_map_lock(), v6.5 shape: rcu_read_lock (pte_offset_map), read
 * the pmd without its lock; if it points to the table, take the table's
 * PTL and, with the v6.5 rule, re-check the pmd. True with the PTL held and
 * the RCU read section open (end both with pteUnmapUnlock); false with
 * neither, when the pmd is not a table or no longer this one (the kernel's
 * callers retry the fault, which then finds the pmd as it now is).
 */
export function* pteOffsetMapLock(t: ThreadContext, pt: PteTable, rule: PteMapRule): Access<boolean> {
  t.step(`pte_offset_map_lock(${pt.name})`);
  yield* rcuReadLock(t);
  const pmd = yield* t.read(pt.pmd, "once");
  if (pmd !== PMD_TABLE) {
    yield* rcuReadUnlock(t);
    return false;
  }
  yield* spinLock(t, pt.ptl);
  if (rule === "pmd-recheck" && (yield* t.read(pt.pmd, "once")) !== pmd) {
    yield* spinUnlock(t, pt.ptl);
    yield* rcuReadUnlock(t);
    return false;
  }
  return true;
}

/** pte_unmap_unlock(): the PTL, then the RCU read section pte_offset_map opened. */
export function* pteUnmapUnlock(t: ThreadContext, pt: PteTable): Access<void> {
  yield* spinUnlock(t, pt.ptl);
  yield* rcuReadUnlock(t);
}

/**
 * set_pte_at() into the table, PTL held (after pteOffsetMapLock): a write
 * to a table already freed is the use after free KASAN would report.
 * `pageId` is the page the pte maps; the caller has taken its reference.
 */
export function* setPteInTable(t: ThreadContext, pt: PteTable, index: number, pageId: number): Access<void> {
  const freed = yield* t.read(pt.freed, "once");
  t.assert(freed === 0, `use after free: set_pte_at into page table ${pt.name} after pte_free`);
  yield* t.write(pt.pte[index]!, pageId, "once", undefined, `set_pte_at(${pt.name}[${index}])`);
}

/**
 * retract_page_tables() for one VMA, 1d65b771bc08 (v6.5), without mmap_lock:
 * under the pmd lock and the table's PTL, if the table is empty (a file
 * THP's range, whose faults wait on the locked huge page; the kernel
 * re-checks anon_vma and userfaultfd there, which is what could fill it),
 * clear the pmd (pmdp_collapse_flush); then pte_free_defer: the table is
 * freed after an RCU grace period. Returns whether it retracted the table.
 * Under SC and TSO the model must declareRcuReaders(m).
 */
export function* retractPageTable(t: ThreadContext, pt: PteTable): Access<boolean> {
  t.step(`retract_page_tables(${pt.name})`);
  yield* spinLock(t, pt.pmdLock);
  yield* spinLock(t, pt.ptl);
  let empty = true;
  for (const pte of pt.pte) if ((yield* t.read(pte, "once")) !== PTE_NONE) empty = false;
  if (empty) yield* t.write(pt.pmd, PMD_NONE, "once", undefined, `pmdp_collapse_flush(${pt.name})`);
  yield* spinUnlock(t, pt.ptl);
  yield* spinUnlock(t, pt.pmdLock);
  if (!empty) return false;
  t.step(`pte_free_defer(${pt.name})`);
  yield* synchronizeRcu(t);
  yield* t.write(pt.freed, 1, "once", undefined, `pte_free(${pt.name})`);
  return true;
}

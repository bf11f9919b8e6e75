// What a pte holds (arch/x86/include/asm/pgtable.h, include/linux/swapops.h),
// as one word, so that a pte is read, compared and replaced in one access,
// as the kernel's pte_same() and ptep_get_and_clear() need:
// - 0: pte_none;
// - a positive value: present, the page id in the low bits, with the write
//   and dirty bits above it. A present pte without bits is the read-only,
//   clean pte every file path of the model installs, so they need no change;
// - a negative value: a swap entry (not present), -(offset + 1), or, below
//   -MIGRATION_ENTRY_BASE, a migration entry (include/linux/swapops.h's
//   SWP_MIGRATION_READ / SWP_MIGRATION_WRITE types, whose offset is the
//   page's pfn): the page it stands for and whether the pte it replaced was
//   writable. is_swap_pte() holds for both, as in the kernel; pteKind tells
//   them apart, as non_swap_entry() and is_migration_entry() do.
//
// Young (accessed) is left out: no modelled path decides anything on it.

import { PTE_NONE } from "./vma.ts";

/** _PAGE_RW: the hardware lets the process write through the pte. */
export const PTE_WRITE = 1 << 20;
/** _PAGE_DIRTY: written through since the pte was installed or cleaned. */
export const PTE_DIRTY = 1 << 21;
const PAGE_MASK = PTE_WRITE - 1;

export interface PteBits {
  readonly write?: boolean;
  readonly dirty?: boolean;
}

/** mk_pte(page, prot) with pte_mkwrite / pte_mkdirty as asked (x86, v2.6–v6.x). */
export function mkPte(pageId: number, bits: PteBits = {}): number {
  return pageId | (bits.write ? PTE_WRITE : 0) | (bits.dirty ? PTE_DIRTY : 0);
}

/** pte_present() (x86, v2.6–v6.x). */
export function ptePresent(pte: number): boolean {
  return pte > 0;
}

/** The page a present pte maps; PTE_NONE for a none pte or a swap entry (pte_page is only valid when present). */
export function ptePageId(pte: number): number {
  return pte > 0 ? pte & PAGE_MASK : PTE_NONE;
}

/** pte_write() (x86, v2.6–v6.x). */
export function pteWrite(pte: number): boolean {
  return pte > 0 && (pte & PTE_WRITE) !== 0;
}

/** pte_dirty() (x86, v2.6–v6.x). */
export function pteDirty(pte: number): boolean {
  return pte > 0 && (pte & PTE_DIRTY) !== 0;
}

/** swp_entry_to_pte(swp_entry(type 0, offset)), v2.6–v6.x. */
export function swpEntryToPte(offset: number): number {
  return -(offset + 1);
}

/** is_swap_pte(), v2.6–v6.x: not none, not present. */
export function isSwapPte(pte: number): boolean {
  return pte < 0;
}

/** swp_offset(pte_to_swp_entry(pte)), v2.6–v6.x; only for a swap pte holding a swap slot (not a migration entry). */
export function pteSwapOffset(pte: number): number {
  if (pte >= 0) throw new Error(`pte ${pte} is not a swap entry`);
  if (isMigrationEntryPte(pte)) throw new Error(`pte ${pte} is a migration entry, not a swap slot: check non_swap_entry() (pteKind) first, as do_swap_page does`);
  return -pte - 1;
}

/** pte_same(), v2.6–v6.x: the whole entry, bits and all, is unchanged. */
export function pteSame(a: number, b: number): boolean {
  return a === b;
}

/** A pte as traces print it: `none`, the page with its bits (`A rw dirty`), `swap[0]`, or a migration entry (`migration[A rw]`). */
export function pteText(pte: number, pageName: (id: number) => string | undefined): string {
  if (pte === PTE_NONE) return "none";
  if (isMigrationEntryPte(pte)) {
    const id = migrationEntryPageId(pte);
    return `migration[${[pageName(id) ?? String(id), ...(isWritableMigrationEntry(pte) ? ["rw"] : [])].join(" ")}]`;
  }
  if (isSwapPte(pte)) return `swap[${pteSwapOffset(pte)}]`;
  const id = ptePageId(pte);
  return [pageName(id) ?? String(id), ...(pteWrite(pte) ? ["rw"] : []), ...(pteDirty(pte) ? ["dirty"] : [])].join(" ");
}

/** Migration entries lie below this (negated): swap offsets stay under it, page ids (below PTE_WRITE) fit above it. */
const MIGRATION_ENTRY_BASE = 1 << 24;

/** What a pte holds: pte_none, pte_present, a swap entry (a swap slot), or a migration entry. */
export type PteKind = "none" | "present" | "swap" | "migration";

/** The kind of a pte: pte_none(), pte_present(), then is_migration_entry() of a non-present entry (v2.6.18–v6.x). */
export function pteKind(pte: number): PteKind {
  if (pte === PTE_NONE) return "none";
  if (pte > 0) return "present";
  return isMigrationEntryPte(pte) ? "migration" : "swap";
}

/**
 * swp_entry_to_pte(make_readable_migration_entry(pfn)) or, for a pte that
 * was writable, make_writable_migration_entry (v5.13+; make_migration_entry(page, write)
 * since 0697212a411c, v2.6.18): what try_to_migrate leaves in place of a
 * pte mapping the page being migrated.
 */
export function makeMigrationEntryPte(pageId: number, write: boolean): number {
  if (pageId <= 0 || pageId >= PTE_WRITE) throw new Error(`makeMigrationEntryPte: ${pageId} is not a page id`);
  return -(MIGRATION_ENTRY_BASE + pageId * 2 + (write ? 1 : 0));
}

/** is_migration_entry(pte_to_swp_entry(pte)) for a swap pte; false for any other pte. */
export function isMigrationEntryPte(pte: number): boolean {
  return pte <= -MIGRATION_ENTRY_BASE;
}

/** pfn_swap_entry_to_page() of a migration entry (migration_entry_to_page before v5.13): the page being migrated. */
export function migrationEntryPageId(pte: number): number {
  if (!isMigrationEntryPte(pte)) throw new Error(`pte ${pte} is not a migration entry`);
  return Math.floor((-pte - MIGRATION_ENTRY_BASE) / 2);
}

/** is_writable_migration_entry() (is_write_migration_entry before v5.13): the pte it replaced was writable. */
export function isWritableMigrationEntry(pte: number): boolean {
  return isMigrationEntryPte(pte) && (-pte - MIGRATION_ENTRY_BASE) % 2 === 1;
}

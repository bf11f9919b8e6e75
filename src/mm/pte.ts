// What a pte holds (arch/x86/include/asm/pgtable.h, include/linux/swapops.h),
// as one word, so that a pte is read, compared and replaced in one access,
// as the kernel's pte_same() and ptep_get_and_clear() need:
// - 0: pte_none;
// - a positive value: present, the page id in the low bits, with the write
//   and dirty bits above it. A present pte without bits is the read-only,
//   clean pte every file path of the model installs, so they need no change;
// - a negative value: a swap entry (not present), -(offset + 1).
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

/** swp_offset(pte_to_swp_entry(pte)), v2.6–v6.x; only for a swap pte. */
export function pteSwapOffset(pte: number): number {
  if (pte >= 0) throw new Error(`pte ${pte} is not a swap entry`);
  return -pte - 1;
}

/** pte_same(), v2.6–v6.x: the whole entry, bits and all, is unchanged. */
export function pteSame(a: number, b: number): boolean {
  return a === b;
}

/** A pte as traces print it: `none`, the page with its bits (`A rw dirty`), or `swap[0]`. */
export function pteText(pte: number, pageName: (id: number) => string | undefined): string {
  if (pte === PTE_NONE) return "none";
  if (isSwapPte(pte)) return `swap[${pteSwapOffset(pte)}]`;
  const id = ptePageId(pte);
  return [pageName(id) ?? String(id), ...(pteWrite(pte) ? ["rw"] : []), ...(pteDirty(pte) ? ["dirty"] : [])].join(" ");
}

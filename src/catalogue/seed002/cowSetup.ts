// The machine of seed 002's COW scenarios: a file F whose pages are in the
// page cache, a private VM_LOCKED VMA M of it, and in M's ptes the anonymous
// COW copies A (one per file page) that a write made after mmap+mlock.
// One location per page flag: these races are about locks and ordering of
// whole steps (SC), not about which flags share a word.

import type { ModelBuilder } from "../../program/model.ts";
import { Machine } from "../../mm/machine.ts";
import { ANON_MAPPING, type Page, type PageFlag } from "../../mm/page.ts";
import { Lru, NOT_LINKED, type LruList } from "../../mm/lru.ts";
import { AnonVma } from "../../mm/anonVma.ts";
import { PTE_NONE, type Vma } from "../../mm/vma.ts";
import type { AddressSpace } from "../../mm/addressSpace.ts";
import { checkMlockedMapped } from "./checks.ts";

export interface CowOptions {
  /** COW pages, one per file page (default 1). */
  readonly pages?: number;
  /** Whether each starts with PG_mlocked. */
  readonly mlocked: boolean;
  /** The list each starts on (PG_lru set unless NOT_LINKED). */
  readonly list: LruList;
}

export interface CowMachine {
  readonly mc: Machine;
  readonly F: AddressSpace;
  readonly M: Vma;
  readonly cows: readonly Page[];
  readonly lru: Lru;
  readonly anonVma: AnonVma;
}

export function cowMachine(m: ModelBuilder, o: CowOptions): CowMachine {
  const n = o.pages ?? 1;
  const mc = new Machine(m, { flags: "split" });
  const F = mc.file("F", { size: n, cached: Array.from({ length: n }, (_, index) => ({ index })) });
  const flags: PageFlag[] = [...(o.mlocked ? ["mlocked" as const] : []), ...(o.list !== NOT_LINKED ? ["lru" as const] : [])];
  const cows = Array.from({ length: n }, (_, i) =>
    mc.page(n === 1 ? "A" : `A${i}`, { mapping: ANON_MAPPING, index: i, refcount: 1, mapcount: 1, flags }),
  );
  const M = mc.vma("M", mc.mm(), F, { shared: false, locked: true, ptes: (i) => cows[i]?.id ?? PTE_NONE });
  const lru = new Lru(m);
  for (const a of cows) lru.manage(a, o.list);
  const anonVma = new AnonVma(m, "anon_vma(M)", [M]);
  return { mc, F, M, cows, lru, anonVma };
}

/** The checks every COW scenario makes at quiescence (I-FREE is also checked at each free), and the witness that truncation really freed a COW page. */
export function checkCow(m: ModelBuilder, c: CowMachine): void {
  c.mc.checkTruncation();
  c.mc.checkFree();
  checkMlockedMapped(m, c.mc, c.cows);
  m.exists("truncation frees a COW page", (s) => c.cows.some((a) => s.int(a.refcount) === 0));
}

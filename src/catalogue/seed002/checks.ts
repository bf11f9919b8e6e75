// Seed 002's invariants at quiescence: the unevictable list holds only
// pages that are really unevictable, no isolated page is left off the LRU,
// and PG_mlocked only marks pages some VM_LOCKED VMA still maps. A free page
// (refcount 0) is on no list and no longer judged here: I-FREE's check at
// the moment of the free (mm/pageRef.ts) covers it.

import type { FinalState, ModelBuilder } from "../../program/model.ts";
import type { Machine } from "../../mm/machine.ts";
import type { Page } from "../../mm/page.ts";
import { UNEVICTABLE, flagAt, type Lru } from "../../mm/lru.ts";

const live = (s: FinalState, p: Page) => s.int(p.refcount) > 0;
const flag = (s: FinalState, p: Page, f: Parameters<Page["flag"]>[0]) => p.flagIn((loc) => s.int(loc), f);

/** I-LRU: a page on the unevictable list is mlocked or its mapping is unevictable ("not stranded"). */
export function checkNotStranded(m: ModelBuilder, lru: Lru, pages: readonly Page[]): void {
  m.forall("I-LRU: no evictable page is stranded on the unevictable list", (s) =>
    pages.every((p) => {
      if (!live(s, p) || !flag(s, p, "lru") || s.int(lru.link(p)) !== UNEVICTABLE) return true;
      const as = lru.asUnevictable(p);
      return flag(s, p, "mlocked") || (as !== undefined && flagAt((loc) => s.int(loc), as));
    }),
  );
}

/** I-LRU: every isolated page was put back on some list. */
export function checkPutBack(m: ModelBuilder, pages: readonly Page[]): void {
  m.forall("I-LRU: every page is back on an LRU list", (s) => pages.every((p) => !live(s, p) || flag(s, p, "lru")));
}

/** I-MLOCK (seed 002 B1): PG_mlocked(P) implies some VM_LOCKED VMA still maps P. */
export function checkMlockedMapped(m: ModelBuilder, mc: Machine, pages: readonly Page[]): void {
  m.forall("I-MLOCK: every PG_mlocked page is mapped by a VM_LOCKED VMA", (s) =>
    pages.every((p) => !live(s, p) || !flag(s, p, "mlocked") || mc.vmas.some((v) => v.locked && v.pte.some((pte) => s.int(pte) === p.id))),
  );
}

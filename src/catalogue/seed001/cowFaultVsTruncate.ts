// 001-B1's question asked of the copy-on-write fault paths: a write fault on
// a private mapping of F racing truncate(F, 0). Two paths:
//
//   do_cow_fault  the pte is none: allocate the copy, filemap_fault (find the
//                 page, lock it, re-check mapping and i_size under the lock),
//                 copy, install the copy under the PTL if the pte is still none,
//                 then unlock the file page (cow.ts);
//   do_wp_page    the pte maps F's page read-only (an earlier read fault):
//                 under the PTL take a reference, drop the PTL, allocate and
//                 copy, re-take the PTL, install only if the pte is unchanged
//                 (pte_same), drop the old page's rmap and references.
//
// Truncation is the whole truncate(2) of truncate.ts: i_size, the even_cows
// unmap, truncate_inode_pages, and the second even_cows unmap that exists
// for exactly this: private COW copies made meanwhile. Besides I-TRUNC,
// I-FREE and the mapcount, the check here is the one truncate_pagecache
// promises for private mappings: once truncation returns, no pte at or
// beyond the new i_size maps anything, not even an anonymous copy.

import { model, type Expectation, type Model } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { spinLock, spinUnlock } from "../../kernel/spinlock.ts";
import { Machine } from "../../mm/machine.ts";
import { PageAllocator } from "../../mm/pageAlloc.ts";
import { doCowFault, doWpPage } from "../../mm/cow.ts";
import { checkMapcount } from "../../mm/anonymous.ts";
import { handleUserFault } from "../../mm/filemapFault.ts";
import { ptePresent, pteWrite } from "../../mm/pte.ts";
import { ANON_MAPPING } from "../../mm/page.ts";
import { truncate } from "../../mm/truncate.ts";
import type { Vma } from "../../mm/vma.ts";

export type CowPath = "do_cow_fault" | "do_wp_page";

export interface CowTruncateConfig {
  readonly path: CowPath;
  /** Pages of F, each cached; the writer writes each in turn, truncation goes to 0 (default 1). */
  readonly pages?: number;
}

/** handle_pte_fault for a write to a present pte, v4.x–v5.x: under the PTL, a read-only pte goes to do_wp_page (which drops the PTL). */
function* writeFaultOnPresentPte(t: ThreadContext, mc: Machine, a: PageAllocator, v: Vma, index: number): Access<boolean> {
  t.step(`handle_pte_fault(${v.name}, ${index}): pte lock`);
  yield* spinLock(t, v.ptl);
  const orig = yield* t.read(v.pte[index]!, "once");
  if (!ptePresent(orig) || pteWrite(orig)) {
    t.step(`handle_pte_fault(${v.name}, ${index}): pte changed, nothing to break`);
    yield* spinUnlock(t, v.ptl);
    return false;
  }
  yield* doWpPage(t, mc, a, v, index, orig);
  return true;
}

export function cowFaultVsTruncate(name: string, c: CowTruncateConfig, expect: Expectation): Model {
  const n = c.pages ?? 1;
  return model(name, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: n, cached: Array.from({ length: n }, (_, index) => ({ index })) });
    const indices = Array.from({ length: n }, (_, i) => i);
    const M = mc.vma("M", mc.mm(), F, { shared: false, mapped: c.path === "do_wp_page" ? indices : [] });
    const copies = indices.map((i) => mc.page(n === 1 ? "C" : `C${i}`));
    const a = new PageAllocator(mc, { free: copies });
    m.thread("T_write", function* (t) {
      for (const i of indices) {
        yield* handleUserFault(t, M, i, function* (t) {
          if (c.path === "do_cow_fault") return (yield* doCowFault(t, mc, a, M, i)) === 0;
          return yield* writeFaultOnPresentPte(t, mc, a, M, i);
        });
      }
    });
    m.thread("T_trunc", function* (t) {
      yield* truncate(t, mc, F, 0);
    });
    mc.checkTruncation();
    mc.checkFree();
    checkMapcount(mc);
    m.forall("I-TRUNC (COW): once truncation returns, no pte beyond i_size maps anything, private copies included", (s) =>
      M.pte.every((pte, i) => i < s.int(F.iSize) || !ptePresent(s.int(pte))),
    );
    // The witness: the write does break COW in some execution (a copy became anonymous and was mapped; truncation then zaps it).
    m.exists("the writer installs a COW copy", (s) => copies.some((p) => s.int(p.mapping) === ANON_MAPPING));
    m.expect(expect);
  });
}

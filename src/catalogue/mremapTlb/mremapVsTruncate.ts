// s7-05: mremap vs truncate, a stale TLB entry to a freed page
// (CVE-2018-18281, Jann Horn; fixed by Linus Torvalds in eb66ae030829,
// "mremap: properly flush TLB before releasing the page", v4.19).
//
// mremap moves a present pte from the old address to the new one and drops
// the page-table locks; the old address's TLB entry still lives on another
// CPU until move_page_tables flushes it. In that window ftruncate zaps the
// pte at its new address (flushing only the new range), deletes the page
// from the page cache and frees it, while the old TLB entry still maps it:
// the other CPU can go on reading and writing a page the allocator has
// handed to someone else. The fix flushes the old range before the PTLs
// are released whenever a present pte moved, so the page's lifetime is again
// bounded by the lock that whoever frees it must take. The almost-fix is
// v4.9's 5d1904204c99, which flushed under the PTLs only for dirty ptes:
// a pte the process only read still moved unflushed.

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { truncate } from "../../mm/truncate.ts";
import { Tlb, I_TLB, userAccess } from "../../mm/tlb.ts";
import { movePageTables, type MremapFlush } from "../../mm/mremap.ts";

interface Config {
  /** Pages in the moved range (all cached, mapped and in the TLB). */
  readonly pages: number;
  /** A user thread on another CPU reads each old address through its TLB. */
  readonly user: boolean;
}

const SMALLEST: Config = { pages: 1, user: false };
const LARGER: Config = { pages: 3, user: true };

export function mremapVsTruncate(name: string, flush: MremapFlush, c: Config): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const idx = [...Array(c.pages).keys()];
    const F = mc.file("F", { size: c.pages, cached: idx.map((index) => ({ index })) });
    const mm = mc.mm();
    const oldV = mc.vma("old", mm, F, { mapped: idx });
    const newV = mc.vma("new", mm, F);
    const tlb = new Tlb(mc, mm);
    tlb.cover(oldV, { loaded: idx });
    tlb.cover(newV);
    // The process only read the pages: the ptes are clean, which is what slips past 5d1904204c99.
    const dirty = m.array("pte_dirty(old)", c.pages, 0);
    m.thread("mremap", function* (t) {
      t.step("mremap: move_page_tables");
      yield* movePageTables(t, oldV, newV, 0, c.pages, { flush, dirty });
    });
    m.thread("ftruncate", function* (t) {
      yield* truncate(t, mc, F, 0);
    });
    if (c.user)
      m.thread("user", function* (t) {
        for (const i of idx) yield* userAccess(t, tlb, oldV, i);
      });
    mc.checkTruncation();
    mc.checkFree();
  });
}

function variant(name: string, summary: string, flush: MremapFlush, race: boolean, size: "smallest" | "larger"): Variant {
  return {
    name: size === "larger" ? `${name}-larger` : name,
    summary: size === "larger" ? `${summary}; 3 pages and a user thread reading each old address through the TLB` : summary,
    ...expectRace(race),
    memoryModel: "sc",
    size,
    build: () => mremapVsTruncate(`s7-05 ${name}${size === "larger" ? "-larger" : ""}`, flush, size === "larger" ? LARGER : SMALLEST),
  };
}

const BUGGY = "before v4.9: move_page_tables flushes the old range once, after move_ptes dropped the PTLs";
const ALMOST = "5d1904204c99 (v4.9) mremap: fix race between mremap() and page cleanning — flush under the PTLs only if a moved pte was dirty";
const FIXED = "eb66ae030829 (v4.19) mremap: properly flush TLB before releasing the page — flush under the PTLs whenever a present pte moved";

export const mremapVsTruncateScenario: Scenario = {
  id: "s7-05",
  seed: "s7",
  title: "mremap vs truncate: the page is freed while the old address's TLB entry still maps it (CVE-2018-18281)",
  invariant: I_TLB,
  variants: [
    variant("buggy", BUGGY, "after-unlock", true, "smallest"),
    variant("dirty-only", ALMOST, "dirty-under-ptl", true, "smallest"),
    variant("fixed", FIXED, "present-under-ptl", false, "smallest"),
    variant("buggy", BUGGY, "after-unlock", true, "larger"),
    variant("fixed", FIXED, "present-under-ptl", false, "larger"),
  ],
};

// s7-04: Dirty COW (CVE-2016-5195; fixed by Linus Torvalds in 19be0eaffa3a,
// "mm: remove gup_flags FOLL_WRITE games from __get_user_pages()", v4.9).
//
// A write to /proc/self/mem of a read-only private file mapping goes
// through get_user_pages(FOLL_WRITE | FOLL_FORCE). The first walk finds the
// file's page mapped read-only and faults; do_wp_page copies it, but the
// VMA has no VM_WRITE, so the copy's pte is dirty and still read-only, and
// a walk insisting on a writable pte would fault forever. Since
// f33ea7f404e5 ("fix get_user_pages bug", Nick Piggin, Aug 2005)
// faultin_page has ended that loop by dropping FOLL_WRITE: the next walk is
// a read. If madvise(MADV_DONTNEED) zaps the copy in between, that read walk
// faults the file's page back in, read-only, and returns it; the "write"
// lands in the page cache of a file the process could not write. The fix
// keeps FOLL_WRITE and marks the walk FOLL_COW instead; a read-only pte is
// then followed for writing only if it is dirty, which only a COW copy is.

import { model, type Model } from "../../program/model.ts";
import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { Machine } from "../../mm/machine.ts";
import { PageAllocator } from "../../mm/pageAlloc.ts";
import { ANON_MAPPING } from "../../mm/page.ts";
import { checkMapcount } from "../../mm/anonymous.ts";
import { mapReadOnly } from "../../mm/cow.ts";
import { accessRemoteVmWrite, type GupCowRule } from "../../mm/gup.ts";
import { madviseDontneed } from "../../mm/madvise.ts";

export const I_COW = "I-COW: a forced write through a private mapping never reaches the file's page";

interface Config {
  /** How many times the madvise thread zaps the address. */
  readonly zaps: number;
}

const SMALLEST: Config = { zaps: 1 };
const LARGER: Config = { zaps: 2 };

export function forcedWriteVsDontneed(name: string, cow: GupCowRule, c: Config): Model {
  return model(name, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
    // The process read the file once: its page is mapped read-only.
    const v = mapReadOnly(mc.vma("priv", mc.mm(), F, { shared: false, mapped: [0] }));
    const alloc = new PageAllocator(mc, { free: [...Array(c.zaps + 1).keys()].map((i) => mc.page(`A${i}`)) });
    m.thread("write /proc/self/mem", function* (t) {
      yield* accessRemoteVmWrite(t, mc, v, 0, { cow, alloc, maxFaults: 2 * c.zaps + 2 }, function* (t, p) {
        t.assert((yield* t.read(p.mapping, "once")) === ANON_MAPPING, `${I_COW}: the write lands in ${p.name}, F's page cache page`);
      });
    });
    m.thread("madvise", function* (t) {
      for (let i = 0; i < c.zaps; i++) yield* madviseDontneed(t, mc, v, 0, 1);
    });
    checkMapcount(mc);
    mc.checkFree();
  });
}

function variant(name: string, summary: string, cow: GupCowRule, race: boolean, size: "smallest" | "larger"): Variant {
  const larger = size === "larger";
  return {
    name: larger ? `${name}-larger` : name,
    summary: larger ? `${summary}; madvise zaps twice` : summary,
    ...expectRace(race),
    memoryModel: "sc",
    size,
    build: () => forcedWriteVsDontneed(`s7-04 ${name}${larger ? "-larger" : ""}`, cow, larger ? LARGER : SMALLEST),
  };
}

const BUGGY = "f33ea7f404e5 (2005) to v4.8: faultin_page clears FOLL_WRITE after COW in a VMA without VM_WRITE";
const FIXED = "19be0eaffa3a (v4.9) mm: remove gup_flags FOLL_WRITE games from __get_user_pages() — FOLL_COW, and only a dirty read-only pte is followed for writing";

export const forcedWriteVsDontneedScenario: Scenario = {
  id: "s7-04",
  seed: "s7",
  title: "Dirty COW: a forced write races MADV_DONTNEED and lands in the file's page (CVE-2016-5195)",
  invariant: I_COW,
  variants: [
    variant("buggy", BUGGY, "drop-foll-write", true, "smallest"),
    variant("fixed", FIXED, "foll-cow", false, "smallest"),
    variant("buggy", BUGGY, "drop-foll-write", true, "larger"),
    variant("fixed", FIXED, "foll-cow", false, "larger"),
  ],
};

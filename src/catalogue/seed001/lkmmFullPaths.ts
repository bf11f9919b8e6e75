// 001-B1 under LKMM on whole paths. The truncate_count message-passing
// variants (truncate-mp*) model only the accesses the MP question needs;
// here the same question is asked of v2.6.18's whole do_no_page +
// filemap_nopage (find_get_page's reference, the PTL, the retry) against the
// whole vmtruncate (i_size, smp_wmb, truncate_count, the unmap under
// i_mmap_lock, truncate_inode_pages with the page lock). Then the merged fix
// (d00806b18315's fault) and the two copy-on-write fault paths against
// truncate(2), which must verify under LKMM as they do under SC.

import { expectRace, type Variant } from "../scenario.ts";
import { faultVsInvalidate, type FaultInvalidateConfig } from "./faultVsInvalidate.ts";
import { cowFaultVsTruncate, type CowTruncateConfig } from "./cowFaultVsTruncate.ts";

type Base = Omit<Variant, "build" | "expect" | "raceKind" | "size"> & { readonly size?: Variant["size"] };

const verdictOf = (race: boolean) => (race ? "violation" : "verified");

function b1(v: Base, c: FaultInvalidateConfig, race: boolean): Variant {
  return { size: "smallest", ...v, ...expectRace(race), build: () => faultVsInvalidate(`001-B1 ${v.name}`, c, verdictOf(race)) };
}
function cow(v: Base, c: CowTruncateConfig): Variant {
  return { size: "smallest", ...v, expect: "verified", build: () => cowFaultVsTruncate(`001-B1 ${v.name}`, c, "verified") };
}

const V2618 = "whole paths: v2.6.18 do_no_page + filemap_nopage vs the whole vmtruncate(0)";
const D00806 = "d00806b18315's fault (__do_fault + filemap_fault, page locked until the pte is set)";

export const lkmmFullPathVariants: readonly Variant[] = [
  b1({ memoryModel: "lkmm", name: "full-truncate-mp", summary: `${V2618}: i_size; smp_wmb; truncate_count++ pairs with the fault's smp_rmb` }, { fault: "2.6.18", removers: ["truncate"], wmb: true }, false),
  b1({ memoryModel: "lkmm", name: "full-truncate-mp-no-wmb", summary: `${V2618}, without truncate's smp_wmb: the fault sees the new count with the old i_size (MP)` }, { fault: "2.6.18", removers: ["truncate"], wmb: false }, true),
  b1({ memoryModel: "tso", name: "full-truncate-mp-no-wmb-tso", summary: `${V2618}, without smp_wmb, on x86-TSO: stores stay in order` }, { fault: "2.6.18", removers: ["truncate"], wmb: false }, false),
  b1({ memoryModel: "lkmm", name: "fixed-truncate-lkmm", summary: `${D00806} vs truncate(0), under LKMM` }, { fault: "2.6.23", removers: ["truncate"] }, false),
  cow({ memoryModel: "lkmm", name: "wp-fault-lkmm", summary: "do_wp_page breaking COW of a read-faulted file page (pte_same re-check) vs truncate(0), under LKMM" }, { path: "do_wp_page" }),
  cow({ memoryModel: "lkmm", size: "larger", name: "cow-fault-lkmm", summary: "do_cow_fault (file page locked until the copy's pte is set) vs truncate(0), under LKMM" }, { path: "do_cow_fault" }),
];

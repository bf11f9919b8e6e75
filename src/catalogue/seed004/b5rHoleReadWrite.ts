// 004-B5r, a write fault and a read fault on one hole (the write + read
// case of 004-B5; Jan Kara's ac401cc78242 changelog draws it). Before v4.7 a
// read fault maps a hole with a page-cache page, and a write fault that
// allocates the block shoots such a page out only if it finds it after
// get_block. A read fault that saw the hole earlier can install its page
// after that look:
//
//   write fault (M2)                       read fault (M1)
//   get_block: hole
//                                          get_block: hole
//   get_block(create) -> b1
//   find_lock_page: no hole page
//                                          dax_load_hole: H, pte(M1,0) := H
//   pte(M2,0) := pfn b1
//   => M1 shows the zero page H, M2 the block: stale zero mapping
//
// ac401cc78242 locks the index's entry (then the hole page that replaces
// it) from before get_block until the pte is set, so the two faults are
// serialised and the write fault always finds, unmaps and drops H.

import { model, type Model } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import type { FaultResult } from "../../mm/dax/daxFault.ts";
import { daxFaultHolePagesV42, type HoleFaultArgs } from "../../mm/dax/daxHole.ts";
import { daxFaultHolePagesV47 } from "../../mm/dax/daxHoleV47.ts";
import { daxWorld, faultThread, scenario, variant } from "./world.ts";

type HoleFault = (t: ThreadContext, a: HoleFaultArgs) => Access<FaultResult>;

/** A read fault through M1 and a write fault through M2 (another process) on the hole F[0]. */
export function holeReadWrite(name: string, fault: HoleFault, expect: "violation" | "verified"): Model {
  return model(`004-B5r-${name}`, (m) => {
    const { dm, F, M } = daxWorld(m, 2, { size: 1 });
    const M2 = dm.vma("M2", dm.mm("mm2"), F);
    const holePage = dm.mc.page("H", { refcount: 0 });
    faultThread(m, "read fault", fault, { dm, f: F, vma: M, index: 0, write: false, holePage });
    faultThread(m, "write fault", fault, { dm, f: F, vma: M2, index: 0, write: true, holePage });
    dm.checkSingleMapping();
    dm.checkBlocks();
    dm.mc.checkTruncation();
    dm.mc.checkFree();
    m.expect(expect);
  });
}

export const b5r = scenario("B5r", "a write fault and a read fault on one hole: the read fault's hole page stays mapped over the new block", "single mapping", [
  variant({
    name: "buggy",
    summary: "v4.2 __dax_fault: the write fault looks for a hole page once, after get_block; the read fault's page can come later",
    expect: "race",
    build: () => holeReadWrite("buggy", daxFaultHolePagesV42, "violation"),
  }),
  variant({
    name: "entry-lock",
    summary: "ac401cc78242 \"dax: New fault locking\" (v4.7): entry (or hole page) locked from before get_block until the pte is set",
    expect: "verified",
    build: () => holeReadWrite("entry-lock", daxFaultHolePagesV47, "verified"),
  }),
]);

// 004-B3, punch hole has no i_size fence (Kirill, 11 Aug 2015: "We don't
// have i_size fence for punch hole"). Truncation is safe in the page-cache
// world because i_size moves first and the fault re-checks it under the
// page lock; a punch leaves i_size alone, so v4.2's re-check under
// i_mmap_rwsem passes and a fault between the punch's unmap and its block
// freeing maps a block that is about to be freed:
//
//   fault                                punch [0, 1)
//   get_block(0) -> b1
//                                        truncate_pagecache_range: nothing mapped
//   i_mmap_lock_read; 0 < i_size ✓
//   pte(M,0) := pfn b1
//                                        ext4_ext_remove_space: free b1
//                                        <- pte(M,0) maps a free block (I-BLOCK)
//
// Jan Kara's ea3d7209ca01 (v4.5) takes ext4's i_mmap_sem shared in the fault
// and exclusive across the punch; 730633f0b7f9 (v5.15) moved the same
// protocol onto the VFS's invalidate_lock.

import { model, type Model } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { daxFaultInvalidateLock, daxFaultV42, ext4DaxFault } from "../../mm/dax/daxFault.ts";
import { ext4PunchHoleV44, ext4PunchHoleV45, ext4PunchHoleV515 } from "../../mm/dax/daxFs.ts";
import type { DaxFile, DaxMachine } from "../../mm/dax/daxMachine.ts";
import { daxWorld, faultThread, scenario, variant, type DaxFault } from "./world.ts";

type Punch = (t: ThreadContext, dm: DaxMachine, f: DaxFile, from: number, to: number) => Access<void>;

/** One read fault on F[0] (block b1) of a one-page file against a punch of [0, 1). */
export function faultVsPunch(name: string, fault: DaxFault, punch: Punch, expect: "violation" | "verified"): Model {
  return model(`004-B3-${name}`, (m) => {
    const { dm, F, M } = daxWorld(m, 2, { size: 1, blocks: [1] });
    faultThread(m, "fault", fault, { dm, f: F, vma: M, index: 0, write: false });
    m.thread("punch", (t) => punch(t, dm, F, 0, 1));
    dm.checkBlocks();
    m.expect(expect);
  });
}

export const b3 = scenario("B3", "DAX fault vs punch hole: i_size does not change, so re-checking it cannot catch the race", "I-BLOCK", [
  variant({
    name: "buggy",
    summary: "v4.2 __dax_fault (i_size re-check under i_mmap_rwsem) vs v4.4 ext4_punch_hole (unmap, then free blocks)",
    expect: "race",
    build: () => faultVsPunch("buggy", daxFaultV42, ext4PunchHoleV44, "violation"),
  }),
  variant({
    name: "fixed",
    summary: "ea3d7209ca01 (ext4, v4.5): i_mmap_sem shared across ext4_dax_fault, exclusive across the punch",
    expect: "verified",
    build: () => faultVsPunch("fixed", ext4DaxFault, ext4PunchHoleV45, "verified"),
  }),
  variant({
    name: "invalidate-lock",
    summary: "730633f0b7f9 (v5.15): the same protocol on mapping->invalidate_lock",
    expect: "verified",
    build: () => faultVsPunch("invalidate-lock", daxFaultInvalidateLock, ext4PunchHoleV515, "verified"),
  }),
]);

// 004-B6, a deadlock of the v4.3 i_mmap_rwsem attempts. 843172978bb9 (the
// 004-B5 fix) made a fault that finds no hole page take i_mmap_rwsem for
// write before get_block and hold it to the end; 46c043ede471 made
// unmap_mapping_range take it for write again for DAX ("What protects
// mapping->i_mmap here?"). A write fault that allocates the block and then
// finds the hole page a racing read fault installed shoots that page out
// with unmap_mapping_range, while holding the lock it now asks for:
//
//   read fault                          write fault
//   find_get_page: none
//   i_mmap_lock_write; get_block: hole
//   i_mmap_unlock_write
//                                       find_get_page: none
//                                       i_mmap_lock_write
//                                       get_block: hole; get_block(create) -> b1
//   dax_load_hole: hole page H, mapped
//                                       find_lock_page -> H
//                                       unmap_mapping_range: i_mmap_lock_write  <- waits for itself
//
// Ross Zwisler's 0f90cc6609c7 "mm, dax: fix DAX deadlocks" (v4.3) went back
// to v4.2's scheme (read lock inside dax_insert_mapping only), and his
// changelog names this kind of recursive acquisition (for the PMD fault).

import { model, type Model } from "../../program/model.ts";
import { daxFaultHolePagesV42, daxFaultHolePagesV43rc, type HoleFaultArgs } from "../../mm/dax/daxHole.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import type { FaultResult } from "../../mm/dax/daxFault.ts";
import { daxWorld, faultThread, scenario, variant } from "./world.ts";

type HoleFault = (t: ThreadContext, a: HoleFaultArgs) => Access<FaultResult>;

/** A read fault and a write fault on the hole F[0]; the read fault's hole page is H. */
export function readAndWriteFaultOnHole(name: string, fault: HoleFault, expect: "violation" | "verified"): Model {
  return model(`004-B6-${name}`, (m) => {
    const { dm, F, M } = daxWorld(m, 2, { size: 1 });
    const holePage = dm.mc.page("H", { refcount: 0 });
    const a = { dm, f: F, vma: M, index: 0, holePage };
    faultThread(m, "read fault", fault, { ...a, write: false });
    faultThread(m, "write fault", fault, { ...a, write: true });
    dm.mc.checkTruncation();
    dm.mc.checkFree();
    dm.checkBlocks();
    m.expect(expect);
  });
}

export const b6 = scenario("B6", "v4.3-rc i_mmap_rwsem: a write fault shooting out a hole page takes the lock it already holds", "I-DEADLOCK", [
  variant({
    name: "843172978bb9+46c043ede471",
    summary: "843172978bb9 (i_mmap_rwsem write around get_block) with 46c043ede471 (unmap_mapping_range takes it for DAX): recursive down_write",
    expect: "race",
    raceKind: "deadlock",
    build: () => readAndWriteFaultOnHole("843172978bb9+46c043ede471", daxFaultHolePagesV43rc, "violation"),
  }),
  variant({
    name: "fixed",
    summary: "0f90cc6609c7 \"mm, dax: fix DAX deadlocks\" (v4.3): back to v4.2, i_mmap_rwsem(read) only inside dax_insert_mapping",
    expect: "verified",
    build: () => readAndWriteFaultOnHole("fixed", daxFaultHolePagesV42, "verified"),
  }),
]);

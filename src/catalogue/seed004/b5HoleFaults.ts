// 004-B5, two write faults on one hole (Willy's 843172978bb9 changelog: "the
// winner of the race will return to userspace and complete their store,
// only to have the loser overwrite their store with zeroes"). In v4.2 the
// filesystem hands DAX an unwritten extent; DAX zeroes it, maps it, and
// converts it. A second fault that looked the extent up before the
// conversion zeroes it again, after the first writer's store:
//
//   writer0                               writer1
//   get_block(create) -> b1 (unwritten)
//                                         get_block -> b1 (unwritten)
//   clear_page(b1); pte := b1; convert
//   store A into b1
//                                         clear_page(b1)     <- A is gone
//                                         pte busy; store B
//
// 843172978bb9 (v4.3-rc1) took i_mmap_rwsem for write from before get_block
// to the end of the fault, so the loser finds a written extent; it was
// reverted for its deadlocks (004-B6). ac401cc78242 (v4.7) serialises faults
// on one index with the DAX entry lock instead.

import { model, type Model } from "../../program/model.ts";
import { daxFaultEntryLock, daxFaultV42, daxFaultV43 } from "../../mm/dax/daxFault.ts";
import { daxWorld, scenario, variant, writerThread, type DaxFault } from "./world.ts";

/** `writers` threads write-fault the hole F[0] and store their bit; a device of two blocks. */
export function holeWriters(name: string, fault: DaxFault, writers: number, expect: "violation" | "verified"): Model {
  return model(`004-B5-${name}`, (m) => {
    const { dm, F, M } = daxWorld(m, 2, { size: 1 });
    const names = Array.from({ length: writers }, (_, k) => `writer${k}`);
    names.forEach((n, k) => writerThread(m, n, fault, { dm, f: F, vma: M, index: 0, write: true }, k));
    dm.checkNoLostWrite(F, 0, names);
    dm.checkBlocks();
    m.expect(expect);
  });
}

export const b5 = scenario("B5", "two write faults on one hole: the loser zeroes the winner's store", "no lost write", [
  variant({
    name: "buggy",
    summary: "v4.2 __dax_fault: get_block outside any lock, unwritten extents zeroed by each fault that sees them",
    expect: "race",
    build: () => holeWriters("buggy", daxFaultV42, 2, "violation"),
  }),
  variant({
    name: "i_mmap_rwsem-write",
    summary: "843172978bb9 \"dax: fix race between simultaneous faults\" (v4.3-rc1): i_mmap_rwsem(write) from before get_block to the end",
    expect: "verified",
    build: () => holeWriters("i_mmap_rwsem-write", daxFaultV43, 2, "verified"),
  }),
  variant({
    name: "entry-lock",
    summary: "ac401cc78242 \"dax: New fault locking\" (v4.7): the DAX entry locked from before get_block until the pte is set",
    expect: "verified",
    build: () => holeWriters("entry-lock", daxFaultEntryLock, 2, "verified"),
  }),
  variant({
    name: "entry-lock-3",
    size: "larger",
    summary: "ac401cc78242 with three writers on the hole",
    expect: "verified",
    build: () => holeWriters("entry-lock-3", daxFaultEntryLock, 3, "verified"),
  }),
  variant({
    name: "i_mmap_rwsem-write-3",
    size: "larger",
    summary: "843172978bb9 with three writers on the hole",
    expect: "verified",
    build: () => holeWriters("i_mmap_rwsem-write-3", daxFaultV43, 3, "verified"),
  }),
]);

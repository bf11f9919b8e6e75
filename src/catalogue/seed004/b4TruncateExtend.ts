// 004-B4, the v4.2 scheme and truncate-then-extend (ABA on i_size). v4.0-v4.2's
// dax_insert_mapping re-checks i_size under i_mmap_rwsem(read), and truncate's
// unmap takes it for write: that closes 004-B1 as long as the file stays
// short. The kernel comment there already admits the gap ("this block may or
// may not be still allocated to the file"): if the file is truncated and
// extended again between get_block and the re-check, the re-check passes and
// the pfn is that of a block truncate freed:
//
//   fault                               truncate; extend
//   get_block(0) -> b1
//                                       i_size = 0; unmap (nothing); free b1
//                                       i_size = 1
//   i_mmap_lock_read; 0 < 1 ✓
//   pte(M,0) := pfn b1                  <- b1 is free (or someone else's)
//
// Only a lock held from get_block to the pte, excluding every size change,
// closes it: XFS's MMAPLOCK (653c60b633a9) here.

import { model, type Model } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { daxFaultV42, xfsFilemapFault } from "../../mm/dax/daxFault.ts";
import { daxTruncateV42, xfsSetattrSize } from "../../mm/dax/daxFs.ts";
import type { DaxFile, DaxMachine } from "../../mm/dax/daxMachine.ts";
import { daxWorld, faultThread, scenario, variant, writerThread, type DaxFault } from "./world.ts";

type SetSize = (t: ThreadContext, dm: DaxMachine, f: DaxFile, newSize: number) => Access<void>;

/**
 * A read fault on F[0] (block b1) against a thread that truncates F to 0
 * and extends it back to 1. With `writer`, a third thread write-faults F[0]
 * after the extension (allocating a fresh block) and stores into it.
 */
export function truncateExtend(name: string, fault: DaxFault, setSize: SetSize, opts: { writer?: boolean; expect: "violation" | "verified" }): Model {
  return model(`004-B4-${name}`, (m) => {
    const { dm, F, M } = daxWorld(m, 2, { size: 1, blocks: [1] });
    faultThread(m, "fault", fault, { dm, f: F, vma: M, index: 0, write: false });
    m.thread("truncate+extend", function* (t) {
      yield* setSize(t, dm, F, 0);
      yield* setSize(t, dm, F, 1);
    });
    if (opts.writer) writerThread(m, "writer", fault, { dm, f: F, vma: M, index: 0, write: true }, 0);
    dm.checkBlocks();
    m.expect(opts.expect);
  });
}

export const b4 = scenario("B4", "v4.2's i_mmap_rwsem re-check vs truncate-then-extend: the i_size check passes, the block is gone", "I-BLOCK", [
  variant({
    name: "v4.2-aba",
    summary: "v4.0-v4.2 dax_insert_mapping (i_size re-checked under i_mmap_rwsem(read)) vs truncate to 0 then extend to 1",
    expect: "race",
    build: () => truncateExtend("v4.2-aba", daxFaultV42, daxTruncateV42, { expect: "violation" }),
  }),
  variant({
    name: "fixed",
    summary: "653c60b633a9 (XFS MMAPLOCK): shared from get_block to the pte, exclusive across each size change",
    expect: "verified",
    build: () => truncateExtend("fixed", xfsFilemapFault, xfsSetattrSize, { expect: "verified" }),
  }),
  variant({
    name: "fixed-writer",
    size: "larger",
    summary: "653c60b633a9 with a third thread write-faulting F[0] after the extension (block reuse by the same file)",
    expect: "verified",
    build: () => truncateExtend("fixed-writer", xfsFilemapFault, xfsSetattrSize, { writer: true, expect: "verified" }),
  }),
  variant({
    name: "v4.2-aba-writer",
    size: "larger",
    summary: "the v4.2 race with the third thread: the stale pfn and the rewritten block may differ",
    expect: "race",
    build: () => truncateExtend("v4.2-aba-writer", daxFaultV42, daxTruncateV42, { writer: true, expect: "violation" }),
  }),
]);

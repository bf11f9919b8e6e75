// 004-B2, Boaz's rw-lock proposal as he drew it (linux-mm, 11 Aug 2015):
//
//   fault                         truncate
//   read_lock(inode)
//   get_block; check i_size
//   read_unlock(inode)
//                                 write_lock(inode)
//                                 update i_size; remove blocks; unmap
//                                 write_unlock(inode)
//   setup pte                     <- the pfn of a removed block
//
// The lock excludes truncate from get_block and the check but not from the
// pte, which is the step that matters: the read side must cover the pte
// installation too, as XFS's MMAPLOCK and ext4's i_mmap_sem do (the whole
// ->fault runs under the shared lock).

import { model, type Model } from "../../program/model.ts";
import { boazFault, boazFaultHeld } from "../../mm/dax/daxFault.ts";
import { boazTruncate } from "../../mm/dax/daxFs.ts";
import { daxWorld, faultThread, scenario, variant, type DaxFault } from "./world.ts";

/** One read fault on F[0] (block b1) against Boaz's truncate of F to 0. */
export function boazRwlock(name: string, fault: DaxFault, expect: "violation" | "verified"): Model {
  return model(`004-B2-${name}`, (m) => {
    const { dm, F, M } = daxWorld(m, 2, { size: 1, blocks: [1] });
    faultThread(m, "fault", fault, { dm, f: F, vma: M, index: 0, write: false });
    m.thread("truncate", (t) => boazTruncate(t, dm, F, 0));
    dm.checkBlocks();
    dm.checkTruncatedPfns();
    m.expect(expect);
  });
}

export const b2 = scenario("B2", "Boaz's rw lock released before the pte is set", "I-BLOCK", [
  variant({
    name: "rwlock-dropped-early",
    summary: "Boaz's proposal (11 Aug 2015): read_lock around get_block + i_size check only, the pte set after read_unlock",
    expect: "race",
    build: () => boazRwlock("rwlock-dropped-early", boazFault, "violation"),
  }),
  variant({
    name: "fixed",
    summary: "the same rw lock held across the pte installation (how 653c60b633a9's MMAPLOCK and ea3d7209ca01's i_mmap_sem cover ->fault)",
    expect: "verified",
    build: () => boazRwlock("fixed", boazFaultHeld, "verified"),
  }),
]);

// 004-B1, Kirill's race (linux-mm, 11 Aug 2015): a DAX fault has no page
// lock, so nothing orders its "get_block ... check i_size ... set up pte"
// against truncate's "update i_size, unmap, free blocks":
//
//   fault                         truncate
//   get_block(0) -> b1
//   check i_size: 0 < 1
//                                 i_size = 0
//                                 unmap: pte(M,0) is none
//                                 free b1
//   pte(M,0) := pfn b1            <- maps a freed block (I-BLOCK, I-TRUNC)
//
// The page cache is safe because the fault holds the page lock from the
// i_size check to the pte and truncate locks each page. The fix that went in
// is XFS's MMAPLOCK (653c60b633a9): shared across the whole fault, exclusive
// across the whole size change. v4.0-v4.2's i_mmap_rwsem re-check closes
// this interleaving too, as long as the file stays truncated (004-B4), and
// 843172978bb9 reopened it by leaving the DAX unmap unlocked.

import { model, type Model } from "../../program/model.ts";
import { downRead, upRead } from "../../kernel/rwsem.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { daxFaultKirill, daxFaultV42, daxFaultV43, xfsFilemapFault } from "../../mm/dax/daxFault.ts";
import { daxTruncateV42, unmapMappingRangeDaxUnlocked, xfsSetattrSize } from "../../mm/dax/daxFs.ts";
import type { DaxFile, DaxMachine } from "../../mm/dax/daxMachine.ts";
import { daxWorld, faultThread, scenario, variant, type DaxFault } from "./world.ts";

type Truncate = (t: ThreadContext, dm: DaxMachine, f: DaxFile, newSize: number) => Access<void>;

/**
 * Kirill's fault under MMAPLOCK alone: the buggy fault with only the lock
 * added, so that the verdict is about the lock (the real XFS fault also has
 * v4.2's i_mmap_rwsem re-check, which by itself closes this interleaving).
 */
const kirillUnderMmapLock: DaxFault = function* (t, a) {
  t.step("xfs_ilock(MMAPLOCK_SHARED)");
  yield* downRead(t, a.f.mmapLock);
  const r = yield* daxFaultKirill(t, a);
  t.step("xfs_iunlock(MMAPLOCK_SHARED)");
  yield* upRead(t, a.f.mmapLock);
  return r;
};

/** v4.3-rc1's truncate: unmap_mapping_range with 843172978bb9 takes no lock for DAX. */
const truncate843172978bb9: Truncate = (t, dm, f, n) => daxTruncateV42(t, dm, f, n, unmapMappingRangeDaxUnlocked);

/**
 * `faults` readers fault on indices 0..faults-1 of a file of that many
 * pages, all backed by blocks; one thread truncates it to 0. With `reuse`,
 * a write fault on index 0 of a second file G may get a freed block: the
 * stale pte then shows G's data (the information leak of the thread).
 */
export function faultVsTruncate(name: string, fault: DaxFault, truncate: Truncate, opts: { faults?: number; reuse?: boolean; expect: "violation" | "verified" }): Model {
  return model(`004-B1-${name}`, (m) => {
    const pages = opts.faults ?? 1;
    const { dm, F, M } = daxWorld(m, pages + 1, { size: pages, blocks: Array.from({ length: pages }, (_, i) => i + 1) });
    for (let i = 0; i < pages; i++) faultThread(m, pages === 1 ? "fault" : `fault${i}`, fault, { dm, f: F, vma: M, index: i, write: false });
    m.thread("truncate", (t) => truncate(t, dm, F, 0));
    if (opts.reuse) {
      const G = dm.file("G", { size: 1 });
      const GM = dm.vma("GM", M.mm, G);
      faultThread(m, "G-writer", daxFaultV42, { dm, f: G, vma: GM, index: 0, write: true });
    }
    // With a reuser, check only for the leak, so that the race shown is the reuse.
    if (opts.reuse) dm.checkNoForeignBlocks();
    else {
      dm.checkBlocks();
      dm.checkTruncatedPfns();
    }
    m.expect(opts.expect);
  });
}

export const b1 = scenario("B1", "DAX fault vs truncate: nothing orders the i_size check and the pte against unmap + free", "I-BLOCK", [
  variant({
    name: "buggy",
    summary: "Kirill's timeline (11 Aug 2015): get_block, check i_size, set pte, no lock held across them",
    expect: "race",
    build: () => faultVsTruncate("buggy", daxFaultKirill, daxTruncateV42, { expect: "violation" }),
  }),
  variant({
    name: "fixed",
    summary: "653c60b633a9 (XFS MMAPLOCK, v4.1): MMAPLOCK shared across the whole (v4.2) fault, exclusive across the size change",
    expect: "verified",
    build: () => faultVsTruncate("fixed", xfsFilemapFault, xfsSetattrSize, { expect: "verified" }),
  }),
  variant({
    name: "mmaplock-alone",
    summary: "the buggy fault with only 653c60b633a9's MMAPLOCK added (shared) against xfs_setattr_size (exclusive): the lock alone closes the race",
    expect: "verified",
    build: () => faultVsTruncate("mmaplock-alone", kirillUnderMmapLock, xfsSetattrSize, { expect: "verified" }),
  }),
  variant({
    name: "v4.2-i_mmap_rwsem",
    summary: "v4.0-v4.2 dax_insert_mapping: i_size re-checked under i_mmap_rwsem(read), unmap takes it for write; closes a plain truncate",
    expect: "verified",
    build: () => faultVsTruncate("v4.2-i_mmap_rwsem", daxFaultV42, daxTruncateV42, { expect: "verified" }),
  }),
  variant({
    name: "843172978bb9-unlocked-unmap",
    summary: "843172978bb9 (v4.3-rc1): the fault holds i_mmap_rwsem(write) but the DAX unmap takes no lock (\"What protects mapping->i_mmap here?\")",
    expect: "race",
    build: () => faultVsTruncate("843172978bb9-unlocked-unmap", daxFaultV43, truncate843172978bb9, { expect: "violation" }),
  }),
  variant({
    name: "buggy-reuse",
    size: "larger",
    summary: "Kirill's timeline plus a write fault on file G that gets the freed block: the stale pte shows G's data",
    expect: "race",
    build: () => faultVsTruncate("buggy-reuse", daxFaultKirill, daxTruncateV42, { reuse: true, expect: "violation" }),
  }),
  variant({
    name: "fixed-3x3",
    size: "larger",
    summary: "653c60b633a9 with three faulting threads on a three-page file truncated to 0 (four threads)",
    expect: "verified",
    build: () => faultVsTruncate("fixed-3x3", xfsFilemapFault, xfsSetattrSize, { faults: 3, expect: "verified" }),
  }),
  variant({
    name: "fixed-2x2",
    size: "larger",
    summary: "653c60b633a9 with two faulting threads on a two-page file truncated to 0",
    expect: "verified",
    build: () => faultVsTruncate("fixed-2x2", xfsFilemapFault, xfsSetattrSize, { faults: 2, expect: "verified" }),
  }),
]);

// Seed 001's scenarios: Nick Piggin / Andrew Morton, Oct 2006, "mm: fault
// vs invalidate/truncate race fix" (seeds/001_4e9008b78655ca4d.txt).
//   B1  a fault maps a page that invalidate_inode_pages2 is removing;
//   B2  locking the page in the fault deadlocks a write() from an mmap of it;
//   B3  zero-filling a short copy lets a reader see bytes nobody wrote.

import { expectRace, type Scenario, type Variant } from "../scenario.ts";
import { faultVsInvalidate, type FaultInvalidateConfig } from "./faultVsInvalidate.ts";
import { truncateCountMp } from "./truncateCountMp.ts";
import { lkmmFullPathVariants } from "./lkmmFullPaths.ts";
import { writeDeadlock, type WriteDeadlockConfig } from "./writeDeadlocks.ts";
import { zeroTail, type ZeroTailConfig } from "./zeroTail.ts";

const smallest = { memoryModel: "sc", size: "smallest" } as const;
const larger = { memoryModel: "sc", size: "larger" } as const;
const race = expectRace(true);
const deadlock = expectRace(true, "deadlock");
const verified = expectRace(false);
const verdictOf = (v: { readonly expect: string }) => (v.expect === "race" ? "violation" : "verified");

type Base = Omit<Variant, "build">;

function b1(v: Base, c: FaultInvalidateConfig): Variant {
  return { ...v, build: () => faultVsInvalidate(`001-B1 ${v.name}`, c, verdictOf(v)) };
}
function mp(v: Base, wmb: boolean): Variant {
  return { ...v, build: () => truncateCountMp(`001-B1 ${v.name}`, wmb, verdictOf(v)) };
}
function b2(v: Base, c: WriteDeadlockConfig): Variant {
  return { ...v, build: () => writeDeadlock(`001-B2 ${v.name}`, c, verdictOf(v)) };
}
function b3(v: Base, c: ZeroTailConfig): Variant {
  return { ...v, build: () => zeroTail(`001-B3 ${v.name}`, c, verdictOf(v)) };
}

const PRE_2007 = "v2.6.18 do_no_page + filemap_nopage: the page is found without its lock, truncate_count sampled before and rechecked under the PTL";
const D00806 = "d00806b18315 \"mm: fix fault vs invalidate race for linear mappings\" (v2.6.23): the fault keeps the page locked until its pte is set; removers unmap under the page lock";
const NICK_2006 = "Nick Piggin, Oct 2006, [patch 2/5] \"mm: fault vs invalidate/truncate race fix\" (the seed): filemap_nopage uses find_lock_page, do_no_page unlocks after the pte";
const W2618 = "v2.6.18 generic_file_buffered_write (prefault iov[0] only; copy_from_user with the page locked)";
const W0829 = "08291429cfa6 \"mm: fix pagecache write deadlocks\" (v2.6.23): prefault one segment, atomic copy under the page lock";
const W2624 = "v2.6.24 generic_perform_write (\"fs: introduce write_begin, write_end, and perform_write aops\")";

const twoPages = { pages: 2, vmas: 2, premapped: [0], faults: [{ vma: 0, index: 0 }, { vma: 0, index: 1 }], truncateTo: 1 } as const;

const B1: Scenario = {
  id: "001-B1",
  seed: "001",
  title: "a fault maps a page that invalidate_inode_pages2 is removing (Andrea Arcangeli's race)",
  invariant: "I-TRUNC",
  variants: [
    b1({ ...smallest, ...race, name: "buggy", summary: `${PRE_2007}, vs v2.6.18 invalidate_inode_pages2: no i_size to fence with` }, { fault: "2.6.18", removers: ["invalidate"] }),
    b1({ ...smallest, ...verified, name: "nick-2006", summary: NICK_2006 }, { fault: "nick-2006", removers: ["invalidate"] }),
    b1({ ...smallest, ...verified, name: "fixed", summary: D00806 }, { fault: "2.6.23", removers: ["invalidate"] }),
    b1(
      { ...smallest, ...race, name: "two-vmas", summary: `${PRE_2007}; M2 maps the page, so invalidate's unmap bumps truncate_count before the fault samples it` },
      { fault: "2.6.18", removers: ["invalidate"], vmas: 2, premapped: [0] },
    ),
    b1({ ...smallest, ...verified, name: "two-vmas-fixed", summary: `${D00806}; M2 premapped` }, { fault: "2.6.23", removers: ["invalidate"], vmas: 2, premapped: [0] }),
    b1({ ...smallest, ...verified, name: "truncate-2.6.18", summary: `${PRE_2007}, vs v2.6.18 vmtruncate: the seqlock does cover truncation (i_size fences it)` }, { fault: "2.6.18", removers: ["truncate"] }),
    mp({ ...smallest, ...verified, memoryModel: "lkmm", name: "truncate-mp", summary: "v2.6.18 truncate_count seqlock as message passing: i_size; smp_wmb; truncate_count++ vs truncate_count; smp_rmb; i_size (coarse model)" }, true),
    mp({ ...smallest, ...race, memoryModel: "lkmm", name: "truncate-mp-no-wmb", summary: "the same without truncate's smp_wmb: the fault sees the new count with the old i_size (MP)" }, false),
    mp({ ...smallest, ...verified, memoryModel: "tso", name: "truncate-mp-no-wmb-tso", summary: "without smp_wmb under x86-TSO: stores stay in order, so nothing breaks there" }, false),
    b1({ ...larger, ...race, name: "larger-buggy", summary: `${PRE_2007}; 2 pages, 2 VMAs, 2 faults vs invalidate_inode_pages2 and vmtruncate(1)` }, { fault: "2.6.18", removers: ["invalidate", "truncate"], ...twoPages }),
    b1({ ...larger, ...verified, name: "larger-fixed", summary: `${D00806}; 2 pages, 2 VMAs, 2 faults vs invalidate_inode_pages2 and truncate(1)` }, { fault: "2.6.23", removers: ["invalidate", "truncate"], ...twoPages }),
    b1(
      { ...larger, ...verified, name: "larger-truncate-2.6.18", summary: `${PRE_2007}; 2 pages, 2 faults vs two vmtruncate(1)` },
      { fault: "2.6.18", removers: ["truncate", "truncate"], pages: 2, faults: twoPages.faults, truncateTo: 1 },
    ),
    ...lkmmFullPathVariants,
  ],
};

const B2: Scenario = {
  id: "001-B2",
  seed: "001",
  title: "write() from an mmap of the file takes a page fault with the page locked (self, ABBA, mmap_sem)",
  invariant: "I-DEADLOCK",
  variants: [
    b2({ ...smallest, ...deadlock, name: "self", summary: `${W2618} + ${NICK_2006}: the fault sleeps on the writer's own page lock` }, { shape: "self", fault: "nick-2006", write: "2.6.18" }),
    b2({ ...smallest, ...verified, name: "self-2.6.18", summary: `${W2618} + unpatched v2.6.18 filemap_nopage: an uptodate page is mapped without its lock` }, { shape: "self", fault: "2.6.18", write: "2.6.18" }),
    b2(
      { ...smallest, ...deadlock, name: "self-2.6.18-not-uptodate", summary: `${W2618} + unpatched v2.6.18 filemap_nopage on a page not yet uptodate: the old, "extremely hard to hit" deadlock` },
      { shape: "self", fault: "2.6.18", write: "2.6.18", uptodate: false },
    ),
    b2({ ...smallest, ...verified, name: "self-08291429", summary: `${W0829} + d00806b18315 fault` }, { shape: "self", fault: "2.6.23", write: "08291429" }),
    b2({ ...smallest, ...verified, name: "self-perform-write", summary: `${W2624} + d00806b18315 fault` }, { shape: "self", fault: "2.6.23", write: "2.6.24" }),
    b2({ ...smallest, ...deadlock, name: "abba", summary: `${W2618} + ${NICK_2006}: two writers copy crosswise between two files` }, { shape: "abba", fault: "nick-2006", write: "2.6.18" }),
    b2({ ...smallest, ...verified, name: "abba-08291429", summary: `${W0829}, two crosswise writers` }, { shape: "abba", fault: "2.6.23", write: "08291429" }),
    b2({ ...smallest, ...verified, name: "abba-perform-write", summary: `${W2624}, two crosswise writers` }, { shape: "abba", fault: "2.6.23", write: "2.6.24" }),
    b2({ ...smallest, ...deadlock, name: "mmap-sem", summary: `${W2618} + ${NICK_2006}: writer holds the page and faults (mmap_sem read) vs mlock holding mmap_sem (write) faulting on the page` }, { shape: "mmap", fault: "nick-2006", write: "2.6.18" }),
    b2({ ...smallest, ...verified, name: "mmap-sem-2.6.18", summary: `${W2618} + unpatched v2.6.18 filemap_nopage vs mlock: get_user_pages maps the uptodate page unlocked` }, { shape: "mmap", fault: "2.6.18", write: "2.6.18" }),
    b2({ ...smallest, ...verified, name: "mmap-sem-08291429", summary: `${W0829} vs mlock + d00806b18315 fault` }, { shape: "mmap", fault: "2.6.23", write: "08291429" }),
    b2({ ...smallest, ...verified, name: "mmap-sem-perform-write", summary: `${W2624} vs mlock + d00806b18315 fault` }, { shape: "mmap", fault: "2.6.23", write: "2.6.24" }),
    b2({ ...larger, ...deadlock, name: "ring3", summary: `${W2618} + ${NICK_2006}: three writers copying round a ring of three files` }, { shape: "abba", fault: "nick-2006", write: "2.6.18", ring: 3 }),
    b2({ ...larger, ...verified, name: "ring3-perform-write", summary: `${W2624}, three writers round a ring of three files` }, { shape: "abba", fault: "2.6.23", write: "2.6.24", ring: 3 }),
  ],
};

const ZERO_TAIL = "Andrew Morton's plan in the thread (11 Oct 2006): atomic copy, zero the uncopied part, commit_write, unlock, fault in, retry";

const B3: Scenario = {
  id: "001-B3",
  seed: "001",
  title: "zero-filling a short atomic copy lets read() see zeros neither the file nor the write held",
  invariant: "I-DATA",
  variants: [
    b3({ ...smallest, ...race, name: "zero-tail", summary: `${ZERO_TAIL}, zeroing skipped only for uptodate pages: a page not yet uptodate goes uptodate with zeros` }, { write: "zero-tail-skip-uptodate", uptodate: false }),
    b3({ ...smallest, ...race, name: "zero-tail-uptodate", summary: `${ZERO_TAIL}, always zeroing: zeros replace the old data of an uptodate page` }, { write: "zero-tail", uptodate: true }),
    b3({ ...smallest, ...verified, name: "skip-zeroing-uptodate", summary: `${ZERO_TAIL}, on an uptodate page whose zeroing is skipped: the old bytes stay` }, { write: "zero-tail-skip-uptodate", uptodate: true }),
    b3({ ...smallest, ...verified, name: "08291429", summary: `${W0829}: a page not uptodate is filled from a pinned copy of the source` }, { write: "08291429", uptodate: false }),
    b3({ ...smallest, ...verified, name: "fixed", summary: `${W2624}: write_end counts a short copy into a page not uptodate as 0 bytes` }, { write: "2.6.24", uptodate: false }),
    b3({ ...larger, ...race, name: "zero-tail-two-readers", summary: `${ZERO_TAIL}; two readers` }, { write: "zero-tail-skip-uptodate", uptodate: false, readers: 2 }),
    b3({ ...larger, ...verified, name: "fixed-two-readers", summary: `${W2624}; two readers` }, { write: "2.6.24", uptodate: false, readers: 2 }),
  ],
};

export const seed001Scenarios: readonly Scenario[] = [B1, B2, B3];

// hugetlbfs: a fault against fallocate(PUNCH_HOLE). The punch unmaps the
// hole, then removes its pages under the fault mutex of each index; a fault
// between the two maps the old page again. Before 4aae8d1c051e (v4.5)
// remove_inode_hugepages left a mapped page alone, so the hole kept its old
// data after fallocate returned; since, it unmaps the page again under the
// fault mutex and removes it. Verdicts under SC, TSO and LKMM; SC counts
// against the brute-force enumerator.

import { test } from "node:test";
import { model } from "../../src/index.ts";
import { assertVerifiedUnderEach, assertRaceUnderEach } from "../support/memoryModels.ts";
import {
  HugetlbFaultMutexTable,
  I_HOLE,
  Machine,
  PageAllocator,
  checkHoleReadsZero,
  checkMapcount,
  declarePageData,
  hugetlbFault,
  hugetlbfsPunchHole,
  type RaceWithFault,
} from "../../src/mm/index.ts";


function faultVsPunch(race: RaceWithFault, mutexes = 2) {
  return model(`hugetlb_fault vs hugetlbfs_punch_hole (${race})`, (m) => {
    const mc = new Machine(m);
    const F = mc.file("F", { size: 1, cached: [{ index: 0 }] });
    const A = mc.cachedPage(F, 0);
    const aData = declarePageData(mc, A, 42);
    const M = mc.vma("M", mc.mm(), F, { mapped: [0] });
    const Z = mc.page("Z");
    const zData = declarePageData(mc, Z, 7); // not zeroed yet: a fault that allocates it must clear it
    const alloc = new PageAllocator(mc, { free: [Z] });
    const table = new HugetlbFaultMutexTable(mc, mutexes);
    m.thread("fault", function* (t) {
      return { mapped: (yield* hugetlbFault(t, mc, alloc, table, M, 0)) ? 1 : 0 };
    });
    m.thread("punch", function* (t) {
      return { left: (yield* hugetlbfsPunchHole(t, mc, table, F, 0, 1, race)).length };
    });
    checkHoleReadsZero(mc, F, 0, 1);
    checkMapcount(mc);
    mc.checkFree();
    mc.checkTruncation();
    m.exists("the fault mapped the old page again between the unmap and the removal", (s) => s.result("fault")?.mapped === 1 && s.int(A.mapcount) === 0 && s.int(A.refcount) === 0);
    m.exists("a fault after the punch mapped a fresh, zeroed page", (s) => {
      const page = s.int(F.iPages[0]!);
      const data = page === A.id ? aData : page === Z.id ? zData : undefined;
      return s.result("fault")?.mapped === 1 && s.int(M.pte[0]!) === page && data !== undefined && s.int(data) === 0;
    });
  });
}

test("before 4aae8d1c051e a fault between the unmap and the removal leaves the old page, data and all, in the punched hole (SC, TSO, LKMM)", () => {
  const md = faultVsPunch("skip-mapped");
  assertRaceUnderEach(md, I_HOLE);
});

test("4aae8d1c051e: remove_inode_hugepages unmaps the raced page under the fault mutex and removes it (SC, TSO, LKMM)", () => {
  for (const mutexes of [1, 2]) {
    const md = faultVsPunch("unmap-mapped", mutexes);
    assertVerifiedUnderEach(md);
  }
});

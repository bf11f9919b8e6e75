// FUSE writeback against the paths that change the file behind the page
// cache. fallocate(PUNCH_HOLE) against background writeback of a page
// dirtied through mmap, before and after bde52788bdb7: with FUSE_NOWRITE
// held across the punch, the page's WRITE waits in the queue while the
// page cache is truncated and reaches the server after the punch. A
// shrinking truncate and a write(2) that extends the file again, against
// fuse_writepages, before and after 2d033eaa0073: writeback ended before
// the request was queued lets the truncation return first, and the
// request, cropped only later, carries the old data past the truncation.
// The races are found under SC, TSO and LKMM, the fixes verified under SC
// and TSO (SC's count against the brute-force enumerator) and LKMM.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { testAndClearBit } from "../../src/kernel/index.ts";
import {
  FuseInode,
  Machine,
  declarePageData,
  declareWriteback,
  fuseDoSetattrTruncate,
  fuseFileFallocatePunch,
  fuseWriteExtending,
  fuseWritepage,
  fuseWritepages,
  lockPage,
  pageAt,
  unlockPage,
  type FuseFallocateVersion,
  type FuseWritepagesVersion,
} from "../../src/mm/index.ts";

/** File F, `size` pages of `slots`, page 0 cached and dirtied through mmap with data 2 over the server's 1. */
function fuseFile(m: Parameters<Parameters<typeof model>[1]>[0], size: number, slots: number, waiters: readonly string[]) {
  const mc = new Machine(m);
  const f = mc.file("F", { size, slots, cached: [{ index: 0, flags: ["uptodate", "dirty"] }] });
  const p = mc.cachedPage(f, 0);
  declarePageData(mc, [p], () => 2);
  declareWriteback(mc, p, waiters, "once");
  const fi = new FuseInode(mc, f, { serverData: (i) => (i === 0 ? 1 : 0) });
  return { mc, f, p, fi };
}

function punchVsWriteback(version: FuseFallocateVersion) {
  return model(`fuse fallocate(PUNCH_HOLE) vs writeback, ${version}`, (m) => {
    const { mc, fi } = fuseFile(m, 1, 1, ["fallocate"]);
    m.thread("flusher", function* (t) {
      yield* fuseWritepages(t, fi, [0], "none", "2d033eaa0073");
    });
    m.thread("fallocate", function* (t) {
      yield* fuseFileFallocatePunch(t, fi, 0, version);
    });
    m.forall("the hole reads zeros once fallocate and the writes it started are done", (s) => s.int(fi.serverData[0]!) === 0);
    m.exists("the page's data reached the server before the punch", (s) => s.int(fi.writectr) === 0);
    mc.checkFree();
  });
}

/** The same race through ->writepage: the flusher locks the page, cleans it for I/O and calls fuse_writepage, as reclaim's pageout does. */
function punchVsWritepage(version: FuseFallocateVersion) {
  return model(`fuse fallocate(PUNCH_HOLE) vs fuse_writepage, ${version}`, (m) => {
    const { mc, f, fi } = fuseFile(m, 1, 1, ["fallocate"]);
    m.thread("flusher", function* (t) {
      const p = yield* pageAt(t, mc, f, 0);
      if (p === undefined) return;
      yield* lockPage(t, p);
      if ((yield* t.read(p.mapping, "once")) === f.id && (yield* testAndClearBit(t, p.flag("dirty")))) yield* fuseWritepage(t, fi, p, 0);
      yield* unlockPage(t, p);
    });
    m.thread("fallocate", function* (t) {
      yield* fuseFileFallocatePunch(t, fi, 0, version);
    });
    m.forall("the hole reads zeros once fallocate and the writes it started are done", (s) => s.int(fi.serverData[0]!) === 0);
    mc.checkFree();
  });
}

function truncateVsWritepages(version: FuseWritepagesVersion) {
  return model(`fuse truncate + extending write vs fuse_writepages, ${version}`, (m) => {
    const { mc, fi } = fuseFile(m, 1, 2, ["user", "flusher"]);
    m.thread("flusher", function* (t) {
      yield* fuseWritepages(t, fi, [0], "none", version);
    });
    m.thread("user", function* (t) {
      yield* fuseDoSetattrTruncate(t, fi, 0);
      yield* fuseWriteExtending(t, fi, 1, 3);
    });
    m.forall("page 0, truncated and then covered again by the extending write, reads zeros", (s) => s.int(fi.serverData[0]!) === 0);
    m.exists("the write landed past the hole", (s) => s.int(fi.serverData[1]!) === 3 && s.int(fi.f.iSize) === 2);
    mc.checkFree();
  });
}

function checkPair(buggy: () => ReturnType<typeof model>, fixed: () => ReturnType<typeof model>, violation: RegExp): void {
  for (const name of ["sc", "tso", "lkmm"]) {
    const memoryModel = memoryModelNamed(name);
    const b = explore(buggy(), { memoryModel });
    assert.match(b.violations[0]?.outcome.violation?.message ?? "", violation, `buggy [${name}]`);
    const f = explore(fixed(), { memoryModel, stopOnViolation: false });
    assert.equal(f.violationCount, 0, `fixed [${name}]: ${f.violations[0]?.outcome.violation?.message}`);
    assert.ok(f.exhaustive, `fixed [${name}]`);
    assert.ok(f.existsCounts.every((n) => n > 0), `fixed [${name}]: every witness holds somewhere (${f.existsCounts})`);
    if (name === "sc") assert.equal(f.executions, explore(fixed(), { strategy: "enumerate", stopOnViolation: false }).executions, "SC against the enumerator");
  }
}

test("fallocate(PUNCH_HOLE) vs writeback: FUSE_NOWRITE across the punch lets the queued WRITE land in the hole; bde52788bdb7 writes back and syncs first", () => {
  checkPair(() => punchVsWriteback("3634a6327815"), () => punchVsWriteback("bde52788bdb7"), /hole reads zeros/);
});

test("the same through fuse_writepage (SC, TSO, LKMM)", () => {
  checkPair(() => punchVsWritepage("3634a6327815"), () => punchVsWritepage("bde52788bdb7"), /hole reads zeros/);
});

test("truncate + extending write vs fuse_writepages: writeback ended before the request is queued brings the old data back; 2d033eaa0073 ends it after", () => {
  checkPair(() => truncateVsWritepages("26d614df1da9"), () => truncateVsWritepages("2d033eaa0073"), /reads zeros/);
});

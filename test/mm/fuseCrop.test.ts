// fuse_flush_writepages crops every request of one flush to the i_size it
// read once, under fi->lock; write(2) grows i_size under the same lock
// (fuse_write_update_size). So one flush never sends a request while
// leaving a lower one unsent as past the end of the file. Pages 1 and 2
// are dirty past i_size (1 page) when fuse_writepages flushes them, lowest
// index first, while a write(2) to page 3 extends the file. Verdicts under
// SC, TSO and LKMM; SC counts against the brute-force enumerator.

import { test } from "node:test";
import { model } from "../../src/index.ts";
import { assertVerifiedUnderEach } from "../support/memoryModels.ts";
import { FuseInode, Machine, declarePageData, declareWriteback, fuseWriteExtending, fuseWritepages } from "../../src/mm/index.ts";

const ONE_CROP = "one flush crops its requests to one i_size: page 2's data is sent only if page 1's is";

function flushVsExtendingWrite() {
  return model("fuse_writepages past i_size vs an extending write(2)", (m) => {
    const mc = new Machine(m);
    const f = mc.file("F", {
      size: 1,
      slots: 4,
      cached: [
        { index: 1, flags: ["uptodate", "dirty"] },
        { index: 2, flags: ["uptodate", "dirty"] },
      ],
    });
    const pages = [mc.cachedPage(f, 1), mc.cachedPage(f, 2)];
    declarePageData(mc, pages, (p) => (p === pages[0] ? 11 : 12));
    for (const p of pages) declareWriteback(mc, p, [], "once");
    const fi = new FuseInode(mc, f);
    m.thread("flusher", function* (t) {
      yield* fuseWritepages(t, fi, [1, 2], "none", "2d033eaa0073");
    });
    m.thread("writer", function* (t) {
      yield* fuseWriteExtending(t, fi, 3, 7);
    });
    m.forall(ONE_CROP, (s) => s.int(fi.serverData[2]!) !== 12 || s.int(fi.serverData[1]!) === 11);
    m.exists("both pages were cropped off", (s) => s.int(fi.serverData[1]!) === 0 && s.int(fi.serverData[2]!) === 0);
    m.exists("both pages were sent", (s) => s.int(fi.serverData[1]!) === 11 && s.int(fi.serverData[2]!) === 12);
    mc.checkFree();
  });
}

test("one flush crops every request to the one i_size it read, and write(2) changes i_size only under fi->lock (SC, TSO, LKMM)", () => {
  const md = flushVsExtendingWrite();
  assertVerifiedUnderEach(md);
});

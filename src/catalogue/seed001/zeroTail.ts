// 001-B3: what a short atomic copy leaves in the page. Andrew's plan in the
// seed thread: on a short copy, zero the uncopied part of the page, then
// commit_write and unlock, fault the source in and go round again. Between
// that unlock and the next round a reader copies out zeros that neither the
// old file nor the write contained (the "fleeting zeroes" problem). He would
// skip the zeroing for an uptodate page (its old bytes are valid), which
// leaves the page that is not uptodate. 08291429cfa6 copies into such a page
// only through a pinned copy of the source; 2.6.24's write_end treats a
// short copy into it as nothing copied, so the page never goes uptodate
// with bytes nobody wrote.
//
// Configuration: one page of two cells (one block), a writev of two
// segments, the second one swapped out so the atomic copy stops there, and
// one reader.

import { model, type Expectation, type Model } from "../../program/model.ts";
import type { ThreadContext } from "../../program/threadContext.ts";
import { Machine } from "../../mm/machine.ts";
import {
  bufferedWriteZeroTail2006,
  genericFileAioWrite,
  genericFileBufferedWrite08291429,
  genericPerformWrite,
  type BufferedWrite,
  type PageContents,
} from "../../mm/writePath.ts";
import { anonUserPage } from "./userBuffers.ts";
import { doGenericFileRead } from "./fileRead.ts";

/** Cell values: what the block on disk holds, what the write brings, and what a fresh page holds before anyone fills it. */
export const OLD = 1;
export const NEW = 2;
export const GARBAGE = 7;

export type ZeroTailWrite = "zero-tail" | "zero-tail-skip-uptodate" | "08291429" | "2.6.24";

const writers: Record<ZeroTailWrite, BufferedWrite> = {
  "zero-tail": bufferedWriteZeroTail2006({ skipZeroingUptodate: false }),
  "zero-tail-skip-uptodate": bufferedWriteZeroTail2006({ skipZeroingUptodate: true }),
  "08291429": genericFileBufferedWrite08291429,
  "2.6.24": genericPerformWrite,
};

export interface ZeroTailConfig {
  readonly write: ZeroTailWrite;
  /** Whether the page starts uptodate (holding the old data) or freshly allocated (garbage, not uptodate). */
  readonly uptodate: boolean;
  readonly readers?: number;
}

export function zeroTail(name: string, c: ZeroTailConfig, expect: Expectation): Model {
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const F = mc.file("F", { size: 1, cached: [{ index: 0, flags: c.uptodate ? ["uptodate"] : [] }] });
    const contents: PageContents = { cells: m.array("P0.data", 2, c.uptodate ? OLD : GARBAGE), disk: OLD };
    const mm = mc.mm();
    const segs = [
      { source: anonUserPage(m, mm, "U", true), value: NEW },
      { source: anonUserPage(m, mm, "V", false), value: NEW },
    ];
    m.thread("T_write", (t: ThreadContext) => genericFileAioWrite(t, { mc, f: F, index: 0, contents }, segs, writers[c.write]));
    const readers = Array.from({ length: c.readers ?? 1 }, (_, k) => ((c.readers ?? 1) === 1 ? "T_read" : `T_read${k + 1}`));
    for (const r of readers) {
      m.thread(r, function* (t: ThreadContext) {
        const bytes = yield* doGenericFileRead(t, mc, F, 0, contents);
        return { b0: bytes?.[0] ?? OLD, b1: bytes?.[1] ?? OLD };
      });
    }
    m.forall("I-DATA: read() returns, byte by byte, the old or the new data, never zeros or uninitialised bytes", (s) =>
      readers.every((r) => {
        const res = s.result(r);
        return res === undefined || [res.b0, res.b1].every((b) => b === OLD || b === NEW);
      }),
    );
    m.forall("I-DATA: the whole write lands", (s) => contents.cells.every((cell) => s.int(cell) === NEW));
    m.expect(expect);
  });
}

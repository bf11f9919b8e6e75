// 001-B2: write(2) whose source is an mmap of a page-cache page, with the
// destination page locked across the copy (Andrew Morton's objection to
// Nick's locked fault). Nick's changelog for the fix lists the family:
//   self   the source maps the destination page: the fault sleeps on the
//          page lock its own thread holds;
//   abba   two writers, each copying from an mmap of the other's
//          destination page (two files: i_mutex serialises writers of one);
//   mmap   the writer holds the page lock and faults (mmap_sem for read)
//          while an mlock() holds mmap_sem for write and faults on that page.
// Each write is a writev of two segments, a resident buffer first: 2.6.18
// prefaulted only the first segment, so the copy faults on the second.

import { model, type Expectation, type Model } from "../../program/model.ts";
import type { ThreadContext } from "../../program/threadContext.ts";
import { Machine } from "../../mm/machine.ts";
import type { PageFlag } from "../../mm/page.ts";
import { doReadFault } from "../../mm/filemapFault.ts";
import { doNoPage2006, doNoPage2618Handler } from "../../mm/filemapNopage.ts";
import { TruncateCount } from "../../mm/invalidate.ts";
import { mappedUserPage, type FaultHandler } from "../../mm/userMemory.ts";
import {
  genericFileAioWrite,
  genericFileBufferedWrite08291429,
  genericFileBufferedWrite2618,
  genericPerformWrite,
  type BufferedWrite,
  type WriteTarget,
} from "../../mm/writePath.ts";
import { anonUserPage, mlockGetUserPages } from "./userBuffers.ts";

export type WriteDeadlockShape = "self" | "abba" | "mmap";
/** The fault path the source's page fault takes. */
export type SourceFault = "2.6.18" | "nick-2006" | "2.6.23";
/** The buffered write: 2.6.18's, 08291429cfa6 (2.6.23), or generic_perform_write (2.6.24). */
export type WritePathVersion = "2.6.18" | "08291429" | "2.6.24";

export interface WriteDeadlockConfig {
  readonly shape: WriteDeadlockShape;
  readonly fault: SourceFault;
  readonly write: WritePathVersion;
  /** Whether the destination page starts uptodate (default true). */
  readonly uptodate?: boolean;
  /** `abba` only: how many writers copy round a ring of files (default 2: ABBA; 3 makes an ABC cycle). */
  readonly ring?: number;
}

const NEW = 2;

const writers: Record<WritePathVersion, BufferedWrite> = {
  "2.6.18": genericFileBufferedWrite2618,
  "08291429": genericFileBufferedWrite08291429,
  "2.6.24": genericPerformWrite,
};

export function writeDeadlock(name: string, c: WriteDeadlockConfig, expect: Expectation): Model {
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const mm = mc.mm();
    const flags: readonly PageFlag[] = c.uptodate === false ? [] : ["uptodate"];
    const fileCount = c.shape === "abba" ? (c.ring ?? 2) : 1;
    const files = Array.from({ length: fileCount }, (_, k) => mc.file("FGH"[k] ?? `F${k}`, { size: 1, cached: [{ index: 0, flags }] }));
    const vmas = files.map((f) => mc.vma(`M${f.name}`, mm, f, { shared: true }));
    const tc = c.fault === "2.6.18" ? new TruncateCount(m, files[0]!) : undefined;
    const handler: FaultHandler = tc !== undefined ? doNoPage2618Handler(tc) : c.fault === "nick-2006" ? doNoPage2006 : doReadFault;
    const write = writers[c.write];
    const target = (k: number): WriteTarget => ({ mc, f: files[k]!, index: 0 });
    const resident = (label: string) => anonUserPage(m, mm, label, true);

    if (c.shape === "self") {
      const segs = [
        { source: resident("U"), value: NEW },
        { source: mappedUserPage(mc, vmas[0]!, 0, handler), value: NEW },
      ];
      m.thread("T_write", (t: ThreadContext) => genericFileAioWrite(t, target(0), segs, write));
    } else if (c.shape === "abba") {
      // writer k writes file k from the mmap of file k+1 (round the ring)
      files.forEach((_, k) => {
        const other = (k + 1) % files.length;
        const segs = [
          { source: resident(`U${k + 1}`), value: NEW },
          { source: mappedUserPage(mc, vmas[other]!, 0, handler), value: NEW },
        ];
        m.thread(`T_write${k + 1}`, (t: ThreadContext) => genericFileAioWrite(t, target(k), segs, write));
      });
    } else {
      const segs = [
        { source: resident("U"), value: NEW },
        { source: anonUserPage(m, mm, "V", false), value: NEW },
      ];
      m.thread("T_write", (t: ThreadContext) => genericFileAioWrite(t, target(0), segs, write));
      m.thread("T_mlock", (t: ThreadContext) => mlockGetUserPages(t, mc, vmas[0]!, 0, handler));
    }
    mc.checkFree();
    m.expect(expect);
  });
}

// s7-seq: i_size_read() against i_size_write() on a 32-bit SMP kernel, the
// seqcount's reader against its writer (include/linux/fs.h: "Use sequence
// counter to get consistent i_size on 32-bit processors").
//
// A 64-bit loff_t is two 32-bit stores there. A reader that loads the two
// halves while a write crosses 4 GiB (0x0_ffffffff to 0x1_00000000) can see
// the new low half with the old high half: a file of 4 GiB read as empty.
// i_size_seqcount makes the reader retry until it read both halves inside
// one unchanged, even sequence. Under a weak memory model the barriers are
// the protocol: without read_seqcount_retry's smp_rmb, LKMM lets the halves
// be read after the re-read of the sequence and the torn size is accepted.
//
// The seqcount predates the kernel's git history (2.6.0 era); no commit id
// could be verified, and the buggy variant is the read without it. The LKMM
// variants make one read attempt (a retry is reported as "retried"), since
// LKMM exploration does not bound a retry loop; that attempt is where the
// barriers decide.

import { model, type Model } from "../../program/model.ts";
import type { ThreadContext, Access } from "../../program/threadContext.ts";
import { expectRace, type Scenario, type ScenarioModel, type Variant } from "../scenario.ts";
import { Seqcount, readSeqcountBegin, readSeqcountRetry, seqcountRead, writeSeqcountBegin, writeSeqcountEnd } from "../../kernel/seqcount.ts";
import { mutexLock, mutexUnlock } from "../../kernel/mutex.ts";

export const I_SIZE = "I-SIZE: i_size_read returns a size i_size_write wrote, never a torn one";

const LOW = 0xffffffff;
/** The size before the write, as (high, low), and after it. */
const OLD = [0, LOW] as const;
const NEW = [1, 0] as const;

type Reader = "plain" | "seqcount" | "seqcount-once" | "seqcount-once-no-rmb";

interface Config {
  readonly readers: number;
}

const SMALLEST: Config = { readers: 1 };
const LARGER: Config = { readers: 2 };

export function iSizeRead(name: string, reader: Reader, c: Config): Model {
  return model(name, (m) => {
    const lo = m.location("i_size.lo", OLD[1]);
    const hi = m.location("i_size.hi", OLD[0]);
    const seq = new Seqcount(m, "i_size_seqcount");
    const iRwsem = m.location("i_rwsem", 0);
    const halves = function* (t: ThreadContext): Access<{ hi: number; lo: number }> {
      t.step("i_size_read: load both halves");
      return { lo: yield* t.read(lo, "once"), hi: yield* t.read(hi, "once") };
    };
    m.thread("write", function* (t) {
      t.step("i_size_write(4 GiB), under the inode lock");
      yield* mutexLock(t, iRwsem);
      if (reader !== "plain") yield* writeSeqcountBegin(t, seq);
      yield* t.write(lo, NEW[1], "once", undefined, "i_size.lo = 0");
      yield* t.write(hi, NEW[0], "once", undefined, "i_size.hi = 1");
      if (reader !== "plain") yield* writeSeqcountEnd(t, seq);
      yield* mutexUnlock(t, iRwsem);
    });
    const readerNames = [...Array(c.readers).keys()].map((i) => (c.readers === 1 ? "read" : `read${i + 1}`));
    for (const readerName of readerNames)
      m.thread(readerName, function* (t) {
        if (reader === "plain") return yield* halves(t);
        if (reader === "seqcount") return yield* seqcountRead(t, seq, halves);
        const opts = { noBarrier: reader === "seqcount-once-no-rmb" };
        const start = yield* readSeqcountBegin(t, seq, opts);
        const size = yield* halves(t);
        return (yield* readSeqcountRetry(t, seq, start, opts)) ? { retried: 1 } : size;
      });
    m.forall(I_SIZE, (s) =>
      readerNames.every((readerName) => {
        const res = s.result(readerName);
        if (res === undefined || res.retried === 1) return true;
        return (res.hi === OLD[0] && res.lo === OLD[1]) || (res.hi === NEW[0] && res.lo === NEW[1]);
      }),
    );
  });
}

function variant(name: string, summary: string, reader: Reader, memoryModel: ScenarioModel, race: boolean, size: "smallest" | "larger"): Variant {
  const larger = size === "larger";
  return {
    name: larger ? `${name}-larger` : name,
    summary: larger ? `${summary}; two readers` : summary,
    ...expectRace(race),
    memoryModel,
    size,
    build: () => iSizeRead(`s7-seq ${name}${larger ? "-larger" : ""}`, reader, larger ? LARGER : SMALLEST),
  };
}

const PLAIN = "i_size read as two 32-bit loads with no seqcount (before i_size_seqcount; not a release in git)";
const FIXED = "i_size_read / i_size_write with i_size_seqcount (2.6+, BITS_PER_LONG == 32 && CONFIG_SMP): retry while the sequence is odd or moved";
const ONCE = "one i_size_read attempt with read_seqcount_begin/retry and their smp_rmb, under LKMM";
const NO_RMB = "one attempt without the reader's smp_rmb (a broken seqcount reader), under LKMM";

export const iSizeReadScenario: Scenario = {
  id: "s7-seq",
  seed: "s7",
  title: "i_size_read vs i_size_write on 32-bit SMP: a seqcount reader against its writer",
  invariant: I_SIZE,
  variants: [
    variant("buggy", PLAIN, "plain", "sc", true, "smallest"),
    variant("fixed", FIXED, "seqcount", "sc", false, "smallest"),
    variant("fixed-lkmm", ONCE, "seqcount-once", "lkmm", false, "smallest"),
    variant("no-rmb", NO_RMB, "seqcount-once-no-rmb", "lkmm", true, "smallest"),
    variant("buggy", PLAIN, "plain", "sc", true, "larger"),
    variant("fixed", FIXED, "seqcount", "sc", false, "larger"),
  ],
};

// 001-B1, the weak-memory side of the pre-2.6.23 truncate_count seqlock:
// truncation writes i_size, then (smp_wmb) bumps truncate_count; the fault
// samples the count, then (smp_rmb) reads i_size. That is the message-passing
// (MP) shape: if the fault sees the new count it must see the new i_size.
// Drop the smp_wmb and, under LKMM, it may see the new count with the old
// size, map the page after the zap has passed, and keep it mapped after
// truncate_inode_pages removed it.
//
// Candidate enumeration (which LKMM needs for programs that may load-buffer)
// guesses every read's value, so this model keeps only the accesses the MP
// question needs: no page refcounts or page lock, one PTL section per side,
// and a fault that gives up rather than retrying a second time.

import { model, type Expectation, type Model } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import type { Loc } from "../../program/value.ts";
import { smpMb, smpRmb, smpWmb } from "../../kernel/barriers.ts";
import { spinLock, spinUnlock } from "../../kernel/spinlock.ts";

const P = 1; // the page's id in i_pages and in the pte
const NONE = 0;

interface State {
  readonly iSize: Loc;
  readonly truncateCount: Loc;
  readonly iPages: Loc;
  readonly pte: Loc;
  readonly ptl: Loc;
}

/** vmtruncate(), v2.6.18, to size 0: i_size_write, unmap_mapping_range (smp_wmb, truncate_count++, smp_mb, zap), truncate_inode_pages. */
function* vmtruncateCoarse(t: ThreadContext, s: State, wmb: boolean): Access<void> {
  t.step("i_size_write(0)");
  yield* t.write(s.iSize, 0, "once", undefined, "i_size = 0");
  t.step(wmb ? "unmap_mapping_range: smp_wmb; truncate_count++; smp_mb" : "unmap_mapping_range: truncate_count++; smp_mb (no smp_wmb)");
  if (wmb) yield* smpWmb(t);
  const c = yield* t.read(s.truncateCount, "once");
  yield* t.write(s.truncateCount, c + 1, "once", undefined, "truncate_count++");
  yield* smpMb(t);
  t.step("zap_pte_range: under PTL, clear pte(M, 0)");
  yield* spinLock(t, s.ptl);
  if ((yield* t.read(s.pte, "once")) !== NONE) yield* t.write(s.pte, NONE, "once", undefined, "pte_clear(M, 0)");
  yield* spinUnlock(t, s.ptl);
  t.step("truncate_inode_pages: remove P0 from the page cache");
  yield* t.write(s.iPages, NONE, "once", undefined, "remove P0");
}

/** do_no_page() + filemap_nopage(), v2.6.18, coarse: sample, smp_rmb, i_size and page-cache lookup, recheck under the PTL. */
function* doNoPageCoarse(t: ThreadContext, s: State): Access<void> {
  t.step("do_no_page: sequence = truncate_count; smp_rmb");
  let sequence = yield* t.read(s.truncateCount, "once");
  yield* smpRmb(t);
  for (let attempt = 0; attempt < 2; attempt++) {
    t.step("filemap_nopage: i_size check");
    if (0 >= (yield* t.read(s.iSize, "once"))) return;
    t.step("filemap_nopage: find_get_page");
    if ((yield* t.read(s.iPages, "once")) !== P) return;
    t.step("do_no_page: lock PTL, recheck truncate_count");
    yield* spinLock(t, s.ptl);
    if ((yield* t.read(s.truncateCount, "once")) === sequence) {
      t.step("do_no_page: set pte(M, 0) := P0");
      yield* t.write(s.pte, P, "once", undefined, "set_pte(M, 0) := P0");
      yield* spinUnlock(t, s.ptl);
      return;
    }
    t.step("do_no_page: truncate_count moved: sequence = truncate_count; smp_rmb; retry");
    yield* spinUnlock(t, s.ptl);
    sequence = yield* t.read(s.truncateCount, "once");
    yield* smpRmb(t);
  }
}

export function truncateCountMp(name: string, wmb: boolean, expect: Expectation): Model {
  return model(name, (m) => {
    const s: State = {
      iSize: m.location("F.i_size", 1),
      truncateCount: m.location("F.truncate_count", 0),
      iPages: m.location("F.i_pages[0]", P),
      pte: m.location("pte(M)[0]", NONE),
      ptl: m.location("PTL(M)", 0),
    };
    m.thread("T_fault", (t) => doNoPageCoarse(t, s));
    m.thread("T_trunc", (t) => vmtruncateCoarse(t, s, wmb));
    m.forall("I-TRUNC: after truncation returns, no pte maps a page that left the page cache or lies beyond i_size", (st) => {
      return st.int(s.pte) === NONE || (st.int(s.iPages) === P && st.int(s.iSize) > 0);
    });
    m.expect(expect);
  });
}

// 001-B1: a page fault against invalidate_inode_pages2 (or truncation) of
// the page it maps. Andrea Arcangeli's race: before 2.6.23 the fault found
// the page without its lock and only the truncate_count seqlock ordered it
// against removal, which works for truncation (it fences with i_size) but
// not for invalidation inside i_size. Fixed by d00806b18315 (the fault keeps
// the page locked until its pte is set; removers unmap under the page lock).

import { model, type Expectation, type Model } from "../../program/model.ts";
import type { Access, ThreadContext } from "../../program/threadContext.ts";
import { Machine } from "../../mm/machine.ts";
import type { AddressSpace } from "../../mm/addressSpace.ts";
import type { Vma } from "../../mm/vma.ts";
import { doReadFault } from "../../mm/filemapFault.ts";
import { truncate } from "../../mm/truncate.ts";
import { doNoPage2006, doNoPage2618 } from "../../mm/filemapNopage.ts";
import {
  TruncateCount,
  invalidateInodePages2,
  invalidateInodePages2V2618,
  unmapWithTruncateCount,
  vmtruncate2618,
} from "../../mm/invalidate.ts";

/** Which fault path: do_no_page of 2.6.18, with Nick's Oct 2006 patch, or __do_fault + filemap_fault of 2.6.23. */
export type FaultVersion = "2.6.18" | "nick-2006" | "2.6.23";
/** Which remover: invalidate_inode_pages2 or truncation (to `truncateTo` pages), in the same kernel generation as the fault. */
export type Remover = "invalidate" | "truncate";

export interface FaultInvalidateConfig {
  readonly fault: FaultVersion;
  readonly removers: readonly Remover[];
  /** Pages of the file, all cached and uptodate; i_size covers them. */
  readonly pages?: number;
  /** The (vma, index) each fault thread faults on; vma k is the k-th shared mapping of the file. */
  readonly faults?: readonly { readonly vma: number; readonly index: number }[];
  readonly vmas?: number;
  /** Indices of the file already mapped by the last VMA (so that the remover has something to unmap). */
  readonly premapped?: readonly number[];
  /** The 2.6.18 truncate's smp_wmb between i_size and truncate_count (default true). */
  readonly wmb?: boolean;
  readonly truncateTo?: number;
}

export function faultVsInvalidate(name: string, c: FaultInvalidateConfig, expect: Expectation): Model {
  const pages = c.pages ?? 1;
  const faults = c.faults ?? [{ vma: 0, index: 0 }];
  const vmaCount = c.vmas ?? 1;
  const truncateTo = c.truncateTo ?? 0;
  const pre2007 = c.fault !== "2.6.23";
  return model(name, (m) => {
    const mc = new Machine(m, { flags: "split" });
    const F = mc.file("F", { size: pages, cached: Array.from({ length: pages }, (_, index) => ({ index })) });
    const mm = mc.mm();
    const vmas = Array.from({ length: vmaCount }, (_, k) =>
      mc.vma(vmaCount === 1 ? "M" : `M${k + 1}`, mm, F, { shared: true, mapped: k === vmaCount - 1 ? c.premapped : [] }),
    );
    const tc = pre2007 ? new TruncateCount(m, F) : undefined;

    const fault = (t: ThreadContext, v: Vma, index: number): Access<boolean> => {
      if (c.fault === "2.6.18") return doNoPage2618(t, mc, v, index, tc!);
      if (c.fault === "nick-2006") return doNoPage2006(t, mc, v, index);
      return doReadFault(t, mc, v, index);
    };
    faults.forEach((fl, k) => {
      const name = faults.length === 1 ? "T_fault" : `T_fault${k + 1}`;
      m.thread(name, function* (t) {
        return { mapped: (yield* fault(t, vmas[fl.vma]!, fl.index)) ? 1 : 0 };
      });
      // The witness: with the fix, the fault still maps the page in some execution.
      m.exists(`${name} maps the page`, (s) => s.result(name)?.mapped === 1);
    });
    c.removers.forEach((r, k) => {
      const suffix = c.removers.filter((x) => x === r).length === 1 ? "" : `${k + 1}`;
      m.thread(r === "invalidate" ? `T_inval${suffix}` : `T_trunc${suffix}`, function* (t) {
        if (r === "invalidate") yield* invalidate(t, mc, F, tc);
        else if (tc !== undefined) yield* vmtruncate2618(t, mc, tc, truncateTo, { wmb: c.wmb ?? true });
        else yield* truncate(t, mc, F, truncateTo);
      });
    });

    const what = c.removers.includes("truncate") ? (c.removers.includes("invalidate") ? "invalidation and truncation have" : "truncation has") : "invalidate_inode_pages2 has";
    mc.checkTruncation(`I-TRUNC: once ${what} returned, no pte maps a page that left the page cache (or lies beyond i_size)`);
    mc.checkFree();
    m.expect(expect);
  });
}

/** invalidate_inode_pages2 of the generation that goes with the fault path. */
function invalidate(t: ThreadContext, mc: Machine, f: AddressSpace, tc: TruncateCount | undefined): Access<void> {
  return tc === undefined ? invalidateInodePages2(t, mc, f) : invalidateInodePages2V2618(t, mc, f, unmapWithTruncateCount(tc));
}

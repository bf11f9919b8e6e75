// Fault-around (->map_pages, mm/filemap.c): map the page-cache pages around
// a faulting address that are already there, without sleeping, under RCU.
// Seed 000 argues about how it excludes truncation. Four shapes:
//
//   v5.11 (alloc_set_pte):  trylock each page, check mapping and i_size
//       under the page lock, alloc_set_pte (PTL taken at the first page, kept
//       for the batch), unlock.
//   Linus's RFC (Oct 2020): the same, but a *private* mapping skips the page
//       lock and only checks page->mapping and i_size.
//   Linus's counter-proposal (14 Oct 2020 mail): no page lock at all; under
//       the PTL test PG_locked, raise the mapcount, test PG_locked again, so
//       that truncation (which looks at page_mapped() under the page lock)
//       either sees the mapcount or the fault sees the lock.
//   f9ce0be71d1f (v5.12): next_uptodate_page() does the trylock and the
//       re-checks; the PTL is taken once for the whole batch.
//
// Every version returns a bit mask of the indices it mapped (for checks).
// PageUptodate/PageReadahead/PageHWPoison tests are left out: the pages here
// are uptodate and nothing clears that, so no race runs through them.

import type { Access, ThreadContext } from "../program/threadContext.ts";
import { atomicDec, atomicInc, atomicIncReturn } from "../kernel/atomic.ts";
import { smpMbAfterAtomic, smpRmb } from "../kernel/barriers.ts";
import { testBit } from "../kernel/bitops.ts";
import { rcuReadLock, rcuReadUnlock } from "../kernel/rcu.ts";
import { spinLock, spinUnlock } from "../kernel/spinlock.ts";
import type { AddressSpace } from "./addressSpace.ts";
import type { Machine } from "./machine.ts";
import type { Page } from "./page.ts";
import { pageAt, trylockPage, unlockPage } from "./pageCache.ts";
import { getPageUnlessZero, putPage } from "./pageRef.ts";
import { setPte } from "./pageTable.ts";
import { PTE_NONE, type Vma } from "./vma.ts";
import { branchOn } from "../program/controlDependency.ts";

/** The RCU walk's look at one slot, v4.x–v5.12: speculative reference, then "has the page moved?" (xas_reload). */
function* speculativeLookup(t: ThreadContext, mc: Machine, f: AddressSpace, index: number, skipLocked: boolean): Access<Page | undefined> {
  t.step(`map_pages: xas_find(${f.name}.i_pages[${index}])`);
  const p = yield* pageAt(t, mc, f, index);
  if (p === undefined) return undefined;
  if (skipLocked && (yield* testBit(t, p.flag("locked")))) return undefined; // PageLocked(): leave it to ->fault
  t.step(`map_pages: page_cache_get_speculative(${p.name})`);
  if (!(yield* getPageUnlessZero(t, p))) return undefined;
  if ((yield* t.read(f.iPages[index]!, "once")) !== p.id) {
    yield* putPage(t, p);
    return undefined;
  }
  return p;
}

/** page->mapping and i_size checks of map_pages: still this file's page, and below EOF. */
function* stillInFile(t: ThreadContext, f: AddressSpace, p: Page, index: number): Access<boolean> {
  return (yield* t.read(p.mapping, "once")) === f.id && index < (yield* t.read(f.iSize, "once"));
}

/** The per-batch page-table lock that alloc_set_pte takes at its first page (pte_alloc_one_map) and map_pages' caller drops. */
class BatchPtl {
  held = false;
  constructor(readonly v: Vma) {}
  *take(t: ThreadContext): Access<void> {
    if (this.held) return;
    t.step(`pte_alloc_one_map: lock PTL(${this.v.name})`);
    yield* spinLock(t, this.v.ptl);
    this.held = true;
  }
  *drop(t: ThreadContext): Access<void> {
    if (!this.held) return;
    t.step(`map_pages: unlock PTL(${this.v.name})`);
    yield* spinUnlock(t, this.v.ptl);
  }
}

/** alloc_set_pte(), v4.8–v5.11, for a page the caller holds a reference to: PTL (once), pte must still be none, rmap + pte. */
function* allocSetPte(t: ThreadContext, ptl: BatchPtl, index: number, p: Page): Access<boolean> {
  yield* ptl.take(t);
  const v = ptl.v;
  t.step(`alloc_set_pte: pte(${v.name}, ${index}) none?`);
  if ((yield* t.read(v.pte[index]!, "once")) !== PTE_NONE) return false;
  t.step(`alloc_set_pte: set pte(${v.name}, ${index}) := ${p.name}`);
  yield* setPte(t, v, index, p);
  return true;
}

/** filemap_map_pages(), v4.8–v5.11: trylock_page, re-check under the page lock, alloc_set_pte, unlock_page. */
export function* filemapMapPagesV511(t: ThreadContext, mc: Machine, v: Vma, from: number, to: number): Access<number> {
  return yield* mapPagesWithAllocSetPte(t, mc, v, from, to, false);
}

/** Linus's RFC, 13 Oct 2020 ("dirty nasty" 4/4): filemap_map_pages of v5.11, but a private mapping does not take the page lock, only checks page->mapping. */
export function* filemapMapPagesRfc(t: ThreadContext, mc: Machine, v: Vma, from: number, to: number): Access<number> {
  return yield* mapPagesWithAllocSetPte(t, mc, v, from, to, !v.shared);
}

function* mapPagesWithAllocSetPte(t: ThreadContext, mc: Machine, v: Vma, from: number, to: number, unlocked: boolean): Access<number> {
  const f = v.file;
  const ptl = new BatchPtl(v);
  let mapped = 0;
  yield* rcuReadLock(t);
  for (let i = from; i < to; i++) {
    const p = yield* speculativeLookup(t, mc, f, i, false);
    if (p === undefined) continue;
    if (!unlocked) {
      t.step(`map_pages: trylock_page(${p.name})`);
      if (!(yield* trylockPage(t, p))) {
        yield* putPage(t, p);
        continue;
      }
    }
    t.step(unlocked ? `map_pages (RFC): ${p.name} mapping, i_size ok? (no lock)` : `map_pages: ${p.name} mapping, i_size ok? (locked)`);
    const ok = (yield* stillInFile(t, f, p, i)) && (yield* allocSetPte(t, ptl, i, p));
    if (ok) mapped |= 1 << i;
    if (!unlocked) {
      t.step(`map_pages: unlock_page(${p.name})`);
      yield* unlockPage(t, p);
    }
    if (!ok) yield* putPage(t, p);
  }
  yield* ptl.drop(t);
  yield* rcuReadUnlock(t);
  return mapped;
}

/** Options of Linus's counter-proposal: where the barriers go and when mapping/i_pages/i_size are checked. */
export interface MapcountProtocol {
  /**
   * How the mapcount is raised: `atomic_inc` (a void RMW, unordered),
   * `atomic_inc+mb` (followed by smp_mb__after_atomic()), or
   * `atomic_inc_return` (value-returning, so fully ordered). Either of the
   * last two orders the increment before the PG_locked re-test.
   */
  readonly increment: "atomic_inc" | "atomic_inc+mb" | "atomic_inc_return";
  /** smp_rmb() between the PG_locked re-test and the mapping re-checks (a truncate that already unlocked must be seen whole). */
  readonly rmbBeforeRecheck: boolean;
  /** `after-inc`: re-check mapping and the i_pages slot after the increment (the cover letter); `before-inc`: only before, as the RFC did. */
  readonly recheck: "after-inc" | "before-inc";
}

/**
 * The heart of Linus's lock-free map_pages (14 Oct 2020, not merged), for a
 * page the RCU walk found and referenced, PTL held: PG_locked clear?,
 * mapcount++, PG_locked still clear?, (mapping still ours and reachable in
 * i_pages?), set the pte. Backing out decrements the mapcount again without
 * the page lock ("we already _decrement_ it without holding the lock").
 * True when it mapped the page (the reference moves into the pte).
 */
export function* mapcountMapPage(t: ThreadContext, v: Vma, index: number, p: Page, proto: MapcountProtocol): Access<boolean> {
  const f = v.file;
  // branchOn: what follows is control-dependent on these tests (LKMM keeps reads before dependent writes).
  const pageLocked = () => branchOn(t, testBit(t, p.flag("locked")));
  t.step(`map_pages (proposal): pte none, ${p.name} unlocked?`);
  if ((yield* branchOn(t, t.read(v.pte[index]!, "once"))) !== PTE_NONE || (yield* pageLocked())) return false;
  t.step(`map_pages (proposal): ${proto.increment === "atomic_inc_return" ? "atomic_inc_return" : "atomic_inc"}(${p.name} mapcount)`);
  if (proto.increment === "atomic_inc_return") yield* atomicIncReturn(t, p.mapcount);
  else yield* atomicInc(t, p.mapcount);
  if (proto.increment === "atomic_inc+mb") yield* smpMbAfterAtomic(t);
  t.step(`map_pages (proposal): re-test PG_locked(${p.name})`);
  let ok = !(yield* pageLocked());
  if (ok && proto.recheck === "after-inc") {
    if (proto.rmbBeforeRecheck) yield* smpRmb(t);
    t.step(`map_pages (proposal): re-check ${p.name} mapping, slot`);
    ok = (yield* branchOn(t, t.read(p.mapping, "once"))) === f.id && (yield* branchOn(t, t.read(f.iPages[index]!, "once"))) === p.id;
  }
  if (!ok) {
    t.step(`map_pages (proposal): back out, mapcount--`);
    yield* atomicDec(t, p.mapcount);
    return false;
  }
  t.step(`map_pages (proposal): set pte(${v.name}, ${index}) := ${p.name}`);
  yield* t.write(v.pte[index]!, p.id, "once", undefined, `set_pte(${v.name}, ${index}) := ${p.name}`);
  return true;
}

/** The "before-inc" check: page->mapping and the i_pages slot, before the PTL and the increment (where the RFC checks). */
export function* mapcountPrecheck(t: ThreadContext, f: AddressSpace, index: number, p: Page): Access<boolean> {
  t.step(`map_pages (proposal): check ${p.name} mapping, slot`);
  return (yield* branchOn(t, t.read(p.mapping, "once"))) === f.id && (yield* branchOn(t, t.read(f.iPages[index]!, "once"))) === p.id;
}

/** Linus's proposal as a whole map_pages: the RCU walk with speculative references, the PTL once for the batch, mapcountMapPage per page. */
export function* filemapMapPagesMapcount(t: ThreadContext, mc: Machine, v: Vma, from: number, to: number, proto: MapcountProtocol): Access<number> {
  const f = v.file;
  const ptl = new BatchPtl(v);
  let mapped = 0;
  yield* rcuReadLock(t);
  for (let i = from; i < to; i++) {
    const p = yield* speculativeLookup(t, mc, f, i, false);
    if (p === undefined) continue;
    let ok = proto.recheck === "after-inc" || (yield* mapcountPrecheck(t, f, i, p));
    if (ok) {
      yield* ptl.take(t);
      ok = yield* mapcountMapPage(t, v, i, p, proto);
    }
    if (ok) mapped |= 1 << i;
    else {
      t.step(`map_pages (proposal): skip ${p.name}, put_page`);
      yield* putPage(t, p);
    }
  }
  yield* ptl.drop(t);
  yield* rcuReadUnlock(t);
  return mapped;
}

/**
 * next_uptodate_page(), f9ce0be71d1f (v5.12): the next slot in [index, end)
 * whose page is not locked, can be referenced, is still in its slot, can be
 * trylocked, and under the page lock is still this file's and below EOF.
 * Returns it locked and referenced, with its index.
 */
export function* nextUptodatePage(t: ThreadContext, mc: Machine, f: AddressSpace, index: number, end: number): Access<{ page: Page; index: number } | undefined> {
  for (let i = index; i < end; i++) {
    const p = yield* speculativeLookup(t, mc, f, i, true);
    if (p === undefined) continue;
    t.step(`next_uptodate_page: trylock_page(${p.name})`);
    if (!(yield* trylockPage(t, p))) {
      yield* putPage(t, p);
      continue;
    }
    t.step(`next_uptodate_page: ${p.name} mapping, i_size ok? (locked)`);
    if (yield* stillInFile(t, f, p, i)) return { page: p, index: i };
    yield* unlockPage(t, p);
    yield* putPage(t, p);
  }
  return undefined;
}

/** filemap_map_pages(), f9ce0be71d1f (v5.12): first page, then the PTL once for the batch; do_set_pte only into none ptes; unlock each page after. */
export function* filemapMapPagesV512(t: ThreadContext, mc: Machine, v: Vma, from: number, to: number): Access<number> {
  const f = v.file;
  let mapped = 0;
  yield* rcuReadLock(t);
  let next: { page: Page; index: number } | undefined = yield* nextUptodatePage(t, mc, f, from, to);
  if (next !== undefined) {
    t.step(`filemap_map_pages: pte_offset_map_lock(${v.name})`);
    yield* spinLock(t, v.ptl);
    while (next !== undefined) {
      const p: Page = next.page;
      const i: number = next.index;
      t.step(`filemap_map_pages: pte(${v.name}, ${i}) none?`);
      const none = (yield* t.read(v.pte[i]!, "once")) === PTE_NONE;
      if (none) {
        t.step(`do_set_pte(${v.name}, ${i}) := ${p.name}`);
        yield* setPte(t, v, i, p);
        mapped |= 1 << i;
      }
      t.step(`filemap_map_pages: unlock_page(${p.name})`);
      yield* unlockPage(t, p);
      if (!none) yield* putPage(t, p);
      next = yield* nextUptodatePage(t, mc, f, i + 1, to);
    }
    t.step(`filemap_map_pages: pte_unmap_unlock(${v.name})`);
    yield* spinUnlock(t, v.ptl);
  }
  yield* rcuReadUnlock(t);
  return mapped;
}

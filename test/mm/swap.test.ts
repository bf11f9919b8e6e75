// The swap device, its cache, swap-in and swapoff: swap_free's accounting,
// get_swap_device against swapoff, do_swap_page's pte_same re-check, and
// swapoff bringing every page back before it frees swap_map.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { declareRcuReaders } from "../../src/kernel/index.ts";
import type { ModelBuilder } from "../../src/program/model.ts";
import {
  Machine,
  PageAllocator,
  SwapDevice,
  SWAP_HAS_CACHE,
  SWP_VALID,
  anonymousVma,
  checkMapcount,
  getSwapDevice,
  putSwapDevice,
  ptePageId,
  readSwapCacheAsync,
  swapFree,
  swapInFault,
  swapoff,
  tryToFreeSwap,
  unusePte,
  lockPage,
  unlockPage,
  type SwapGuard,
} from "../../src/mm/index.ts";

function swapped(m: ModelBuilder, pages = 2) {
  const mc = new Machine(m);
  const v = anonymousVma(mc, "anon", mc.mm(), 1);
  const free = [...Array(pages).keys()].map((i) => mc.page(`F${i}`));
  const a = new PageAllocator(mc, { free });
  const si = new SwapDevice(mc, "swap", 1);
  si.swappedOut(v, 0, 0);
  return { mc, v, a, si };
}

test("swap_free drops one entry reference; freeing an entry that is not there is 'Unused swap offset entry'", () => {
  const ok = explore(
    model("swap_free", (m) => {
      const { si } = swapped(m);
      m.thread("t", function* (t) {
        return { left: yield* swapFree(t, si, 0) };
      });
      m.forall("the count reaches 0", (s) => s.result("t")?.left === 0 && s.int(si.swapMap[0]!) === 0);
    }),
  );
  assert.equal(ok.violations.length, 0);
  const twice = explore(
    model("swap_free twice", (m) => {
      const { si } = swapped(m);
      m.thread("t", function* (t) {
        yield* swapFree(t, si, 0);
        yield* swapFree(t, si, 0);
      });
    }),
  );
  assert.match(twice.violations[0]!.outcome.violation!.message, /Unused swap offset entry swap\[0\]/);
});

test("read_swap_cache_async: two readers of one entry share one page; the other page goes back", () => {
  const r = explore(
    model("two readers", (m) => {
      const { si, a } = swapped(m);
      for (const name of ["r1", "r2"])
        m.thread(name, function* (t) {
          const p = yield* readSwapCacheAsync(t, a, si, 0, "none");
          return { id: p?.id ?? 0 };
        });
      m.forall("both got the cached page", (s) => s.result("r1")!.id !== 0 && s.result("r1")!.id === s.result("r2")!.id && s.int(si.swapCache[0]!) === s.result("r1")!.id);
      m.forall("the slot is claimed by the cache", (s) => s.int(si.swapMap[0]!) === (1 | SWAP_HAS_CACHE));
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.ok(r.exhaustive);
});

test("get_swap_device fails once swapoff cleared SWP_VALID, and swapoff's grace period waits for a reader that got it", () => {
  const r = explore(
    model("guarded reader", (m) => {
      declareRcuReaders(m);
      const { si, a } = swapped(m);
      m.thread("reader", function* (t) {
        if (!(yield* getSwapDevice(t, si))) return { got: 0 };
        const alive = yield* t.read(si.swapMapAllocated, "once");
        yield* putSwapDevice(t, si);
        return { got: 1, alive };
      });
      m.thread("swapoff", function* (t) {
        yield* swapoff(t, a, si, "get_swap_device");
      });
      m.forall("a reader that got the device saw swap_map allocated", (s) => s.result("reader")?.got === 0 || s.result("reader")?.alive === 1);
      m.forall("swapoff ends with SWP_VALID clear and swap_map freed", (s) => (s.int(si.flags) & SWP_VALID) === 0 && s.int(si.swapMapAllocated) === 0);
      m.exists("the reader was refused", (s) => s.result("reader")?.got === 0);
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
  assert.ok(r.exhaustive && [...r.existsCounts.values()][0]! > 0);
});

function twoFaults(recheck: boolean) {
  return model(`two swap-ins ${recheck}`, (m) => {
    const { mc, v, a, si } = swapped(m);
    for (const name of ["f1", "f2"])
      m.thread(name, function* (t) {
        yield* swapInFault(t, a, si, v, 0, { guard: "get_swap_device", recheck });
      });
    m.forall("the pte maps a page and no entry reference is left", (s) => ptePageId(s.int(v.pte[0]!)) !== 0 && (s.int(si.swapMap[0]!) & ~SWAP_HAS_CACHE) === 0);
    checkMapcount(mc);
    mc.checkFree();
  });
}

test("do_swap_page: two faults on one swap pte map it once (pte_same); without the re-check the second maps it again and frees the entry twice", () => {
  const fixed = explore(twoFaults(true));
  assert.equal(fixed.violations.length, 0, fixed.violations[0]?.outcome.violation?.message);
  assert.ok(fixed.exhaustive && fixed.executions > 2);
  const broken = explore(twoFaults(false));
  assert.match(broken.violations[0]!.outcome.violation!.message, /Unused swap offset entry|I-MAPCOUNT/);
});

function swapinVsSwapoff(guard: SwapGuard) {
  return model(`swapin vs swapoff ${guard}`, (m) => {
    declareRcuReaders(m);
    const { mc, v, a, si } = swapped(m);
    m.thread("fault", function* (t) {
      yield* swapInFault(t, a, si, v, 0, { guard });
    });
    m.thread("swapoff", function* (t) {
      yield* swapoff(t, a, si, guard);
    });
    m.forall("swapoff brought the page back: the pte maps it, no slot is in use", (s) => ptePageId(s.int(v.pte[0]!)) !== 0 && s.int(si.swapMap[0]!) === 0 && s.int(si.swapCache[0]!) === 0);
    checkMapcount(mc);
    mc.checkFree();
  });
}

test("swapoff / unuse_pte: the page comes back whoever maps it; unguarded, a swap-in reads swap_map after it was freed (I-SWAP)", () => {
  const fixed = explore(swapinVsSwapoff("get_swap_device"));
  assert.equal(fixed.violations.length, 0, fixed.violations[0]?.outcome.violation?.message);
  assert.ok(fixed.exhaustive && fixed.executions > 10);
  const broken = explore(swapinVsSwapoff("none"));
  assert.match(broken.violations[0]!.outcome.violation!.message, /I-SWAP: .*fault reads swap\.swap_map\[0\] after swapoff freed it/);
});

test("try_to_free_swap keeps the page cached while an entry references its slot, and drops it once none does", () => {
  const r = explore(
    model("try_to_free_swap", (m) => {
      const { si, a } = swapped(m);
      m.thread("t", function* (t) {
        const p = (yield* readSwapCacheAsync(t, a, si, 0, "none"))!;
        yield* lockPage(t, p);
        const whileReferenced = yield* tryToFreeSwap(t, si, p, 0);
        yield* swapFree(t, si, 0);
        const once = yield* tryToFreeSwap(t, si, p, 0);
        yield* unlockPage(t, p);
        return { whileReferenced: whileReferenced ? 1 : 0, once: once ? 1 : 0, count: yield* t.read(p.refcount, "once") };
      });
      m.forall("kept, then freed from the cache: slot empty, swap_map 0, only the lookup's reference left", (s) => {
        const res = s.result("t")!;
        return res.whileReferenced === 0 && res.once === 1 && res.count === 1 && s.int(si.swapCache[0]!) === 0 && s.int(si.swapMap[0]!) === 0;
      });
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
});

test("unuse_pte maps the page only where the pte still holds the entry", () => {
  const r = explore(
    model("unuse_pte", (m) => {
      const { mc, v, si, a } = swapped(m);
      m.thread("swapoff", function* (t) {
        const p = (yield* readSwapCacheAsync(t, a, si, 0, "none"))!;
        yield* lockPage(t, p);
        const first = yield* unusePte(t, si, v, 0, 0, p);
        const again = yield* unusePte(t, si, v, 0, 0, p);
        yield* unlockPage(t, p);
        return { first: first ? 1 : 0, again: again ? 1 : 0, id: p.id };
      });
      m.forall("mapped once, the entry freed once", (s) => s.result("swapoff")?.first === 1 && s.result("swapoff")?.again === 0 && ptePageId(s.int(v.pte[0]!)) === s.result("swapoff")?.id && s.int(si.swapMap[0]!) === SWAP_HAS_CACHE);
      checkMapcount(mc);
    }),
  );
  assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
});

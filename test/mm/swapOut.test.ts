// Swap-out of an anonymous page (shrink_page_list's anonymous branch)
// against a fault on the same page: the page's data is never lost. A fault
// that finds the swap entry looks in the swap cache first and finds the
// page reclaim holds there (the freeze then fails and reclaim keeps it);
// one that went straight to the device would read the slot before pageout
// wrote it. The device is SWP_SYNCHRONOUS_IO without 13ddaf26be32's claim,
// so the lookup is the only defence (with the claim, reclaim's
// SWAP_HAS_CACHE would turn the direct read away too). Verdicts under SC, TSO and LKMM, with SC's execution count
// against the brute-force enumerator.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { assertVerifiedUnderEach } from "../support/memoryModels.ts";
import {
  Machine,
  PageAllocator,
  SwapDevice,
  SWAP_HAS_CACHE,
  anonPage,
  anonymousVma,
  checkMapcount,
  dataSeenAt,
  declarePageData,
  declareSwapData,
  declareWriteback,
  isolatedForReclaim,
  loadFromAnon,
  mkPte,
  ptePageId,
  shrinkAnonPage,
  storeToAnon,
  Tlb,
  userLoad,
} from "../../src/mm/index.ts";

/** Page A (data 1) mapped writable and dirty at anon[0], isolated by reclaim; F free for a swap-in; one empty slot. */
function machine(m: Parameters<Parameters<typeof model>[1]>[0]) {
  const mc = new Machine(m);
  const A = anonPage(mc, "A");
  isolatedForReclaim(mc, A); // the pte's reference and reclaim's
  const F = mc.page("F");
  const a = new PageAllocator(mc, { free: [F] });
  const v = anonymousVma(mc, "anon", mc.mm(), 1, { ptes: () => mkPte(A.id, { write: true, dirty: true }) });
  const si = new SwapDevice(mc, "swap", 1);
  si.registerVma(v);
  declarePageData(mc, [A, F], (p) => (p === A ? 1 : 0));
  declareSwapData(si);
  declareWriteback(mc, A, []);
  return { mc, A, a, v, si };
}

function swapOutVsLoad(lookup: boolean) {
  return model(`swap-out vs load, ${lookup ? "swap cache looked up" : "device read directly"}`, (m) => {
    const { mc, A, a, v, si } = machine(m);
    m.thread("reclaim", function* (t) {
      return { freed: (yield* shrinkAnonPage(t, si, A, [{ vma: v, index: 0 }])) ? 1 : 0 };
    });
    m.thread("user", function* (t) {
      return { value: (yield* loadFromAnon(t, a, si, v, 0, { guard: "none", synchronousIo: "unguarded", swapCacheLookup: lookup })) ?? -1 };
    });
    m.forall("the load sees the data, and so does the next one (nothing lost)", (s) => {
      const loaded = s.result("user")!.value;
      return (loaded === 1 || loaded === -1) && dataSeenAt(s, mc, si, v, 0) === 1;
    });
    m.exists("reclaim freed the page", (s) => s.result("reclaim")!.freed === 1);
    m.exists("the load faulted it back from the swap cache and reclaim kept it", (s) => s.result("reclaim")!.freed === 0 && ptePageId(s.int(v.pte[0]!)) === A.id && s.int(si.swapCache[0]!) === A.id);
    checkMapcount(mc);
    mc.checkFree();
  });
}

function swapOutVsStore() {
  return model("swap-out vs store", (m) => {
    const { mc, A, a, v, si } = machine(m);
    m.thread("reclaim", function* (t) {
      return { freed: (yield* shrinkAnonPage(t, si, A, [{ vma: v, index: 0 }])) ? 1 : 0 };
    });
    m.thread("user", function* (t) {
      return { stored: (yield* storeToAnon(t, a, si, v, 0, 2, { guard: "none" })) ? 1 : 0 };
    });
    m.forall("the store is not lost", (s) => s.result("user")!.stored === 0 || dataSeenAt(s, mc, si, v, 0) === 2);
    m.forall("a slot is in use only while a swap entry or the swap cache needs it", (s) => s.int(si.swapMap[0]!) === 0 || (s.int(si.swapMap[0]!) & ~SWAP_HAS_CACHE) === (s.int(v.pte[0]!) < 0 ? 1 : 0));
    m.exists("the store went to the page reclaim then wrote out", (s) => s.result("reclaim")!.freed === 1 && s.result("user")!.stored === 1);
    m.exists("the store faulted the page back and reclaim kept it", (s) => s.result("reclaim")!.freed === 0 && s.result("user")!.stored === 1 && s.int(si.swapCache[0]!) === 0);
    checkMapcount(mc);
    mc.checkFree();
  });
}

const models = ["sc", "tso", "lkmm"] as const;

test("swap-out vs a load: the fault finds the page in the swap cache, or the slot after pageout wrote it (SC, TSO, LKMM)", () => {
  assertVerifiedUnderEach(swapOutVsLoad(true));
});

test("swap-out vs a load that reads the device without looking in the swap cache: the data is lost (SC, TSO, LKMM)", () => {
  for (const name of models) {
    const r = explore(swapOutVsLoad(false), { memoryModel: memoryModelNamed(name) });
    assert.match(r.violations[0]?.outcome.violation?.message ?? "", /nothing lost/, name);
  }
});

test("swap-out vs a store: the store lands in the page reclaim wrote out, or the fault reuses the swap-cache page and reclaim keeps it (SC, TSO, LKMM)", () => {
  for (const name of models) {
    const r = explore(swapOutVsStore(), { memoryModel: memoryModelNamed(name), stopOnViolation: false });
    assert.equal(r.violationCount, 0, `${name}: ${r.violations[0]?.outcome.violation?.message}`);
    assert.ok(r.exhaustive, name);
    assert.ok(r.existsCounts.every((n) => n > 0), `${name}: both outcomes happen (${r.existsCounts})`);
  }
});

/**
 * The same swap-out with a TLB that caches anon[0] -> A, and a load through
 * that TLB. Reclaim unmaps with TTU_BATCH_FLUSH: the entry stays cached
 * until try_to_unmap_flush_dirty (before pageout) and try_to_unmap_flush
 * (before the free); a load through it before then reads A, still
 * allocated, and none reaches A once it is freed (I-TLB at the free and in
 * the load).
 */
function swapOutWithTlb() {
  return model("swap-out with a TLB caching the page", (m) => {
    const { mc, A, v, si } = machine(m);
    const tlb = new Tlb(mc, v.mm);
    tlb.cover(v, { loaded: [0] });
    m.thread("reclaim", function* (t) {
      return { freed: (yield* shrinkAnonPage(t, si, A, [{ vma: v, index: 0 }])) ? 1 : 0 };
    });
    m.thread("user", function* (t) {
      const r = yield* userLoad(t, tlb, v, 0);
      return { value: r === undefined ? -1 : r.data };
    });
    m.forall("a load through the TLB reads the page's data, or faults", (s) => [1, -1].includes(s.result("user")!.value as number));
    m.exists("reclaim freed the page", (s) => s.result("reclaim")!.freed === 1);
    m.exists("the load read A through the entry cached before the unmap", (s) => s.result("user")!.value === 1);
    tlb.checkNoFreedPageReachable();
  });
}

test("swap-out with a TLB: the deferred flush comes before the free, so no TLB entry or load reaches the freed page (SC, TSO, LKMM)", () => {
  assertVerifiedUnderEach(swapOutWithTlb());
});

test("isolatedForReclaim: the isolation reference, and PG_lru cleared", () => {
  let refs = -1;
  let lru = true;
  model("isolated", (m) => {
    const mc = new Machine(m);
    const A = anonPage(mc, "A");
    m.initialize(A.flag("lru").loc, 1 << A.flag("lru").bit);
    isolatedForReclaim(mc, A);
    refs = m.initialValue(A.refcount) as number;
    lru = A.flagIn((l) => m.initialValue(l) as number, "lru");
    m.thread("idle", function* () {});
  });
  assert.equal(refs, 2);
  assert.equal(lru, false);
});

test("swap-out refuses a VMA not registered with the device", () => {
  const unregistered = model("unregistered", (m) => {
    const mc = new Machine(m);
    const A = anonPage(mc, "A");
    isolatedForReclaim(mc, A);
    const v = anonymousVma(mc, "anon", mc.mm(), 1, { ptes: () => mkPte(A.id, { write: true, dirty: true }) });
    const si = new SwapDevice(mc, "swap", 1);
    m.thread("reclaim", function* (t) {
      yield* shrinkAnonPage(t, si, A, [{ vma: v, index: 0 }]);
    });
  });
  assert.throws(() => explore(unregistered), /anon is not registered with swap \(si.registerVma\)/);
});

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
  loadFromAnon,
  mkPte,
  ptePageId,
  shrinkAnonPage,
  storeToAnon,
} from "../../src/mm/index.ts";

/** Page A (data 1) mapped writable and dirty at anon[0], isolated by reclaim; F free for a swap-in; one empty slot. */
function machine(m: Parameters<Parameters<typeof model>[1]>[0]) {
  const mc = new Machine(m);
  const A = anonPage(mc, "A");
  m.initialize(A.refcount, 2); // the pte's and reclaim's isolation
  const F = mc.page("F");
  const a = new PageAllocator(mc, { free: [F] });
  const v = anonymousVma(mc, "anon", mc.mm(), 1, { ptes: () => mkPte(A.id, { write: true, dirty: true }) });
  const si = new SwapDevice(mc, "swap", 1);
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
  for (const name of models) {
    const r = explore(swapOutVsLoad(true), { memoryModel: memoryModelNamed(name), stopOnViolation: false });
    assert.equal(r.violationCount, 0, `${name}: ${r.violations[0]?.outcome.violation?.message}`);
    assert.ok(r.exhaustive, name);
    assert.ok(r.existsCounts.every((n) => n > 0), `${name}: both outcomes happen (${r.existsCounts})`);
    if (name === "sc") {
      const oracle = explore(swapOutVsLoad(true), { strategy: "enumerate", stopOnViolation: false });
      assert.equal(r.executions, oracle.executions);
    }
  }
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

// swapcache_prepare (__swap_duplicate with SWAP_HAS_CACHE) on each state a
// slot can be in: the answer is EEXIST whenever SWAP_HAS_CACHE is set, even
// with no entry left (a page in the swap cache whose ptes are all gone),
// and ENOENT only for a slot neither referenced nor cached.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { Machine, SWAP_HAS_CACHE, SwapDevice, swapcachePrepare } from "../../src/mm/index.ts";

const CODES = ["ok", "ENOENT", "EEXIST", "EINVAL"] as const;

function prepareOn(swapMap: number, expected: (typeof CODES)[number]) {
  return model(`swapcache_prepare on swap_map ${swapMap}`, (m) => {
    const mc = new Machine(m);
    const si = new SwapDevice(mc, "swap", 1);
    m.initialize(si.swapMap[0]!, swapMap);
    m.thread("reader", function* (t) {
      return { ret: CODES.indexOf(yield* swapcachePrepare(t, si, 0, "none")) };
    });
    m.forall(`the answer is ${expected}`, (s) => s.result("reader")!.ret === CODES.indexOf(expected));
    m.forall("only a claim changes swap_map", (s) => s.int(si.swapMap[0]!) === (expected === "ok" ? swapMap | SWAP_HAS_CACHE : swapMap));
  });
}

function check(swapMap: number, expected: (typeof CODES)[number]): void {
  const r = explore(prepareOn(swapMap, expected), { stopOnViolation: false });
  assert.ok(r.executions > 0);
  assert.equal(r.violationCount, 0, `swap_map ${swapMap}: ${r.violations[0]?.outcome.violation?.message}`);
}

test("swapcache_prepare: EEXIST when SWAP_HAS_CACHE is set, with or without entries; ENOENT only on a free slot; else the claim", () => {
  check(SWAP_HAS_CACHE, "EEXIST");
  check(1 | SWAP_HAS_CACHE, "EEXIST");
  check(0, "ENOENT");
  check(1, "ok");
});

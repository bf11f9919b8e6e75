// The long chains of bench/generatedChains.ts, at sizes the candidates
// strategy (herd7's enumeration) still finishes: each must get the verdict
// its generator reasons out from LKMM, and the default strategy must agree
// with the candidates oracle on every figure herd prints. The benchmark runs
// the same generators at 9 to 16 processes, where only the default strategy
// answers in time.

import { test } from "node:test";
import assert from "node:assert/strict";
import { generatedChains, type Handoff } from "../../bench/generatedChains.ts";
import { bothStrategies } from "./lkmmStrategies.ts";

const SIZES: Record<Handoff, readonly number[]> = { conditional: [3, 4, 5, 6], always: [3, 4, 5] };

for (const handoff of ["conditional", "always"] as const)
  for (const chain of generatedChains(SIZES[handoff], handoff))
    test(`${chain.name} (${handoff} hand-off): ${chain.expected}, and the default strategy agrees with the candidates oracle`, () => {
      const { auto, oracle } = bothStrategies(chain.text);
      assert.equal(oracle.observation, chain.expected, "the oracle's verdict is the reasoned one");
      assert.deepEqual(auto, oracle);
    });

test("the generators make every family at each size, with the process count they say", () => {
  const chains = generatedChains([9, 16]);
  // ISA2 and the pointer chain with and without their gap; the RCU chain at its two counts of grace periods.
  assert.equal(new Set(chains.map((c) => c.family)).size, 5);
  assert.equal(chains.length, 12);
  for (const c of chains) assert.equal(c.text.match(/^P\d+\(/gm)?.length, c.processes, c.name);
  assert.ok(chains.some((c) => c.expected === "Never") && chains.some((c) => c.expected === "Sometimes"));
});

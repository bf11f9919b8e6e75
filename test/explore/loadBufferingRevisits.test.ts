// The shapes of load buffering that the optimal explorer's revisits once
// missed, each a random LKMM litmus test (regenerated from its seed) on
// which it must give candidate enumeration's answer exactly: the revisit
// that closes the cycle changes what the revisited thread does after the
// read, and the events kept past it have to move, be issued anew, or take
// new values.

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomLkmmLitmus } from "../litmus/randomLkmmLitmus.ts";
import { bothStrategies } from "../litmus/lkmmStrategies.ts";

const shapes: readonly [number, string][] = [
  [294, "a cmpxchg on the cycle now succeeds: its write appears, and the writes after it move on by one"],
  [386, "a cmpxchg on the cycle now fails: its write goes, and the write computed from its result changes value"],
  [760, "a branch taken only around the cycle holds the write a cmpxchg_acquire then succeeds on"],
  [32, "two reads take the revisiting write's value, one of them in the write's own po ∪ rf prefix"],
  [270, "a write placed between an RMW's source and its write, which it must then revisit"],
  [233, "both reads of one location past the revisited one read again, or coherence breaks"],
];

for (const [seed, shape] of shapes) {
  test(`load buffering, seed ${seed}: ${shape}`, () => {
    const text = randomLkmmLitmus(seed);
    const { auto, oracle } = bothStrategies(text);
    assert.deepEqual(auto, oracle, text);
  });
}

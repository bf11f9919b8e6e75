// The duplicate counter's table against the plainest implementation of the
// same rule (a Set of the sampled hashes): the same duplicates and the same
// sampling rate, through the table's growth and its thinnings, on random
// 53-bit hashes with repeats.

import { test } from "node:test";
import assert from "node:assert/strict";
import { DuplicateCounter } from "../../src/explore/duplicateCounter.ts";
import { mulberry32 } from "../support/randomProgram.ts";

class SetCounter {
  duplicates = 0;
  sampling = 1;
  private readonly seen = new Set<number>();
  constructor(private readonly capacity: number) {}
  add(hash: number): void {
    if (((hash | 0) & (this.sampling - 1)) !== 0) return;
    if (this.seen.has(hash)) {
      this.duplicates++;
      return;
    }
    this.seen.add(hash);
    if (this.seen.size < this.capacity) return;
    while (this.seen.size >= this.capacity / 2 && this.sampling < 2 ** 30) {
      this.sampling *= 2;
      for (const h of this.seen) if (((h | 0) & (this.sampling - 1)) !== 0) this.seen.delete(h);
    }
  }
}

test("the table counts as a Set of the sampled hashes does, exact and sampled", () => {
  for (const [capacity, adds, seed] of [
    [64, 5_000, 1],
    [1000, 50_000, 2],
    [1 << 14, 200_000, 3],
    // Past FULL_SIZE_FROM: the table jumps to its full size, then thins.
    [1 << 17, 400_000, 4],
  ] as const) {
    const random = mulberry32(seed);
    const hash = () => Math.floor(random() * 2 ** 21) * 2 ** 32 + Math.floor(random() * 2 ** 32);
    const table = new DuplicateCounter(capacity);
    const set = new SetCounter(capacity);
    const earlier: number[] = [];
    for (let i = 0; i < adds; i++) {
      // One in four a repeat of an earlier hash, recent or not.
      const h = earlier.length > 0 && random() < 0.25 ? earlier[Math.floor(random() * earlier.length)]! : hash();
      if (earlier.length < 10_000) earlier.push(h);
      else earlier[Math.floor(random() * earlier.length)] = h;
      table.add(h);
      set.add(h);
    }
    assert.equal(table.sampling, set.sampling, `capacity ${capacity}`);
    assert.equal(table.duplicates, set.duplicates, `capacity ${capacity}`);
    assert.ok(table.sampling > 1, "the run went past the capacity");
  }
});

test("hashes 0 and 2^53 - 1 are kept and found like any other", () => {
  const c = new DuplicateCounter();
  for (const h of [0, 2 ** 53 - 1, 0, 2 ** 53 - 1, 1]) c.add(h);
  assert.equal(c.duplicates, 2);
  assert.equal(c.exact, true);
});

// Counting explorations that reach a graph already reached, in bounded
// memory. An optimal explorer must find none, and the oracle tests compare
// the counts exactly, so small runs are checked exactly: every graph's hash
// is kept. A long run (hundreds of millions of executions) cannot keep
// them all (a Set holds at most 2^24 entries, and each costs ~46 bytes), so
// past `capacity` hashes the counter keeps a sample instead: only hashes
// whose low `k` bits are zero, raising k (and dropping the hashes that no
// longer qualify) whenever the sample is full again. A graph whose hash is
// sampled now was sampled when first seen (k only grows), so every
// duplicate of a sampled graph is still found; duplicates of the others
// are missed. The count is then a lower bound, and `sampling` says so.

export const DEFAULT_DUPLICATE_CAPACITY = 1 << 20;

export class DuplicateCounter {
  duplicates = 0;
  /** 1 while every graph is checked; 2^k once one graph in 2^k is. */
  sampling = 1;
  private readonly seen = new Set<number>();

  constructor(private readonly capacity = DEFAULT_DUPLICATE_CAPACITY) {}

  add(hash: number): void {
    // Low bits of the hash (ToInt32 keeps the low 32 of its 53).
    if (((hash | 0) & (this.sampling - 1)) !== 0) return;
    if (this.seen.has(hash)) {
      this.duplicates++;
      return;
    }
    this.seen.add(hash);
    if (this.seen.size >= this.capacity) this.thin();
  }

  get exact(): boolean {
    return this.sampling === 1;
  }

  private thin(): void {
    while (this.seen.size >= this.capacity / 2 && this.sampling < 2 ** 30) {
      this.sampling *= 2;
      const mask = this.sampling - 1;
      for (const h of this.seen) if (((h | 0) & mask) !== 0) this.seen.delete(h);
    }
  }
}

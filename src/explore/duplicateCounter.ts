// Counting explorations that reach a graph already reached, in bounded
// memory. An optimal explorer must find none, and the oracle tests compare
// the counts exactly, so small runs are checked exactly: every graph's hash
// is kept. A long run (hundreds of millions of executions) cannot keep
// them all, so past `capacity` hashes the counter keeps a sample instead:
// only hashes whose low `k` bits are zero, raising k (and dropping the
// hashes that no longer qualify) whenever the sample is full again. A graph
// whose hash is sampled now was sampled when first seen (k only grows), so
// every duplicate of a sampled graph is still found; duplicates of the
// others are missed. The count is then a lower bound, and `sampling` says so.
//
// The hashes live in one open-addressed table of doubles (hash + 1, 0 for
// an empty slot), at most half full: it starts small, and once a run is
// long enough to need a large one it takes its final size (twice the
// capacity) and keeps it. A Set did the same job with a heap
// number per hash and a table that V8 rebuilt as hashes came and went, so
// a long run's memory swung by tens of megabytes with every thinning; the
// table holds no objects and, once at its size, never changes it.

export const DEFAULT_DUPLICATE_CAPACITY = 1 << 20;

/** The smallest table: a run of a few executions costs a few kilobytes. */
const INITIAL_SLOTS = 1 << 10;
/**
 * Past this many slots the table goes straight to its full size (and the
 * thinning's scratch space is made with it): a long run allocates once,
 * early, and none of the tables it outgrew is left for the collector late.
 */
const FULL_SIZE_FROM = 1 << 16;

export class DuplicateCounter {
  duplicates = 0;
  /** 1 while every graph is checked; 2^k once one graph in 2^k is. */
  sampling = 1;
  /** Hashes kept. */
  private count = 0;
  private slots: Float64Array;
  /** log2 of the table's length. */
  private bits: number;
  /** Where the survivors of a thinning wait while the table is rebuilt; made at the first one. */
  private scratch: Float64Array | undefined;

  constructor(private readonly capacity = DEFAULT_DUPLICATE_CAPACITY) {
    this.slots = new Float64Array(INITIAL_SLOTS);
    this.bits = Math.log2(INITIAL_SLOTS);
  }

  /** Counts `hash` (a graphHash: an integer below 2^53) as reached once more. */
  add(hash: number): void {
    // Low bits of the hash (ToInt32 keeps the low 32 of its 53).
    if (((hash | 0) & (this.sampling - 1)) !== 0) return;
    if (!this.insert(hash + 1)) {
      this.duplicates++;
      return;
    }
    this.count++;
    if (this.count >= this.capacity) this.thin();
    else if (2 * this.count > this.slots.length) this.grow();
  }

  get exact(): boolean {
    return this.sampling === 1;
  }

  /**
   * Puts `key` (hash + 1) in the table; false when it is there already. The
   * home slot comes from the hash's high bits: sampling zeroes the low ones.
   */
  private insert(key: number): boolean {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = (key / 0x200000) >>> (32 - this.bits);
    for (;;) {
      const k = slots[i]!;
      if (k === 0) {
        slots[i] = key;
        return true;
      }
      if (k === key) return false;
      i = (i + 1) & mask;
    }
  }

  /** Doubles the table, or past FULL_SIZE_FROM makes it as large as it will get: at least twice the capacity, which the count never reaches. */
  private grow(): void {
    const old = this.slots;
    let size = old.length * 2;
    if (size >= FULL_SIZE_FROM) {
      while (size < 2 * this.capacity) size *= 2;
      this.scratch ??= new Float64Array(this.capacity);
    }
    this.slots = new Float64Array(size);
    this.bits = Math.log2(size);
    for (const key of old) if (key !== 0) this.insert(key);
  }

  /** Samples more sparsely until at most half the capacity is kept, and rebuilds the table from what stays. */
  private thin(): void {
    const scratch = (this.scratch ??= new Float64Array(this.capacity));
    const old = this.slots;
    let kept = 0;
    for (const key of old) if (key !== 0) scratch[kept++] = key;
    while (kept >= this.capacity / 2 && this.sampling < 2 ** 30) {
      this.sampling *= 2;
      const mask = this.sampling - 1;
      let stays = 0;
      for (let j = 0; j < kept; j++) {
        const key = scratch[j]!;
        if ((((key - 1) | 0) & mask) === 0) scratch[stays++] = key;
      }
      kept = stays;
    }
    old.fill(0);
    for (let j = 0; j < kept; j++) this.insert(scratch[j]!);
    this.count = kept;
  }
}

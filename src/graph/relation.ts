// Binary relations over the events of one execution graph, as bit matrices.
//
// This is the vocabulary of the declarative memory models (cat-like): every
// model in src/models is written with union, sequence, inverse, closure and
// the acyclic / irreflexive / empty checks below, over the base relations
// that GraphRelations extracts from a graph. Events are dense indices 0..n-1.

export class EventSet {
  readonly words: number;
  constructor(
    readonly n: number,
    readonly bits: Uint32Array = new Uint32Array((n + 31) >>> 5),
  ) {
    this.words = (n + 31) >>> 5;
  }

  static of(n: number, member: (i: number) => boolean): EventSet {
    const s = new EventSet(n);
    for (let i = 0; i < n; i++) if (member(i)) s.add(i);
    return s;
  }

  static all(n: number): EventSet {
    return EventSet.of(n, () => true);
  }

  has(i: number): boolean {
    return (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    this.bits[i >>> 5]! |= 1 << (i & 31);
  }

  /** Adds every i with from <= i < to. */
  addRange(from: number, to: number): void {
    setBitRange(this.bits, 0, from, to);
  }

  union(o: EventSet): EventSet {
    return this.zip(o, (a, b) => a | b);
  }

  inter(o: EventSet): EventSet {
    return this.zip(o, (a, b) => a & b);
  }

  diff(o: EventSet): EventSet {
    return this.zip(o, (a, b) => a & ~b);
  }

  complement(): EventSet {
    return EventSet.all(this.n).diff(this);
  }

  isEmpty(): boolean {
    for (let w = 0; w < this.words; w++) if (this.bits[w] !== 0) return false;
    return true;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let i = 0; i < this.n; i++) if (this.has(i)) yield i;
  }

  private zip(o: EventSet, f: (a: number, b: number) => number): EventSet {
    const out = new EventSet(this.n);
    for (let w = 0; w < this.words; w++) out.bits[w] = f(this.bits[w]!, o.bits[w]!);
    return out;
  }
}

export class Relation {
  readonly words: number;

  constructor(
    readonly n: number,
    readonly rows: Uint32Array = new Uint32Array(n * ((n + 31) >>> 5)),
  ) {
    this.words = (n + 31) >>> 5;
  }

  static empty(n: number): Relation {
    return new Relation(n);
  }

  static fromPairs(n: number, pairs: Iterable<readonly [number, number]>): Relation {
    const r = new Relation(n);
    for (const [a, b] of pairs) r.add(a, b);
    return r;
  }

  /** [S]: the identity restricted to S. */
  static identity(s: EventSet): Relation {
    const r = new Relation(s.n);
    const W = r.words;
    for (let w = 0; w < W; w++) {
      let bits = s.bits[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        const i = (w << 5) + (31 - Math.clz32(low));
        bits ^= low;
        r.rows[i * W + w] = low;
      }
    }
    return r;
  }

  /** S1 * S2: every pair from S1 to S2. */
  static cross(a: EventSet, b: EventSet): Relation {
    const r = new Relation(a.n);
    for (let i = 0; i < a.n; i++) if (a.has(i)) r.rows.set(b.bits, i * r.words);
    return r;
  }

  has(a: number, b: number): boolean {
    return (this.rows[a * this.words + (b >>> 5)]! & (1 << (b & 31))) !== 0;
  }

  add(a: number, b: number): void {
    this.rows[a * this.words + (b >>> 5)]! |= 1 << (b & 31);
  }

  /** Adds (a, b) for every b with from <= b < to. */
  addRange(a: number, from: number, to: number): void {
    setBitRange(this.rows, a * this.words, from, to);
  }

  /** Adds (a, b) for every b in s. */
  addRow(a: number, s: EventSet): void {
    const base = a * this.words;
    for (let w = 0; w < this.words; w++) this.rows[base + w]! |= s.bits[w]!;
  }

  union(...others: Relation[]): Relation {
    const out = new Relation(this.n, this.rows.slice());
    for (const o of others) for (let k = 0; k < out.rows.length; k++) out.rows[k]! |= o.rows[k]!;
    return out;
  }

  inter(o: Relation): Relation {
    const out = new Relation(this.n, this.rows.slice());
    for (let k = 0; k < out.rows.length; k++) out.rows[k]! &= o.rows[k]!;
    return out;
  }

  diff(o: Relation): Relation {
    const out = new Relation(this.n, this.rows.slice());
    for (let k = 0; k < out.rows.length; k++) out.rows[k]! &= ~o.rows[k]!;
    return out;
  }

  /** this ; o — relational composition. */
  seq(o: Relation): Relation {
    const out = new Relation(this.n);
    const W = this.words;
    for (let a = 0; a < this.n; a++) {
      const base = a * W;
      for (let w = 0; w < W; w++) {
        let bits = this.rows[base + w]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const b = (w << 5) + (31 - Math.clz32(low));
          bits ^= low;
          const ob = b * W;
          for (let k = 0; k < W; k++) out.rows[base + k]! |= o.rows[ob + k]!;
        }
      }
    }
    return out;
  }

  /** Left-to-right composition of several relations. */
  static seq(first: Relation, ...rest: Relation[]): Relation {
    return rest.reduce((acc, r) => acc.seq(r), first);
  }

  /**
   * this ; o, like seq, at a cost that follows only the edges of this that
   * lead to an event with a successor in o other than itself. o's
   * reflexive pairs (the identities on sets and the r? and r* closures the
   * models compose with) keep the edges of this that end there, at the
   * cost of one pass over the rows.
   */
  compose(o: Relation): Relation {
    const out = new Relation(this.n);
    composeRows(this.n, this.words, this.rows, o.rows, out.rows);
    return out;
  }

  /** Left-to-right composition of several relations, by compose, allocating only the result. */
  static compose(first: Relation, ...rest: Relation[]): Relation {
    if (rest.length === 0) return first;
    const n = first.n;
    const W = first.words;
    const size = n * W;
    let current = first.rows;
    for (let i = 0; i < rest.length; i++) {
      // The steps between go to scratch rows, two in turn (a step reads the one before).
      const target = i === rest.length - 1 ? new Uint32Array(size) : chainScratch(i % 2, size);
      composeRows(n, W, current, rest[i]!.rows, target);
      current = target;
    }
    return new Relation(n, current);
  }

  /**
   * r+, the same relation as plus(). An acyclic relation (most of what the
   * models close) is closed in reverse topological order, each event's row
   * the union of its successors' rows, at a cost that follows its edges;
   * a cyclic one by plus().
   */
  transitiveClosure(): Relation {
    if (indegScratch.length < this.n) indegScratch = new Int32Array(this.n * 2);
    if (!this.kahn(indegScratch)) return this.plus();
    const order = kahnOrder;
    const out = new Relation(this.n, this.rows.slice());
    const W = this.words;
    if (W === 1) {
      // Rows are single words: each event's row is its own edges and its successors' rows.
      const closed = out.rows;
      for (let k = this.n - 1; k >= 0; k--) {
        const a = order[k]!;
        let bits = closed[a]!;
        let reached = bits;
        while (bits !== 0) {
          const low = bits & -bits;
          reached |= closed[31 - Math.clz32(low)]!;
          bits ^= low;
        }
        closed[a] = reached;
      }
      return out;
    }
    for (let k = this.n - 1; k >= 0; k--) {
      const a = order[k]!;
      const base = a * W;
      for (let w = 0; w < W; w++) {
        let bits = this.rows[base + w]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const b = (w << 5) + (31 - Math.clz32(low));
          bits ^= low;
          const ob = b * W;
          for (let j = 0; j < W; j++) out.rows[base + j]! |= out.rows[ob + j]!;
        }
      }
    }
    return out;
  }

  /** r*, the same relation as star(), by transitiveClosure. */
  reflexiveTransitiveClosure(): Relation {
    const out = this.transitiveClosure();
    for (let i = 0; i < this.n; i++) out.add(i, i);
    return out;
  }

  /** The events in an order that respects every edge (Kahn's algorithm), or undefined when there is a cycle. */
  topologicalOrder(): Int32Array | undefined {
    return this.kahn(new Int32Array(this.n)) ? kahnOrder.subarray(0, this.n).slice() : undefined;
  }

  /**
   * Kahn's algorithm into the shared kahnOrder (valid until the next call):
   * whether every event could be ordered. `indeg` is the caller's scratch.
   */
  private kahn(indeg: Int32Array): boolean {
    const W = this.words;
    const rows = this.rows;
    indeg.fill(0, 0, this.n);
    for (let k = 0, w = 0; k < rows.length; k++, w = w + 1 === W ? 0 : w + 1) {
      let bits = rows[k]!;
      while (bits !== 0) {
        const low = bits & -bits;
        indeg[(w << 5) + (31 - Math.clz32(low))]!++;
        bits ^= low;
      }
    }
    if (kahnOrder.length < this.n) kahnOrder = new Int32Array(this.n * 2);
    const order = kahnOrder;
    let tail = 0;
    for (let i = 0; i < this.n; i++) if (indeg[i] === 0) order[tail++] = i;
    for (let k = 0; k < tail; k++) {
      const base = order[k]! * W;
      for (let w = 0; w < W; w++) {
        let bits = rows[base + w]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const b = (w << 5) + (31 - Math.clz32(low));
          bits ^= low;
          if (--indeg[b]! === 0) order[tail++] = b;
        }
      }
    }
    return tail === this.n;
  }

  inverse(): Relation {
    const out = new Relation(this.n);
    const W = this.words;
    for (let a = 0; a < this.n; a++) {
      const column = a >>> 5;
      const bit = 1 << (a & 31);
      for (let w = 0; w < W; w++) {
        let bits = this.rows[a * W + w]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const b = (w << 5) + (31 - Math.clz32(low));
          bits ^= low;
          out.rows[b * W + column]! |= bit;
        }
      }
    }
    return out;
  }

  /** r+ — transitive closure (Warshall over bit rows). */
  plus(): Relation {
    const out = new Relation(this.n, this.rows.slice());
    const W = this.words;
    for (let k = 0; k < this.n; k++) {
      const kb = k * W;
      const kw = k >>> 5;
      const km = 1 << (k & 31);
      for (let a = 0; a < this.n; a++) {
        const ab = a * W;
        if ((out.rows[ab + kw]! & km) === 0) continue;
        for (let w = 0; w < W; w++) out.rows[ab + w]! |= out.rows[kb + w]!;
      }
    }
    return out;
  }

  /** r* — reflexive-transitive closure over all events. */
  star(): Relation {
    return this.plus().opt();
  }

  /** r? — reflexive closure over all events. */
  opt(): Relation {
    const out = new Relation(this.n, this.rows.slice());
    for (let i = 0; i < this.n; i++) out.add(i, i);
    return out;
  }

  /** [S] ; r */
  domain(s: EventSet): Relation {
    const out = new Relation(this.n);
    const W = this.words;
    for (let a = 0; a < this.n; a++) {
      if (!s.has(a)) continue;
      for (let k = a * W; k < (a + 1) * W; k++) out.rows[k] = this.rows[k]!;
    }
    return out;
  }

  /** r ; [S] */
  range(s: EventSet): Relation {
    const out = new Relation(this.n, this.rows.slice());
    maskColumns(out.rows, this.words, s.bits);
    return out;
  }

  /** [S1] ; r ; [S2] */
  restrict(dom: EventSet, rng: EventSet): Relation {
    const out = new Relation(this.n);
    const W = this.words;
    for (let a = 0; a < this.n; a++) {
      if (!dom.has(a)) continue;
      for (let w = 0, k = a * W; w < W; w++, k++) out.rows[k] = this.rows[k]! & rng.bits[w]!;
    }
    return out;
  }

  /** The events with an outgoing edge. */
  domainSet(): EventSet {
    const s = new EventSet(this.n);
    for (let a = 0; a < this.n; a++) {
      for (let w = 0; w < this.words; w++) {
        if (this.rows[a * this.words + w] !== 0) {
          s.add(a);
          break;
        }
      }
    }
    return s;
  }

  /** The events with an incoming edge. */
  rangeSet(): EventSet {
    const s = new EventSet(this.n);
    for (let a = 0; a < this.n; a++)
      for (let w = 0; w < this.words; w++) s.bits[w]! |= this.rows[a * this.words + w]!;
    return s;
  }

  isEmpty(): boolean {
    for (let k = 0; k < this.rows.length; k++) if (this.rows[k] !== 0) return false;
    return true;
  }

  isIrreflexive(): boolean {
    for (let i = 0; i < this.n; i++) if (this.has(i, i)) return false;
    return true;
  }

  /** Acyclicity by Kahn's algorithm, without building the closure. */
  isAcyclic(): boolean {
    if (indegScratch.length < this.n) indegScratch = new Int32Array(this.n * 2);
    return this.kahn(indegScratch);
  }

  /** One cycle, as a list of events, or undefined when the relation is acyclic. */
  findCycle(): number[] | undefined {
    const state = new Uint8Array(this.n); // 0 new, 1 on stack, 2 done
    const parent = new Int32Array(this.n).fill(-1);
    for (let root = 0; root < this.n; root++) {
      if (state[root] !== 0) continue;
      const stack: number[] = [root];
      const cursor: number[] = [0];
      state[root] = 1;
      while (stack.length > 0) {
        const a = stack[stack.length - 1]!;
        const b = this.nextSuccessor(a, cursor[cursor.length - 1]!);
        if (b < 0) {
          state[a] = 2;
          stack.pop();
          cursor.pop();
          continue;
        }
        cursor[cursor.length - 1] = b + 1;
        if (state[b] === 1) {
          const cycle = [b];
          for (let i = stack.length - 1; stack[i] !== b; i--) cycle.unshift(stack[i]!);
          return cycle;
        }
        if (state[b] === 0) {
          state[b] = 1;
          parent[b] = a;
          stack.push(b);
          cursor.push(0);
        }
      }
    }
    return undefined;
  }

  *pairs(): IterableIterator<[number, number]> {
    for (let a = 0; a < this.n; a++) {
      for (let b = this.nextSuccessor(a, 0); b >= 0; b = this.nextSuccessor(a, b + 1)) yield [a, b];
    }
  }

  successors(a: number): number[] {
    const out: number[] = [];
    for (let b = this.nextSuccessor(a, 0); b >= 0; b = this.nextSuccessor(a, b + 1)) out.push(b);
    return out;
  }

  /** The first successor of a that is >= from, or -1: `for (b = r.nextSuccessor(a, 0); b >= 0; b = r.nextSuccessor(a, b + 1))`. */
  nextSuccessor(a: number, from: number): number {
    if (from >= this.n) return -1;
    const base = a * this.words;
    let w = from >>> 5;
    let bits = this.rows[base + w]! & (~0 << (from & 31));
    for (;;) {
      if (bits !== 0) return (w << 5) + (31 - Math.clz32(bits & -bits));
      if (++w >= this.words) return -1;
      bits = this.rows[base + w]!;
    }
  }
}

// Scratch space of the hot operations (compose, closure, acyclicity), shared
// and grown to the largest relation seen, so that they allocate only their
// result. Single-threaded: no operation calls another while using them.
let kahnOrder = new Int32Array(64);
let indegScratch = new Int32Array(64);
const scratchSets = [new Uint32Array(4), new Uint32Array(4)];

/** Scratch set `k`, `words` words long, cleared. */
function scratchSet(k: number, words: number): Uint32Array {
  if (scratchSets[k]!.length < words) scratchSets[k] = new Uint32Array(words * 2);
  const set = scratchSets[k]!;
  set.fill(0, 0, words);
  return set;
}

const chainScratches = [new Uint32Array(64), new Uint32Array(64)];

/** Scratch rows `k` of at least `size` words (their contents are whatever was left there). */
function chainScratch(k: number, size: number): Uint32Array {
  if (chainScratches[k]!.length < size) chainScratches[k] = new Uint32Array(size * 2);
  return chainScratches[k]!;
}

/**
 * out = left ; right, over n rows of W words each (out is overwritten, and
 * is neither operand), at a cost that follows only the edges of left that
 * lead to an event with a successor in right other than itself. right's
 * reflexive pairs (the identities on sets and the r? and r* closures the
 * models compose with) keep the edges of left that end there, at the cost
 * of one pass over the rows.
 */
function composeRows(n: number, W: number, left: Uint32Array, right: Uint32Array, out: Uint32Array): void {
  if (W === 1) {
    // At most 32 events: a row is one word, a set of events a number.
    let reflexive = 0;
    let onward = 0;
    for (let b = 0; b < n; b++) {
      const bits = right[b]!;
      if (bits === 0) continue;
      const self = 1 << b;
      if ((bits & self) !== 0) reflexive |= self;
      if ((bits & ~self) !== 0) onward |= self;
    }
    for (let a = 0; a < n; a++) {
      const row = left[a]!;
      let reached = row & reflexive;
      let bits = row & onward;
      while (bits !== 0) {
        const low = bits & -bits;
        reached |= right[31 - Math.clz32(low)]!;
        bits ^= low;
      }
      out[a] = reached;
    }
    return;
  }
  const reflexive = scratchSet(0, W);
  const onward = scratchSet(1, W);
  for (let b = 0; b < n; b++) {
    const base = b * W;
    const own = b >>> 5;
    const self = (1 << (b & 31)) >>> 0;
    for (let w = 0; w < W; w++) {
      const bits = right[base + w]!;
      if (bits === 0) continue;
      if (w === own && (bits & self) !== 0) {
        reflexive[own]! |= self;
        if ((bits & ~self) === 0) continue;
      }
      onward[own]! |= self;
      break;
    }
  }
  for (let a = 0; a < n; a++) {
    const base = a * W;
    // Pairs of right on its diagonal: left ; [reflexive].
    for (let w = 0; w < W; w++) out[base + w] = left[base + w]! & reflexive[w]!;
    for (let w = 0; w < W; w++) {
      let bits = left[base + w]! & onward[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        const b = (w << 5) + (31 - Math.clz32(low));
        bits ^= low;
        const rb = b * W;
        for (let k = 0; k < W; k++) out[base + k]! |= right[rb + k]!;
      }
    }
  }
}

/** Keeps in each row of `rows` (W words each) only the columns in `keep`. */
function maskColumns(rows: Uint32Array, W: number, keep: Uint32Array): void {
  for (let k = 0, w = 0; k < rows.length; k++, w = w + 1 === W ? 0 : w + 1) rows[k]! &= keep[w]!;
}

/** Sets bits from..to-1 of the bit row starting at word `base`. */
function setBitRange(words: Uint32Array, base: number, from: number, to: number): void {
  if (from >= to) return;
  const first = from >>> 5;
  const last = (to - 1) >>> 5;
  const lowMask = ~0 << (from & 31);
  const highMask = ~0 >>> (31 - ((to - 1) & 31));
  if (first === last) {
    words[base + first]! |= lowMask & highMask;
    return;
  }
  words[base + first]! |= lowMask;
  for (let w = first + 1; w < last; w++) words[base + w] = ~0 >>> 0;
  words[base + last]! |= highMask;
}

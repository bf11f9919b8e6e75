// A directed graph over dense event numbers, as adjacency lists in typed
// arrays, for the linear-time acyclicity checks. The models add only
// immediate edges (program-order neighbours, the coherence successor, the
// one from-read edge to the coherence successor of the write read): their
// transitive closure is the relation the declarative model states, so the
// check costs O(events) where the relation toolkit costs O(events²) or more.
// Cleared and refilled for each graph; grows to the largest graph seen.

export class Digraph {
  private nodes = 0;
  private edges = 0;
  private head = new Int32Array(0);
  private indeg = new Int32Array(0);
  private queue = new Int32Array(0);
  private next = new Int32Array(0);
  private to = new Int32Array(0);

  /** Empties the graph and sizes it for n nodes. */
  reset(n: number): void {
    if (this.head.length < n) {
      const capacity = n * 2;
      this.head = new Int32Array(capacity);
      this.indeg = new Int32Array(capacity);
      this.queue = new Int32Array(capacity);
    }
    this.nodes = n;
    this.edges = 0;
    this.head.fill(-1, 0, n);
    this.indeg.fill(0, 0, n);
  }

  /** An edge a -> b; ignored when either end is -1 (no such event). */
  edge(a: number, b: number): void {
    if (a < 0 || b < 0) return;
    if (this.edges === this.to.length) this.grow();
    const k = this.edges++;
    this.to[k] = b;
    this.next[k] = this.head[a]!;
    this.head[a] = k;
    this.indeg[b]!++;
  }

  /** Kahn's algorithm: every node can be removed in an order that respects the edges. */
  isAcyclic(): boolean {
    const { head, next, to, indeg, queue } = this;
    let tail = 0;
    for (let i = 0; i < this.nodes; i++) if (indeg[i] === 0) queue[tail++] = i;
    for (let k = 0; k < tail; k++) {
      for (let x = head[queue[k]!]!; x >= 0; x = next[x]!) {
        const b = to[x]!;
        if (--indeg[b]! === 0) queue[tail++] = b;
      }
    }
    return tail === this.nodes;
  }

  private grow(): void {
    const capacity = Math.max(64, this.to.length * 2);
    const next = new Int32Array(capacity);
    const to = new Int32Array(capacity);
    next.set(this.next);
    to.set(this.to);
    this.next = next;
    this.to = to;
  }
}

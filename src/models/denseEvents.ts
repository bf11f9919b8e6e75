// The events of one execution graph numbered densely (initial writes by
// location, then each thread in program order), with each write's place in
// its coherence order. The linear-time consistency checks and coherence
// bounds run over these numbers with typed arrays instead of building
// relations; one instance is refilled for every graph it is asked about, so
// a check allocates nothing once its arrays have grown to the largest graph.

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { EventId, GraphEvent } from "../graph/event.ts";

export class DenseEvents {
  /** Number of events. */
  n = 0;
  /** Number of locations (the initial writes are events 0 .. locations-1). */
  locations = 0;
  /** Per thread, the dense number of its first event. */
  base = new Int32Array(8);
  /** By dense number. */
  events: GraphEvent[] = [];
  /** By dense number: the position of a write in its coherence order, -1 for other events and unplaced writes. */
  coIndex = new Int32Array(0);
  /** By dense number: the coherence predecessor / successor of a placed write, or -1. */
  coPrev = new Int32Array(0);
  coNext = new Int32Array(0);

  /** Numbers the events of g and records coherence. */
  load(g: ExecutionGraph): this {
    const threads = g.threads;
    if (this.base.length < threads.length) this.base = new Int32Array(threads.length * 2);
    let n = g.inits.length;
    for (let t = 0; t < threads.length; t++) {
      this.base[t] = n;
      n += threads[t]!.length;
    }
    this.n = n;
    this.locations = g.inits.length;
    if (this.coIndex.length < n) {
      const capacity = n * 2;
      this.coIndex = new Int32Array(capacity);
      this.coPrev = new Int32Array(capacity);
      this.coNext = new Int32Array(capacity);
    }
    const events = this.events;
    for (let l = 0; l < g.inits.length; l++) events[l] = g.inits[l]!;
    for (let t = 0; t < threads.length; t++) {
      const thread = threads[t]!;
      const b = this.base[t]!;
      for (let i = 0; i < thread.length; i++) events[b + i] = thread[i]!;
    }
    this.coIndex.fill(-1, 0, n);
    this.coPrev.fill(-1, 0, n);
    this.coNext.fill(-1, 0, n);
    for (const order of g.co) {
      let prev = -1;
      for (let k = 0; k < order.length; k++) {
        const d = this.of(order[k]!);
        this.coIndex[d] = k;
        this.coPrev[d] = prev;
        if (prev >= 0) this.coNext[prev] = d;
        prev = d;
      }
    }
    return this;
  }

  /** Dense number of an event id ((tid+1)*2^16 + idx; initial writes have tid -1 and idx = location). */
  of(id: EventId): number {
    const tid = (id >>> 16) - 1;
    return tid < 0 ? id & 0xffff : this.base[tid]! + (id & 0xffff);
  }
}

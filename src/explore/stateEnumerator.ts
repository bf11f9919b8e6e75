// The brute-force oracle for models in which po ∪ rf is acyclic (SC, TSO):
// from each partial graph, every thread that can move adds its next event
// with every reads-from choice (reads) or coherence position (writes), in
// every order; partial graphs already seen are not expanded again. Every
// consistent graph can be built this way in some po ∪ rf order, through
// consistent prefixes, so this reaches each consistent graph, once.
// Exponential and obviously correct: the optimal explorer is tested against it.

import type { Model } from "../program/model.ts";
import type { GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import type { Pending, ThreadReplayer } from "../runtime/threadReplayer.ts";
import { judge } from "../checks/outcome.ts";
import { recordExecution } from "./failedThreadClosure.ts";
import { newEvent, setReadsFrom } from "./eventFactory.ts";
import type { ExecutionRecorder } from "./executionRecorder.ts";
import { graphHash } from "./graphHash.ts";

export class StateEnumerator {
  private readonly seen = new Set<number>();

  constructor(
    private readonly model: Model,
    private readonly memoryModel: MemoryModel,
    private readonly replayer: ThreadReplayer,
    private readonly recorder: ExecutionRecorder,
  ) {}

  run(): void {
    this.expand(ExecutionGraph.initial(this.model.initial, this.model.threads.length));
  }

  private expand(g: ExecutionGraph): void {
    if (this.recorder.stopped) return;
    const h = graphHash(g);
    if (this.seen.has(h)) return;
    this.seen.add(h);
    const pendings: Pending[] = g.threads.map((_, tid) => this.replayer.pending(g, tid));
    let moved = false;
    pendings.forEach((p, tid) => {
      if (p.kind !== "op" && p.kind !== "rmw-write") return;
      moved = true;
      const e = newEvent(g, tid, p);
      g.threads[tid]!.push(e);
      if (e.kind === "R") this.eachSource(g, e);
      else if (e.kind === "W") this.eachPosition(g, e);
      else this.expandIfConsistent(g);
      g.threads[tid]!.pop();
    });
    if (!moved) recordExecution(this.recorder, this.memoryModel, g, () => judge(this.model, g, pendings));
  }

  private eachSource(g: ExecutionGraph, r: GraphEvent): void {
    for (const id of g.co[r.loc]!.slice()) {
      setReadsFrom(r, g.event(id));
      this.expandIfConsistent(g);
    }
  }

  private eachPosition(g: ExecutionGraph, w: GraphEvent): void {
    const order = g.co[w.loc]!;
    for (let pos = 1; pos <= order.length; pos++) {
      order.splice(pos, 0, w.id);
      this.expandIfConsistent(g);
      order.splice(pos, 1);
    }
  }

  private expandIfConsistent(g: ExecutionGraph): void {
    if (this.memoryModel.isConsistent(g)) this.expand(g);
  }
}

// Candidate-execution enumeration, as herd7 does it: the explorer for models
// in which po ∪ rf may be cyclic (LKMM's load buffering), where a read may
// take its value from a write that comes later in its own thread's run.
//
// 1. Each thread's possible runs are enumerated by guessing the value of
//    each read from the values its location can hold (valueDomains.ts).
// 2. For every combination of runs, every reads-from choice (a write of the
//    same location and value, in any thread, even po-later) and every
//    coherence order (permutations of each location's writes) is built.
// 3. Each candidate graph is kept if the memory model says it is consistent.
//
// Every candidate graph is distinct, so each consistent one is counted once.

import type { Model } from "../program/model.ts";
import type { GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import type { Pending, ThreadReplayer } from "../runtime/threadReplayer.ts";
import { judge } from "../checks/outcome.ts";
import { setReadsFrom, setReadValue } from "./eventFactory.ts";
import { eachRun, valueDomains } from "./valueDomains.ts";
import type { ExecutionRecorder } from "./executionRecorder.ts";

interface ThreadRun {
  readonly events: readonly GraphEvent[];
  /** How it stopped: an end, or waiting on its last event. */
  readonly last: Pending;
}


export class CandidateEnumerator {
  constructor(
    private readonly model: Model,
    private readonly memoryModel: MemoryModel,
    private readonly replayer: ThreadReplayer,
    private readonly recorder: ExecutionRecorder,
  ) {}

  run(): void {
    const runs = this.threadRuns();
    this.combine(runs, 0, []);
  }

  /** Every run of every thread, each read taking a value its location can hold. */
  private threadRuns(): ThreadRun[][] {
    const domains = valueDomains(this.model, this.replayer);
    return this.model.threads.map((_, tid) => {
      const runs: ThreadRun[] = [];
      eachRun(this.model, this.replayer, tid, domains, (events, g) => {
        runs.push({ events: events.map((e) => ({ ...e })), last: this.replayer.pending(g, tid) });
      });
      return runs;
    });
  }

  private combine(runs: ThreadRun[][], tid: number, chosen: ThreadRun[]): void {
    if (this.recorder.stopped) return;
    if (tid === runs.length) {
      this.candidates(chosen);
      return;
    }
    for (const run of runs[tid]!) {
      chosen.push(run);
      this.combine(runs, tid + 1, chosen);
      chosen.pop();
    }
  }

  /** Every rf and co choice for one combination of thread runs. */
  private candidates(chosen: readonly ThreadRun[]): void {
    const g = ExecutionGraph.initial(this.model.initial, this.model.threads.length);
    chosen.forEach((run, tid) => g.threads[tid]!.push(...run.events.map((e) => ({ ...e }))));
    const writes: GraphEvent[][] = this.model.locations.map(() => []);
    const reads: GraphEvent[] = [];
    for (const t of g.threads)
      for (const e of t) {
        if (e.kind === "W" && e.loc >= 0) writes[e.loc]!.push(e);
        else if (e.kind === "R") reads.push(e);
      }
    const pendings = chosen.map((run) => run.last);
    const chooseRf = (k: number): void => {
      if (this.recorder.stopped) return;
      if (k === reads.length) {
        chooseCo(0);
        return;
      }
      const r = reads[k]!;
      const value = r.value;
      for (const w of [g.inits[r.loc]!, ...writes[r.loc]!]) {
        if (w.value !== value || w === r) continue;
        setReadsFrom(r, w);
        chooseRf(k + 1);
      }
      setReadValue(r, value);
    };
    const chooseCo = (loc: number): void => {
      if (this.recorder.stopped) return;
      if (loc === writes.length) {
        if (this.memoryModel.isConsistent(g)) this.recorder.record(g, judge(this.model, g, pendings));
        return;
      }
      permute(writes[loc]!, (order) => {
        g.co[loc] = [g.inits[loc]!.id, ...order.map((w) => w.id)];
        chooseCo(loc + 1);
      });
    };
    chooseRf(0);
  }
}

function permute<T>(items: readonly T[], visit: (order: readonly T[]) => void): void {
  const a = items.slice();
  const go = (k: number): void => {
    if (k >= a.length) {
      visit(a);
      return;
    }
    for (let i = k; i < a.length; i++) {
      [a[k], a[i]] = [a[i]!, a[k]!];
      go(k + 1);
      [a[k], a[i]] = [a[i]!, a[k]!];
    }
  };
  go(0);
}

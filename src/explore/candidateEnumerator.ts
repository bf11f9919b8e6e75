// Candidate-execution enumeration, as herd7 does it: the explorer for models
// in which po ∪ rf may be cyclic (LKMM's load buffering), where a read may
// take its value from a write that comes later in its own thread's run.
//
// 1. Each thread's possible runs are enumerated by guessing the value of
//    each read from the values its location can hold (the initial value and
//    every value some run writes there, computed as a fixpoint).
// 2. For every combination of runs, every reads-from choice (a write of the
//    same location and value, in any thread, even po-later) and every
//    coherence order (permutations of each location's writes) is built.
// 3. Each candidate graph is kept if the memory model says it is consistent.
//
// Every candidate graph is distinct, so each consistent one is counted once.

import type { Model } from "../program/model.ts";
import type { Value } from "../program/value.ts";
import type { GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import type { Pending, ThreadReplayer } from "../runtime/threadReplayer.ts";
import { judge } from "../checks/outcome.ts";
import { newEvent, setReadsFrom, setReadValue } from "./eventFactory.ts";
import type { ExecutionRecorder } from "./executionRecorder.ts";

interface ThreadRun {
  readonly events: readonly GraphEvent[];
  /** How it stopped: an end, or waiting on its last event. */
  readonly last: Pending;
}

const MAX_DOMAIN_ROUNDS = 64;

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

  /** Every run of every thread, over the fixpoint of the value domains. */
  private threadRuns(): ThreadRun[][] {
    const domains: Set<Value>[] = this.model.initial.map((v) => new Set([v]));
    for (let round = 0; round < MAX_DOMAIN_ROUNDS; round++) {
      const runs = this.model.threads.map((_, tid) => this.runsOf(tid, domains));
      let grew = false;
      for (const threadRuns of runs)
        for (const run of threadRuns)
          for (const e of run.events)
            if (e.kind === "W" && !domains[e.loc]!.has(e.value)) {
              domains[e.loc]!.add(e.value);
              grew = true;
            }
      if (!grew) return runs;
    }
    throw new Error(`enumerator: the values of ${this.model.name} did not settle after ${MAX_DOMAIN_ROUNDS} rounds (a counter that grows without bound?)`);
  }

  private runsOf(tid: number, domains: readonly Set<Value>[]): ThreadRun[] {
    const g = ExecutionGraph.initial(this.model.initial, this.model.threads.length);
    const events = g.threads[tid]!;
    const out: ThreadRun[] = [];
    const extend = (): void => {
      const p = this.replayer.pending(g, tid);
      if (p.kind === "end" || p.kind === "waiting") {
        out.push({ events: events.map((e) => ({ ...e })), last: p });
        return;
      }
      const e = newEvent(g, tid, p);
      events.push(e);
      if (e.kind === "R") {
        for (const v of domains[e.loc]!) {
          setReadValue(e, v);
          extend();
        }
      } else {
        extend();
      }
      events.pop();
    };
    extend();
    return out;
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

// Candidate-execution enumeration, as herd7 does it: the explorer for models
// in which po ∪ rf may be cyclic (LKMM's load buffering), where a read may
// take its value from a write that comes later in its own thread's run.
//
// 1. Each thread's possible runs are enumerated by guessing the value of
//    each read from the values its location can hold (valueDomains.ts).
// 2. For every combination of runs, every reads-from choice (a write of the
//    same location and value, in any thread, even po-later) and every
//    coherence order is built, location by location, dropping early the
//    choices that break coherence or atomicity (coherentChoices.ts).
// 3. Each candidate graph is kept if the memory model says it is consistent
//    and its values do not justify only themselves (valueCycles.ts).
//
// Every candidate graph is distinct, so each consistent one is counted once.

import type { Model } from "../program/model.ts";
import type { GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import type { Pending, ThreadReplayer } from "../runtime/threadReplayer.ts";
import { judge } from "../checks/outcome.ts";
import { recordExecution } from "./failedThreadClosure.ts";
import { eachCoherentChoice } from "./coherentChoices.ts";
import { eachRun, valueDomains } from "./valueDomains.ts";
import type { ExecutionRecorder } from "./executionRecorder.ts";
import { ThreadFailure } from "../runtime/threadFailure.ts";
import { hasSelfJustifiedValues } from "./valueCycles.ts";

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

  /** Every coherent rf and co choice for one combination of thread runs. */
  private candidates(chosen: readonly ThreadRun[]): void {
    const g = ExecutionGraph.initial(this.model.initial, this.model.threads.length);
    chosen.forEach((run, tid) => g.threads[tid]!.push(...run.events.map((e) => ({ ...e }))));
    const pendings = chosen.map((run) => run.last);
    try {
      this.eachCandidate(g, pendings);
    } catch (e) {
      // No path to replay here (candidates keep none), but the candidate can still be drawn.
      if (e instanceof ThreadFailure) e.graph ??= g.clone();
      throw e;
    }
  }

  private eachCandidate(g: ExecutionGraph, pendings: readonly Pending[]): void {
    eachCoherentChoice(
      g,
      () => {
        this.replayer.engineBusy();
        if (!hasSelfJustifiedValues(g) && this.memoryModel.isConsistent(g)) recordExecution(this.recorder, this.memoryModel, g, () => judge(this.model, g, pendings));
      },
      () => this.recorder.stopped,
      this.memoryModel.judgesPartialCandidates
        ? () => {
            this.replayer.engineBusy();
            return this.memoryModel.isConsistent(g);
          }
        : undefined,
    );
  }
}

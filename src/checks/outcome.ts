// Judging an execution once no thread can move: finished, waiting forever
// (deadlock), waiting on a stale value (blocked: not a real execution, the
// await would read again), stopped by an assertion or by the event bound;
// then the model's final checks on the final state.

import { asInteger, type Loc, type Value } from "../program/value.ts";
import type { FinalState, Model } from "../program/model.ts";
import type { GraphEvent, ThreadEnd } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Pending } from "../runtime/threadReplayer.ts";
import { describeDeadlock, type Deadlock } from "./deadlock.ts";

export type ExecutionStatus = "complete" | "blocked" | "deadlock" | "error" | "bound";

export type ViolationKind = "assertion" | "invariant" | "deadlock" | "bound";

export interface Verdict {
  readonly kind: ViolationKind;
  /** The broken check, one line (deadlocks add the waits, one per line). */
  readonly message: string;
  readonly thread?: string;
  readonly deadlock?: Deadlock;
}

export interface Outcome {
  readonly status: ExecutionStatus;
  /** How each thread ended; undefined for a thread that waits. */
  readonly ends: readonly (ThreadEnd | undefined)[];
  readonly final: FinalState;
  readonly violation?: Verdict;
  /** For each `exists` check of the model, in order: whether it holds here. */
  readonly exists: readonly boolean[];
}

export function judge(model: Model, g: ExecutionGraph, pendings: readonly Pending[]): Outcome {
  const ends = pendings.map((p) => (p.kind === "end" ? p.end : undefined));
  const final = finalState(model, g, ends);
  const waiting = new Map<number, GraphEvent>();
  pendings.forEach((p, tid) => {
    if (p.kind === "waiting") waiting.set(tid, g.threads[tid]![g.threads[tid]!.length - 1]!);
    else if (p.kind !== "end") throw new Error(`judge: thread ${model.threads[tid]!.name} can still run`);
  });
  const none: boolean[] = [];
  // A stale await makes the whole graph a non-execution, whatever else it shows:
  // the same graph with the await reading the latest value is explored too.
  for (const r of waiting.values()) if (g.coLast(r.loc).id !== r.rf) return { status: "blocked", ends, final, exists: none };
  const errored = ends.findIndex((e) => e?.kind === "error");
  if (errored >= 0) {
    const thread = model.threads[errored]!.name;
    const end = ends[errored] as { kind: "error"; message: string };
    return { status: "error", ends, final, exists: none, violation: { kind: "assertion", thread, message: `assertion failed in ${thread}: ${end.message}` } };
  }
  const bounded = ends.findIndex((e) => e?.kind === "bound");
  if (bounded >= 0) {
    const thread = model.threads[bounded]!.name;
    const events = g.threads[bounded]!;
    const step = events[events.length - 1]?.step;
    const message =
      `${thread} did not finish within ${events.length} events${step === undefined ? "" : ` (in step ${step})`}: likely an unbounded loop. ` +
      `A loop that polls shared memory should wait with t.await(...) instead of re-reading.`;
    return { status: "bound", ends, final, exists: none, violation: { kind: "bound", thread, message } };
  }
  if (waiting.size > 0) {
    const finished = new Set<number>();
    ends.forEach((e, tid) => {
      if (e?.kind === "done") finished.add(tid);
    });
    const deadlock = describeDeadlock(model, g, waiting, finished);
    return { status: "deadlock", ends, final, exists: none, violation: { kind: "deadlock", message: deadlock.message, deadlock } };
  }
  let violation: Verdict | undefined;
  const exists: boolean[] = [];
  for (const check of model.checks) {
    const holds = evaluate(check.name, () => check.holds(final));
    if (check.kind === "exists") exists.push(holds);
    else if (!holds && violation === undefined) {
      const detail = check.failureDetail?.(final);
      violation = { kind: "invariant", message: `check failed: ${check.name}${detail === undefined ? "" : ` (${detail})`}` };
    }
  }
  return { status: "complete", ends, final, exists, violation };
}

function evaluate(name: string, f: () => boolean): boolean {
  try {
    return f();
  } catch (e) {
    throw new Error(`final check '${name}' threw: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function finalState(model: Model, g: ExecutionGraph, ends: readonly (ThreadEnd | undefined)[]): FinalState {
  const values = g.finalValues();
  const byName = new Map(model.threads.map((t, tid) => [t.name, tid]));
  const value = (loc: Loc): Value => {
    const v = values[loc.id];
    if (v === undefined || model.locations[loc.id] !== loc) throw new Error(`location ${loc.name} does not belong to model ${model.name}`);
    return v;
  };
  return {
    value,
    int: (loc) => asInteger(value(loc), loc.name),
    result: (thread) => {
      const tid = byName.get(thread);
      if (tid === undefined) throw new Error(`no thread named ${thread} in model ${model.name}`);
      const end = ends[tid];
      return end?.kind === "done" ? (end.result ?? Object.create(null)) : undefined;
    },
  };
}

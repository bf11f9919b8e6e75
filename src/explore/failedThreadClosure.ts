// What a failed assertion means under a model that is not prefix-closed.
//
// A thread whose assertion fails stops there: the graph the explorer judges
// holds none of its later events. Under SC and TSO that is harmless (any
// prefix of a consistent execution is one), but under LKMM it is not: the
// RCU axiom relates an rcu_read_unlock() back to its rcu_read_lock(), so a
// read-side critical section left open by the failure constrains nothing,
// and an execution the grace-period guarantee forbids would be reported
// (correct RCU code called racy, where the same program as a litmus test
// says Never).
//
// The semantics: a failure is reported only if its execution has a
// consistent completion. The other threads run on to their ends (the
// explorer does this already); the failing thread still owes the
// rcu_read_unlock() of every section it is in, which every completion of
// it contains. Each is added right after the thread's last event: any
// completion places it there or later, with more events between, and the
// ordering the axiom draws from the section only grows with them, so a
// graph inconsistent with the earliest unlocks has no consistent
// completion at all. Such an execution is not one: it is counted as
// blocked (explored and abandoned), not as a violation. SRCU sections
// (an unlock is a write whose place in coherence would be a choice) are not
// closed: a failure inside one is reported as before.

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { MemoryModel } from "../models/memoryModel.ts";
import type { Outcome } from "../checks/outcome.ts";
import type { FenceOp } from "../program/operation.ts";
import { newEvent } from "./eventFactory.ts";
import type { ExecutionRecorder } from "./executionRecorder.ts";

const CLOSING_UNLOCK: FenceOp = { kind: "fence", fence: "rcu-unlock", name: "rcu_read_unlock (owed by the thread whose assertion failed)" };

/** Whether the failed assertion of `outcome` comes from an execution that can be completed consistently. */
export function failureHasCompletion(g: ExecutionGraph, outcome: Outcome, memoryModel: MemoryModel): boolean {
  if (outcome.status !== "error") return true;
  const owed = outcome.ends.map((end, tid) => (end?.kind === "error" ? openRcuSections(g, tid) : 0));
  if (owed.every((n) => n === 0)) return true;
  const closed = g.clone();
  owed.forEach((n, tid) => {
    const thread = closed.threads[tid]!;
    for (let k = 0; k < n; k++) {
      const opIndex = thread.length === 0 ? 0 : thread[thread.length - 1]!.opIndex + 1;
      thread.push(newEvent(closed, tid, { kind: "op", op: CLOSING_UNLOCK, opIndex, step: thread[thread.length - 1]?.step }));
    }
  });
  return memoryModel.isConsistent(closed);
}

/** RCU read-side critical sections thread `tid` has entered and not left (nesting counts). */
function openRcuSections(g: ExecutionGraph, tid: number): number {
  let depth = 0;
  for (const e of g.threads[tid]!) {
    if (e.kind !== "F") continue;
    if (e.fence === "rcu-lock") depth++;
    else if (e.fence === "rcu-unlock" && depth > 0) depth--;
  }
  return depth;
}

/** Records the execution, or counts it as blocked when its failed assertion has no consistent completion. */
export function recordExecution(recorder: ExecutionRecorder, memoryModel: MemoryModel, g: ExecutionGraph, judged: () => Outcome, path?: readonly number[]): void {
  // What only a complete graph can break (LKMM's unmatched-locks): one that does is no execution.
  if (memoryModel.consistentOnceComplete?.(g) === false) return;
  // A run whose budget ran out with the exploration before stops at this one unjudged: the model's checks see only what is counted.
  if (recorder.stopsNow()) return;
  const outcome = judged();
  if (failureHasCompletion(g, outcome, memoryModel)) recorder.record(g, outcome, path);
  else recorder.pruned();
}

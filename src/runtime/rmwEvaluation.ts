// An RMW's predicate (`until`, an await-RMW's) and update are thread code:
// they run under the determinism guard in the name of the thread that
// issued the RMW, and what they throw is that thread's failure
// (threadFailure.ts), with its name, step and events. The explorer needs
// their answer first, when it gives the RMW's read a value (does the RMW
// succeed, so that its read and write are one atomic pair?); the replayer
// needs it right after, when it feeds that read to the thread (the value
// the write half writes). Both ask here, and each thread's last answer is
// remembered, so that the model's function runs once for the two.
//
// The explorer holds only the graph event: the name of its thread comes
// from the model that owns the RMW's location, which each replayer
// registers (`registerThreadNames`).

import type { RmwOp } from "../program/operation.ts";
import type { Loc, Value } from "../program/value.ts";
import { enterThreadCode, leaveThreadCode, type RunningThread } from "./determinismGuard.ts";
import { isModelError } from "./modelError.ts";
import { ThreadFailure, thrownText } from "./threadFailure.ts";

/** Each model's thread names, by the model's locations (an RMW's location is always one of its model's). */
const threadNames = new WeakMap<Loc, readonly string[]>();

/** A replayer's model: its locations lead to its thread names. */
export function registerThreadNames(locations: readonly Loc[], names: readonly string[]): void {
  for (const loc of locations) threadNames.set(loc, names);
}

/**
 * Per thread number, the last answer: the explorer gives a read its value
 * and the replayer feeds it soon after, through the same operation (the
 * thread is paused at it, so asking again would run the same function on
 * the same state). Other threads' RMWs may be fed in between.
 */
const lastOp: (RmwOp | undefined)[] = [];
const lastValue: (Value | undefined)[] = [];
const lastWritten: (Value | undefined)[] = [];

/**
 * What `op` writes when its read returns `value`, or undefined when it
 * fails there (its predicate does not hold, or its update gives nothing):
 * the RMW is the event number `events - 1` of thread `tid`, issued in
 * `step`; `thread` is the running thread when the caller has it (the
 * replayer), else it is found by the location's model.
 */
export function evaluateRmw(op: RmwOp, value: Value, tid: number, step: string | undefined, events: number, thread?: RunningThread): Value | undefined {
  if (op === lastOp[tid] && value === lastValue[tid]) return lastWritten[tid];
  // Unnamed (a graph built by hand, not through a replayer), the thread is named by explore() once it catches the failure.
  const name = thread?.name ?? threadNames.get(op.loc)?.[tid];
  const outer = enterThreadCode(thread ?? { name: name ?? `#${tid}`, currentStep: step });
  let written: Value | undefined;
  try {
    written = op.until === undefined || op.until(value) ? op.update(value) : undefined;
  } catch (e) {
    if (isModelError(e)) throw e;
    throw new ThreadFailure(tid, name, step, events, `threw in the update of its RMW of ${op.loc.name}`, thrownText(e));
  } finally {
    leaveThreadCode(outer);
  }
  lastOp[tid] = op;
  lastValue[tid] = value;
  lastWritten[tid] = written;
  return written;
}

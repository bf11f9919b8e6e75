// Thread code that threw (or an RMW's update function that did): a model
// error, but one that happens in a particular execution, so it is reported
// as a thread error is expected to be — which thread, in which step, after
// which events — with the execution that led there drawn and a replay id
// that reaches it again. Whoever catches it first fills in what it knows:
// the replayer (or rmwEvaluation.ts, for an RMW's update, which the explorer
// runs first) the thread, the explorer visiting the graph the graph and its
// path.

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import type { Model } from "../program/model.ts";
import { finalState, type Outcome } from "../checks/outcome.ts";
import { ModelError } from "./modelError.ts";
import { thrownAt } from "./thrownAt.ts";
import { misspelledOperation } from "./misspelledOperation.ts";

export class ThreadFailure extends ModelError {
  /** The graph the thread was run against: its events up to the one that threw, and the other threads' so far. */
  graph: ExecutionGraph | undefined;
  /** The optimal explorer's choices leading to `graph` (see replayId.ts), where the explorer keeps them. */
  path: readonly number[] | undefined;

  constructor(
    /** The thread that threw, by number. */
    readonly tid: number,
    /** Its name, once known. */
    public thread: string | undefined,
    /** Its current `t.step(...)`, if any. */
    readonly step: string | undefined,
    /** Events the thread had issued when it threw. */
    readonly events: number,
    /** What threw, after the thread's name: `threw`, `threw in the update of its RMW of x`. */
    private readonly what: string,
    /** What was thrown, as text. */
    readonly thrown: string,
  ) {
    super("");
    this.message = this.text();
  }

  /** Gives the thread its name where whoever threw knew only its number (an RMW of a graph built without a replayer). */
  named(name: string): this {
    if (this.thread === undefined) {
      this.thread = name;
      this.message = this.text();
    }
    return this;
  }

  private text(): string {
    const step = this.step === undefined ? "" : ` (step ${this.step})`;
    return `thread ${this.thread ?? `#${this.tid}`} ${this.what}${step}: ${this.thrown}`;
  }
}

/** What was thrown, with where in the model's code when its stack says. */
export function thrownText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const at = thrownAt(e.stack);
  if (at === undefined) return e.message;
  const hint = e instanceof TypeError ? misspelledOperation(e, at) : undefined;
  return hint === undefined ? `${e.message} (at ${at})` : `${e.message} (at ${at}: ${hint})`;
}

/**
 * The failure as the outcome of the execution it cut short, for drawing it
 * as a timeline: no thread ended, and the failure is the violation shown
 * under the columns.
 */
export function failureOutcome(model: Model, failure: ThreadFailure & { graph: ExecutionGraph }): Outcome {
  const ends = model.threads.map(() => undefined);
  return {
    status: "error",
    ends,
    final: finalState(model, failure.graph, ends),
    exists: [],
    violation: { kind: "assertion", thread: failure.thread, message: failure.message },
  };
}

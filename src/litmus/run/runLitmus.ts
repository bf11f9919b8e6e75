// Runs a compiled litmus test the way herd7 judges it: every execution is
// explored (no stop at the first witness), and only the executions herd
// would count are kept — those in which every thread ran to its end (herd
// builds no execution in which a spin_lock never gets its lock, or in which
// a thread is stuck) and whose final state passes the `filter`. For those:
// the distinct final states, how many satisfy the condition's proposition,
// and the flags the memory model raises (LKMM: `data-race`).
//
// The result is plain data, so it can cross a worker boundary and be
// printed as herd's block (src/report/herd/) or as JSON.

import type { CompiledLitmus } from "../compile.ts";
import type { Quantifier } from "../ast.ts";
import { explore, type Strategy } from "../../explore/explore.ts";
import type { MemoryModel } from "../../models/memoryModel.ts";
import type { Value } from "../../program/value.ts";
import { compareHerdStates } from "./stateOrder.ts";
import { herdVerdict, type HerdVerdict } from "./herdVerdict.ts";

export interface LitmusRunOptions {
  readonly memoryModel: MemoryModel;
  /** Default: the optimal explorer. */
  readonly strategy?: Strategy;
  readonly maxEventsPerThread?: number;
  /**
   * A `performance.now()` time after which the run gives up with a
   * LitmusTimeout, checked at each execution and, by the explorer, as
   * threads run (so also a run that reaches no execution for a long time).
   * Code that never returns to the engine is not interrupted: use a worker
   * (timedLitmusRunner.ts).
   */
  readonly deadline?: number;
  /**
   * Wall time the run may take (`litmus --time-limit`), checked as threads
   * run as well as between executions: past it the run ends with what it
   * explored, `incomplete` (`--time-limit S reached`), never a verdict.
   */
  readonly timeLimitMs?: number;
}

/** Explorations that ended but that herd would not count. */
export interface UncountedExecutions {
  /** Every thread finished, but the `filter` rejects the final state. */
  readonly filtered: number;
  /** Ended, or abandoned, with an await reading a stale value (e.g. a lock never acquired). */
  readonly blocked: number;
  /** Some thread waits forever. */
  readonly deadlock: number;
  /** A process did something impossible (division by zero, dereferencing an integer). */
  readonly error: number;
  /** A thread exceeded the event bound. */
  readonly bound: number;
}

export interface LitmusRun {
  readonly name: string;
  readonly quantifier: Quantifier;
  /** herd's word for the quantifier, printed in the `Test` line. */
  readonly expectation: "Allowed" | "Forbidden" | "Required";
  /** herd's `Condition` line without the keyword: `exists (0:r0=1 /\ 1:r0=1)`. */
  readonly conditionText: string;
  /** The distinct final states, as herd prints them, in herd's order. */
  readonly states: readonly string[];
  /** Counted executions whose final state satisfies the condition's proposition. */
  readonly holds: number;
  /** Counted executions whose final state does not. */
  readonly fails: number;
  /** Flags raised by any counted execution, sorted (herd prints one `Flag` line each). */
  readonly flags: readonly string[];
  readonly verdict: HerdVerdict;
  /** The `Hash=` header line of the test itself, which herd prints back. */
  readonly hash?: string;
  readonly memoryModel: string;
  readonly strategy: Strategy;
  readonly uncounted: UncountedExecutions;
  /**
   * Why some executions were not explored. The counts and states then cover
   * only what was, and the verdict is not an answer: reporters must show
   * it as NOT VERIFIED, never as herd's verdict.
   */
  readonly incomplete?: string;
  readonly elapsedMs: number;
}

export class LitmusTimeout extends Error {
  constructor(readonly test: string) {
    super(`${test}: timeout`);
    this.name = "LitmusTimeout";
  }
}

export function runLitmus(compiled: CompiledLitmus, options: LitmusRunOptions): LitmusRun {
  const { memoryModel, deadline } = options;
  const states = new Map<string, readonly Value[]>();
  const flags = new Set<string>();
  let holds = 0;
  let fails = 0;
  let filtered = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const r = explore(compiled.model, {
    memoryModel,
    strategy: options.strategy,
    maxEventsPerThread: options.maxEventsPerThread,
    stopOnViolation: false,
    deadline,
    timeLimitMs: options.timeLimitMs,
    // herd counts executions, not distinct graphs: no need to hash each one.
    countDuplicates: false,
    onExecution: (g, o) => {
      if (deadline !== undefined && performance.now() > deadline) throw new LitmusTimeout(compiled.name);
      if (o.status === "error") firstError ??= o.ends.find((e) => e?.kind === "error")?.message;
      if (o.status !== "complete") return;
      if (!compiled.filter(o.final)) {
        filtered++;
        return;
      }
      const line = compiled.formatState(o.final);
      if (!states.has(line)) states.set(line, compiled.observed.map((loc) => loc.read(o.final)));
      if (compiled.evaluate(o.final)) holds++;
      else fails++;
      // The graph is only valid during this call (explorers reuse it).
      for (const flag of memoryModel.flags?.(g) ?? []) flags.add(flag);
    },
  });
  // The explorer stopped at the deadline: its counts are partial, no answer.
  if (deadline !== undefined && r.bounded !== undefined && performance.now() >= deadline) throw new LitmusTimeout(compiled.name);
  const ordered = [...states].sort((a, b) => compareHerdStates(a[1], b[1])).map(([line]) => line);
  const run: LitmusRun = {
    name: compiled.name,
    quantifier: compiled.quantifier,
    expectation: compiled.expectation,
    conditionText: compiled.conditionText,
    states: ordered,
    holds,
    fails,
    flags: [...flags].sort(),
    verdict: herdVerdict(compiled.quantifier, holds, fails),
    hash: compiled.test.info.find((i) => i.key.toLowerCase() === "hash")?.value,
    memoryModel: memoryModel.name,
    strategy: r.strategy,
    uncounted: { filtered, blocked: r.blocked, deadlock: r.deadlocks, error: r.assertionFailures, bound: r.boundHits },
    incomplete: r.incomplete,
    elapsedMs: performance.now() - started,
  };
  // Cut short (its time limit, the heap nearly full): what was explored is no answer.
  if (r.bounded !== undefined && run.incomplete === undefined) return { ...run, incomplete: r.bounded };
  // Some executions stopping on an error is normal (a value LKMM later rejects can reach a
  // dereference). All of them doing so leaves no final state at all: "Never 0 0" would read
  // as an answer, where herd would have refused the test.
  if (run.incomplete === undefined && holds + fails + filtered === 0 && firstError !== undefined) {
    return { ...run, incomplete: `every execution stops on an error, the first: ${firstError}` };
  }
  return run;
}

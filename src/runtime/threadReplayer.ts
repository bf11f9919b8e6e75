// Runs thread generators against an execution graph. A thread is a
// deterministic function of the values its reads return, so the operation it
// issues next is found by re-running it and feeding it, in order, the values
// recorded on its events in the graph. Runs are cached per thread and resumed
// while the graph's prefix still matches what the run was fed. A pending
// step never refers to an event: the same run serves every graph whose
// prefix has the same values, so events are always read from the graph.

import type { Model } from "../program/model.ts";
import type { FenceOp, Operation, ReadOp, RmwOp, ThreadBody, WriteOp } from "../program/operation.ts";
import { AssertionFailure, ThreadContext } from "../program/threadContext.ts";
import { formatValue, type Value } from "../program/value.ts";
import { isWaiting, type GraphEvent, type ThreadEnd } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import { ModelError } from "./modelError.ts";

export type MemoryOp = ReadOp | WriteOp | RmwOp | FenceOp;

/** What a thread does next, given its events so far. */
export type Pending =
  | { readonly kind: "op"; readonly op: MemoryOp; readonly opIndex: number; readonly step: string | undefined }
  /** The write half of a successful RMW whose read is the thread's last event. */
  | { readonly kind: "rmw-write"; readonly value: Value }
  /** The thread's last event is an await whose value does not satisfy it. */
  | { readonly kind: "waiting" }
  | { readonly kind: "end"; readonly end: ThreadEnd };

interface Run {
  readonly gen: ThreadBody;
  readonly ctx: ThreadContext;
  /** Events matched so far, and the value each read was fed. */
  fed: number;
  readonly values: (Value | undefined)[];
  pending: Pending;
  opCount: number;
  /** The value an RMW read returned, handed to the generator once its write is matched. */
  heldValue: Value | undefined;
  /** The event object fed last (see prefixMatches). */
  lastFed: GraphEvent | undefined;
}

/** Where thread code is running, for a watchdog to name it if it never yields. */
export interface RunningSite {
  tid: number;
  events: number;
  /** The engine is working without running thread code (checking candidates): still alive. */
  busy?(): void;
}

export class ThreadReplayer {
  private readonly runs: (Run | undefined)[];
  /** Generator resumptions, for profiling. */
  resumptions = 0;

  constructor(
    readonly model: Model,
    readonly maxEvents: number,
    private readonly site?: RunningSite,
  ) {
    this.runs = model.threads.map(() => undefined);
  }

  /** Tells a watchdog that exploration is alive while no thread code runs. */
  engineBusy(): void {
    this.site?.busy?.();
  }

  pending(g: ExecutionGraph, tid: number): Pending {
    const events = g.threads[tid]!;
    let run = this.runs[tid];
    if (run === undefined || !this.prefixMatches(run, events)) {
      run = this.start(tid);
      this.runs[tid] = run;
    }
    while (run.fed < events.length) this.feed(run, tid, events[run.fed]!);
    const p = run.pending;
    if (p.kind === "op" && events.length >= this.maxEvents) return { kind: "end", end: { kind: "bound", limit: this.maxEvents } };
    return p;
  }

  /** How the thread's run ended, or undefined if it is still running or waiting. */
  end(g: ExecutionGraph, tid: number): ThreadEnd | undefined {
    const p = this.pending(g, tid);
    return p.kind === "end" ? p.end : undefined;
  }

  /**
   * An event's value only changes while it is its thread's last event, and
   * a graph copy has new event objects; so when the last event fed is the
   * very object at that position, with the same value, the whole prefix matches.
   */
  private prefixMatches(run: Run, events: readonly GraphEvent[]): boolean {
    const fed = run.fed;
    if (fed > events.length) return false;
    if (fed === 0) return true;
    const last = events[fed - 1]!;
    if (last === run.lastFed) return run.values[fed - 1] === last.value;
    for (let i = 0; i < fed; i++) if (run.values[i] !== events[i]!.value) return false;
    run.lastFed = last;
    return true;
  }

  private start(tid: number): Run {
    const spec = this.model.threads[tid]!;
    const ctx = new ThreadContext(tid, spec.name);
    let gen: ThreadBody;
    try {
      gen = spec.body(ctx) as ThreadBody;
    } catch (e) {
      throw new ModelError(`thread ${spec.name} threw before its first operation: ${String(e)}`);
    }
    if (gen === null || typeof gen !== "object" || typeof gen.next !== "function")
      throw new ModelError(`thread ${spec.name} is not a generator function: write it as function* (t) { ... }`);
    const run: Run = { gen, ctx, fed: 0, values: [], pending: { kind: "end", end: { kind: "done", result: undefined } }, opCount: 0, heldValue: undefined, lastFed: undefined };
    this.resume(run, tid, undefined);
    return run;
  }

  /** Matches the run's pending step against the recorded event and moves past it. */
  private feed(run: Run, tid: number, e: GraphEvent): void {
    const p = run.pending;
    run.values[run.fed++] = e.value;
    run.lastFed = e;
    if (p.kind === "rmw-write") {
      if (e.kind !== "W" || e.rmw !== "write" || e.value !== p.value) throw this.divergence(tid, e, `the write half of an RMW of ${formatValue(p.value)}`);
      this.resume(run, tid, run.heldValue);
      return;
    }
    if (p.kind !== "op") throw this.divergence(tid, e, p.kind === "end" ? "the end of the thread" : "a wait");
    const op = p.op;
    if (op.kind === "fence") {
      if (e.kind !== "F" || e.fence !== op.fence) throw this.divergence(tid, e, `fence ${op.fence}`);
      this.resume(run, tid, undefined);
    } else if (op.kind === "write") {
      if (e.kind !== "W" || e.loc !== op.loc.id || e.value !== op.value) throw this.divergence(tid, e, `a write of ${formatValue(op.value)} to ${op.loc.name}`);
      this.resume(run, tid, undefined);
    } else {
      if (e.kind !== "R" || e.loc !== op.loc.id) throw this.divergence(tid, e, `a read of ${op.loc.name}`);
      if (e.rmw === "read") {
        run.heldValue = e.value;
        run.pending = { kind: "rmw-write", value: (op as RmwOp).update(e.value)! };
      } else if (isWaiting(e)) {
        run.pending = { kind: "waiting" };
      } else {
        this.resume(run, tid, e.value);
      }
    }
  }

  private divergence(tid: number, e: GraphEvent, expected: string): ModelError {
    return new ModelError(
      `thread ${this.model.threads[tid]!.name} is not deterministic: re-run, its event ${e.idx} was ${expected} where the execution had ${describeEvent(e)}. ` +
        `Thread code must depend only on the values its reads return (no Math.random, Date.now, or state kept between runs).`,
    );
  }

  private resume(run: Run, tid: number, value: Value | undefined): void {
    if (this.site !== undefined) {
      this.site.tid = tid;
      this.site.events = run.fed;
    }
    this.resumptions++;
    let res: IteratorResult<Operation, unknown>;
    try {
      res = run.gen.next(value);
    } catch (e) {
      if (e instanceof AssertionFailure) {
        run.pending = { kind: "end", end: { kind: "error", message: e.message } };
        return;
      }
      if (e instanceof ModelError) throw e;
      const step = run.ctx.currentStep === undefined ? "" : ` (step ${run.ctx.currentStep})`;
      throw new ModelError(`thread ${this.model.threads[tid]!.name} threw${step}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.done) {
      run.pending = { kind: "end", end: { kind: "done", result: checkResult(this.model.threads[tid]!.name, res.value) } };
      return;
    }
    run.pending = { kind: "op", op: checkOperation(this.model.threads[tid]!, res.value), opIndex: run.opCount++, step: run.ctx.currentStep };
  }
}

function checkOperation(thread: { readonly name: string }, v: unknown): MemoryOp {
  if (v !== null && typeof v === "object") {
    const kind = (v as { kind?: unknown }).kind;
    if (kind === "read" || kind === "write" || kind === "rmw" || kind === "fence") return v as MemoryOp;
    if (typeof (v as { next?: unknown }).next === "function")
      throw new ModelError(`thread ${thread.name} yielded a generator: write \`yield* t.read(x)\`, not \`yield t.read(x)\``);
  }
  throw new ModelError(`thread ${thread.name} yielded ${String(v)}, which is not an operation: use yield* with the methods of its ThreadContext`);
}

function checkResult(thread: string, v: unknown): Readonly<Record<string, Value>> | undefined {
  if (v === undefined) return undefined;
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== "number" && !(typeof x === "object" && x !== null && "id" in x))
        throw new ModelError(`thread ${thread} returned a result whose field '${k}' is not a value (integer or location)`);
    }
    return v as Record<string, Value>;
  }
  throw new ModelError(`thread ${thread} returned ${String(v)}: a thread returns nothing or an object of named values`);
}

export function describeEvent(e: GraphEvent): string {
  if (e.kind === "F") return `fence ${e.fence}`;
  return `${e.kind === "R" ? "a read" : "a write"} of ${formatValue(e.value)} (location #${e.loc})`;
}

// Runs thread generators against an execution graph. A thread is a
// deterministic function of the values its reads return, so the operation it
// issues next is found by re-running it and feeding it, in order, the values
// recorded on its events in the graph. Runs are cached per thread and resumed
// while the graph's prefix still matches what the run was fed. A pending
// step never refers to an event: the same run serves every graph whose
// prefix has the same values, so events are always read from the graph.

import type { Model } from "../program/model.ts";
import type { Dependencies, FenceOp, Operation, ReadOp, RmwOp, ThreadBody, WriteOp } from "../program/operation.ts";
import { isAssertionFailure, ThreadContext, type ThreadEnvironment, type UnstartedOperation } from "../program/threadContext.ts";
import { canonicalValue, formatValue, isLoc, type Loc, type Value } from "../program/value.ts";
import { isHole, isWaiting, type GraphEvent, type ThreadEnd } from "../graph/event.ts";
import type { ExecutionGraph } from "../graph/executionGraph.ts";
import { isModelError, ModelError } from "./modelError.ts";
import { ThreadFailure, thrownText } from "./threadFailure.ts";
import { enterThreadCode, leaveThreadCode } from "./determinismGuard.ts";
import { evaluateRmw, registerThreadNames } from "./rmwEvaluation.ts";
import { InfeasibleGraph } from "./infeasibleGraph.ts";

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
  /** A second run of the same thread fed the same values, on the thread's first run only (see pending). */
  twin?: Run;
  /**
   * The position of the event added last (the greatest stamp) among those
   * fed: the one whose value the explorer may change in place. Before the
   * last event fed when it filled a hole (see prefixMatches).
   */
  newestAt: number;
  newestStamp: number;
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
  /** Threads whose first run was checked against a twin run. */
  private readonly twinChecked: boolean[];
  private readonly env: ThreadEnvironment;
  /** Generator resumptions, for profiling. */
  resumptions = 0;
  /**
   * Set by an explorer whose revisits keep events po-after a read whose
   * value they change (load buffering): a re-run that no longer issues a
   * kept event marks the graph infeasible instead of the thread
   * nondeterministic (the twin run still checks determinism).
   */
  revisitsOutOfOrder = false;

  constructor(
    readonly model: Model,
    readonly maxEvents: number,
    private readonly site?: RunningSite,
    /** The memory model explored under, which thread code may ask for (the kernel's RCU does). */
    memoryModel?: string,
  ) {
    this.runs = model.threads.map(() => undefined);
    this.twinChecked = model.threads.map(() => false);
    this.env = { memoryModel, locations: new Map(model.locations.map((l) => [l.name, l])) };
    // The explorer runs an RMW's update before the thread is fed its read: it names the thread by the location's model.
    registerThreadNames(model.locations, model.threads.map((t) => t.name));
  }

  /** Tells a watchdog that exploration is alive while no thread code runs. */
  engineBusy(): void {
    this.site?.busy?.();
  }

  pending(g: ExecutionGraph, tid: number): Pending {
    try {
      return this.pendingOf(g, tid);
    } catch (e) {
      // The graph is the explorer's working copy, changed as soon as the error unwinds: keep it as it was.
      if (e instanceof ThreadFailure) e.graph ??= g.clone();
      throw e;
    }
  }

  private pendingOf(g: ExecutionGraph, tid: number): Pending {
    const events = g.threads[tid]!;
    let run = this.runs[tid];
    if (run === undefined || !this.prefixMatches(run, events)) {
      if (run !== undefined) this.twinChecked[tid] = true;
      run = this.start(tid);
      // State kept between runs (a counter in a closure) shows on the very
      // first re-run, so the first run of each thread has a twin run beside
      // it, fed the same values: any difference is reported at once instead
      // of whenever a later re-run happens to diverge.
      if (!this.twinChecked[tid]) {
        run.twin = this.start(tid);
        this.compareTwin(run, run.twin, tid);
      }
      this.runs[tid] = run;
    }
    while (run.fed < events.length) {
      const e = events[run.fed]!;
      if (isHole(e)) break;
      try {
        this.feed(run, tid, e);
      } catch (error) {
        // An event kept after a hole, or after a read whose value a revisit changed, is checked here.
        if (error instanceof Divergence && this.revisitsOutOfOrder) {
          this.runs[tid] = undefined;
          throw new InfeasibleGraph(tid);
        }
        throw error;
      }
      if (run.twin !== undefined) {
        this.feed(run.twin, tid, e);
        this.compareTwin(run, run.twin, tid);
      }
    }
    const p = run.pending;
    // Stopped at a hole, the thread must be about to fill it: ended or waiting, it never reaches the events kept after it.
    if (run.fed < events.length && p.kind !== "op" && p.kind !== "rmw-write") throw new InfeasibleGraph(tid);
    if (p.kind === "op" && events.length >= this.maxEvents) return { kind: "end", end: { kind: "bound", limit: this.maxEvents } };
    return p;
  }

  /**
   * Runs thread `tid` afresh over its events in g, letting the values of
   * its writes follow from the values its reads now have (`rewrite` is told
   * of each write whose value changes and sets it), and letting its path
   * change where a branch now goes the other way: it may issue writes and
   * fences — and reads, which go on with their location's latest value —
   * the graph does not have, and skip events the graph has. Returns, per
   * event, its new position (-1: no longer issued), and the thread's new
   * length (positions no event takes are new events, to be added); undefined
   * when the thread would wait where the graph has it go on.
   */
  rewriteValues(g: ExecutionGraph, tid: number, rewrite: (e: GraphEvent, value: Value) => void): { moved: Int32Array; length: number } | undefined {
    const events = g.threads[tid]!;
    const run = this.start(tid);
    const moved = new Int32Array(events.length).fill(-1);
    let position = 0;
    let i = 0;
    try {
      let lastFed: GraphEvent | undefined;
      while (i < events.length && !isHole(events[i]!)) {
        const e = events[i]!;
        const p = run.pending;
        // An RMW's write comes right after its read, or is new.
        const writeHalf = p.kind === "rmw-write" && lastFed !== undefined && e.idx === lastFed.idx + 1 && e.loc === lastFed.loc;
        if (p.kind === "rmw-write" ? writeHalf && issues(p, e) : issues(p, e)) {
          // Its operation may be numbered differently now: the event takes the new number.
          if (p.kind === "op" && (p.opIndex !== e.opIndex || p.op !== e.op)) {
            const renumbered = e as { op?: Operation; opIndex: number };
            renumbered.op = p.op;
            renumbered.opIndex = p.opIndex;
          }
          this.feed(run, tid, e, rewrite);
          lastFed = e;
          moved[i++] = position++;
          continue;
        }
        // The write half of an RMW whose read now fails: gone, whatever the thread does next (a read it now
        // issues would otherwise be taken for a new one placed before the write, and every event after it lost).
        if (e.kind === "W" && e.rmw === "write" && !writeHalf) {
          i++;
          continue;
        }
        if (p.kind === "rmw-write") {
          position++;
          lastFed = undefined;
          this.resume(run, tid, run.heldValue);
          continue;
        }
        if (p.kind === "op" && (p.op.kind === "read" || p.op.kind === "rmw")) {
          // A read the graph does not have (inside a branch now taken): a new event goes there. The run goes on
          // with the location's latest value; if another value the read takes later changes the path, the
          // thread is run again then.
          const op = p.op;
          const value = g.coLast(op.loc.id).value;
          position++;
          lastFed = undefined;
          if (op.kind === "read") {
            if (op.until !== undefined && !op.until(value)) return undefined;
            this.resume(run, tid, value);
          } else {
            const written = evaluateRmw(op, value, tid, run.ctx.currentStep, run.fed, run.ctx);
            if (written !== undefined) {
              run.heldValue = value;
              run.pending = { kind: "rmw-write", value: written };
            } else if (op.until !== undefined) return undefined;
            else this.resume(run, tid, value);
          }
          continue;
        }
        // The graph's events up to the next one this step issues are no longer issued.
        let next = i + 1;
        while (next < events.length && !isHole(events[next]!) && !issues(p, events[next]!)) next++;
        const found = next < events.length && !isHole(events[next]!);
        if (found || p.kind === "end") {
          i = found ? next : events.length;
          continue;
        }
        // A write or fence the graph does not have: a new event goes there.
        if (p.kind !== "op") return undefined;
        position++;
        lastFed = undefined;
        this.resume(run, tid, undefined);
      }
    } catch (error) {
      if (error instanceof Divergence) return undefined;
      throw error;
    }
    // Past a hole the events keep their places relative to it.
    for (let k = i; k < events.length; k++) moved[k] = position + (k - i);
    this.runs[tid] = undefined;
    return { moved, length: position + (events.length - i) };
  }

  /** Drops the cached run of a thread whose events before the last one fed changed (a hole was filled and emptied again). */
  forget(tid: number): void {
    this.runs[tid] = undefined;
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
    // An event that filled a hole is not its thread's last, yet the explorer may change its value: all are checked then.
    if (last === run.lastFed && run.newestAt === fed - 1) return run.values[fed - 1] === last.value;
    for (let i = 0; i < fed; i++) if (run.values[i] !== events[i]!.value || isHole(events[i]!)) return false;
    run.lastFed = last;
    return true;
  }

  private start(tid: number): Run {
    const spec = this.model.threads[tid]!;
    const ctx = new ThreadContext(tid, spec.name, this.env);
    let gen: ThreadBody;
    const outer = enterThreadCode(ctx);
    try {
      gen = spec.body(ctx) as ThreadBody;
    } catch (e) {
      if (isModelError(e)) throw e;
      throw new ThreadFailure(tid, spec.name, undefined, 0, "threw before its first operation", thrownText(e));
    } finally {
      leaveThreadCode(outer);
    }
    if (gen === null || typeof gen !== "object" || typeof gen.next !== "function")
      throw new ModelError(`thread ${spec.name} is not a generator function: write it as function* (t) { ... }`);
    const run: Run = { gen, ctx, fed: 0, values: [], pending: { kind: "end", end: { kind: "done", result: undefined } }, opCount: 0, heldValue: undefined, lastFed: undefined, newestAt: -1, newestStamp: -1 };
    this.resume(run, tid, undefined);
    return run;
  }

  /** Matches the run's pending step against the recorded event and moves past it. */
  private feed(run: Run, tid: number, e: GraphEvent, rewrite?: (e: GraphEvent, value: Value) => void): void {
    const p = run.pending;
    if (e.stamp >= run.newestStamp) {
      run.newestStamp = e.stamp;
      run.newestAt = run.fed;
    }
    run.values[run.fed++] = e.value;
    run.lastFed = e;
    if (p.kind === "rmw-write") {
      if (rewrite !== undefined && e.kind === "W" && e.rmw === "write" && e.value !== p.value) rewrite(e, p.value);
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
      if (rewrite !== undefined && e.kind === "W" && e.loc === op.loc.id && e.value !== op.value) rewrite(e, op.value);
      if (e.kind !== "W" || e.loc !== op.loc.id || e.value !== op.value) throw this.divergence(tid, e, `a write of ${formatValue(op.value)} to ${op.loc.name}`);
      this.resume(run, tid, undefined);
    } else {
      if (e.kind !== "R" || e.loc !== op.loc.id) throw this.divergence(tid, e, `a read of ${op.loc.name}`);
      if (e.rmw === "read") {
        run.heldValue = e.value;
        const written = this.update(run, tid, op as RmwOp, e.value);
        // Values settling along a cycle (rewrite): an RMW that fails on the value its read now takes (an await's
        // predicate, an update giving nothing) writes nothing, and the graph's write half no longer fits the thread.
        if (written === undefined && rewrite !== undefined) throw this.divergence(tid, e, "an RMW that fails on the value it now reads");
        run.pending = { kind: "rmw-write", value: written };
      } else if (isWaiting(e)) {
        run.pending = { kind: "waiting" };
      } else {
        this.resume(run, tid, e.value);
      }
    }
  }

  /**
   * What an RMW read writes back: its update is thread code too, run under
   * the guard as the thread (rmwEvaluation.ts), and not run again when the
   * explorer has just run it for this operation and value.
   */
  private update(run: Run, tid: number, op: RmwOp, read: Value): Value {
    return evaluateRmw(op, read, tid, run.ctx.currentStep, run.fed, run.ctx)!;
  }

  private compareTwin(run: Run, twin: Run, tid: number): void {
    if (run.pending === twin.pending) return;
    const a = describePending(run.pending);
    const b = describePending(twin.pending);
    if (a !== b)
      throw new ModelError(
        `thread ${this.model.threads[tid]!.name} is not deterministic: run twice on the same values, it did ${a} once and ${b} the other time. ` +
          `Thread code must depend only on the values its reads return (no Math.random, Date.now, or state kept between runs).`,
      );
  }

  private divergence(tid: number, e: GraphEvent, expected: string): ModelError {
    return new Divergence(
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
    const ctx = run.ctx;
    let res: IteratorResult<Operation, unknown>;
    const outer = enterThreadCode(ctx);
    try {
      res = run.gen.next(value);
      if (res.done) {
        checkAllStarted(ctx);
        ctx.exited();
      }
    } catch (e) {
      if (isAssertionFailure(e)) {
        run.pending = { kind: "end", end: { kind: "error", message: e.message } };
        return;
      }
      if (isModelError(e)) throw e;
      throw new ThreadFailure(tid, this.model.threads[tid]!.name, ctx.currentStep, run.fed, "threw", thrownText(e));
    } finally {
      leaveThreadCode(outer);
    }
    if (res.done) {
      run.pending = { kind: "end", end: { kind: "done", result: checkResult(this.model.threads[tid]!.name, res.value) } };
      return;
    }
    const op = checkOperation(this.model.threads[tid]!, res.value);
    checkAllStarted(ctx);
    run.pending = { kind: "op", op, opIndex: run.opCount++, step: ctx.currentStep };
    ctx.operationsYielded(run.opCount);
  }
}

/** A re-run that does not issue the event the graph has. */
class Divergence extends ModelError {}

/** Whether step p issues an event of e's kind at e's location (a write's value may differ: it is rewritten). */
function issues(p: Pending, e: GraphEvent): boolean {
  if (p.kind === "rmw-write") return e.kind === "W" && e.rmw === "write";
  if (p.kind !== "op") return false;
  const op = p.op;
  if (op.kind === "fence") return e.kind === "F" && e.fence === op.fence && e.opIndex >= 0;
  // A write is taken for the graph's only when it is the same kind of access at the same place in the code (a branch
  // now taken may issue another write of the location first: that one is new, and the graph's keeps its value).
  if (op.kind === "write") return e.kind === "W" && e.rmw !== "write" && e.loc === op.loc.id && e.mode === op.mode && sameDependencyShape(e.op?.deps, op.deps);
  // A plain read and an RMW's read are different steps, whatever the graph's event read.
  return e.kind === "R" && e.loc === op.loc.id && e.op?.kind === op.kind;
}

/**
 * Whether two dependency lists name as many reads in each kind: an
 * operation run again keeps its conditions, while a write inside a branch
 * is controlled by a read one after it is not. (Reads are named by
 * operation number, which a branch taken the other way may shift.)
 */
function sameDependencyShape(a: Dependencies | undefined, b: Dependencies | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return (a.addr?.length ?? 0) === (b.addr?.length ?? 0) && (a.data?.length ?? 0) === (b.data?.length ?? 0) && (a.ctrl?.length ?? 0) === (b.ctrl?.length ?? 0);
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
    // Without a prototype, a register named `constructor` or `toString` that
    // the thread did not return reads as absent, not as an Object method.
    const result: Record<string, Value> = Object.create(null);
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== "number" && !isLoc(x))
        throw new ModelError(`thread ${thread} returned a result whose field '${k}' is not a value (integer or location)`);
      // A reference the thread read is a DerivedLoc; checks compare registers with the model's locations by ===.
      result[k] = canonicalValue(x);
    }
    return result;
  }
  throw new ModelError(`thread ${thread} returned ${String(v)}: a thread returns nothing or an object of named values`);
}

/** `t.write(x, 1)` without yield* creates the operation and drops it: nothing happens, silently, unless this says so. */
function checkAllStarted(ctx: ThreadContext): void {
  const leaked = ctx.firstUnstarted();
  if (leaked !== undefined) throw unstartedOperation(ctx, leaked);
}

function unstartedOperation(ctx: ThreadContext, op: UnstartedOperation): ModelError {
  const call = `t.${op.method}(${op.loc === undefined ? "" : `${op.loc.name}, `}...)`;
  const step = op.step === undefined ? "" : ` (step ${op.step})`;
  return new ModelError(
    `thread ${ctx.name} created ${call}${step} and never ran it: an operation happens only when the thread runs it, as \`yield* ${call}\``,
  );
}

/** What a pending step does, for comparing two runs of a thread. */
function describePending(p: Pending): string {
  if (p.kind === "waiting") return "a wait";
  if (p.kind === "rmw-write") return `the write half of an RMW of ${formatValue(p.value)}`;
  if (p.kind === "end") {
    if (p.end.kind === "error") return `a failed assertion (${p.end.message})`;
    if (p.end.kind !== "done") return "its end";
    const fields = Object.entries(p.end.result ?? {}).map(([k, v]) => `${k}: ${formatValue(v)}`);
    return fields.length === 0 ? "a return" : `a return of { ${fields.join(", ")} }`;
  }
  const op = p.op;
  if (op.kind === "fence") return `fence ${op.fence}`;
  const loc: Loc = op.loc;
  if (op.kind === "write") return `a write of ${formatValue(op.value)} to ${loc.name}`;
  return `${op.kind === "rmw" ? "an RMW" : "a read"} of ${loc.name}`;
}

export function describeEvent(e: GraphEvent): string {
  if (e.kind === "F") return `fence ${e.fence}`;
  return `${e.kind === "R" ? "a read" : "a write"} of ${formatValue(e.value)} (location #${e.loc})`;
}

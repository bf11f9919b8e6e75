// The worker's side of the watchdog (watchdog.ts): the engine bumps a shared
// beat whenever it resumes a thread and says which thread runs, and polls the
// slot where the main thread leaves a stop signal. Kept apart from the
// watching side so that a worker loads only this. A check run in the main
// thread first (mainThreadFirst.ts) has a heartbeat of its own, unshared,
// whose runner bounds each exploration's time and which runs a run that can
// be handed over one slice at a time; the worker's heartbeat then carries
// the runs handed over (handedOverRun.ts).

import { parentPort } from "node:worker_threads";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import type { HandedOverRun } from "./handedOverRun.ts";
import { STOP_SIGNALS, type StopSignal } from "./stopSignals.ts";

/**
 * Heartbeat layout: [beat, tid, events, armed, model index, signal asking
 * the worker to stop (0: none)], then a lane for each exploration worker
 * thread (check --workers): [beat, tid, events, armed while it explores].
 * The worker threads beat on the command's beat too, which keeps it going
 * while the command waits for them; a thread stuck in thread code is seen
 * on its own lane while the others still explore.
 */
export const STOP_SLOT = 5;
const LANES_AT = 6;
const LANE_SLOTS = 4;
/** Lanes watched one by one; worker threads past this many share them. */
export const LANES = 64;
export const HEARTBEAT_SLOTS = LANES_AT + LANE_SLOTS * LANES;


/** Runs the engine's synchronous work (an exploration): at once in the watched worker, within its time in the main thread (mainThreadFirst.ts). */
export type WorkRunner = <T>(work: () => T) => T;

/** How a check's runs go on in the main thread one slice at a time, and move to the worker (handedOverRun.ts). */
export interface HandOverPoint {
  /** In the main thread: runs one slice of a run that can be handed over; `work` yields, between two executions, at the time it is given. */
  readonly slice?: <T>(work: (yieldAt: number) => T) => T;
  /** In the main thread, between two slices: lets signals in, then says whether the run goes on here (else it is handed over). */
  readonly goOn?: () => Promise<boolean>;
  /** In the main thread: a run that can be handed over ended there; it is handed over as it ended should the check move. */
  readonly ended?: (run: HandedOverRun) => void;
  /** In the worker: the runs the main thread handed over. */
  readonly resumed?: readonly HandedOverRun[];
  /** In the worker: the runs an earlier worker's thread never returned from, which end as model errors (watchdog.ts). */
  readonly stuck?: readonly StuckRun[];
}

/** A run whose thread never returned to the engine: which run (`ordinal`: how many runs the check started before it), and what the watchdog said. */
export interface StuckRun {
  readonly index: number;
  readonly memoryModel: string;
  readonly ordinal: number;
  readonly message: string;
  /** How long it ran before the watchdog stopped it. */
  readonly elapsedMs: number;
}

/** The worker's side: the engine reports where it runs. */
export class Heartbeat implements RunningSite {
  private readonly runner: WorkRunner;
  private readonly resumed: HandedOverRun[];

  constructor(
    private readonly beat: Int32Array,
    runner?: WorkRunner,
    /** Where report() goes when not to the watching main thread. */
    private readonly reported?: (lines: readonly string[]) => void,
    private readonly handOver: HandOverPoint = {},
  ) {
    this.runner = runner ?? ((work) => work());
    this.resumed = [...(handOver.resumed ?? [])];
  }

  /** In the main thread: whether a run that can be handed over explores in slices (slice, goOn, ended). */
  get slicing(): boolean {
    return this.handOver.slice !== undefined;
  }

  slice<T>(work: (yieldAt: number) => T): T {
    return this.handOver.slice!(work);
  }

  goOn(): Promise<boolean> {
    return this.handOver.goOn?.() ?? Promise.resolve(false);
  }

  ended(run: HandedOverRun): void {
    this.handOver.ended?.(run);
  }

  /** In the worker: what the watchdog said of this run, if an earlier worker's thread never returned from it. */
  stuckIn(index: number, memoryModel: string): StuckRun | undefined {
    return this.handOver.stuck?.find((r) => r.index === index && r.memoryModel === memoryModel);
  }

  /** In the worker: whether the run started `ordinal`-th ran in an earlier worker before one never returned, which said its errors already. */
  ranBefore(ordinal: number): boolean {
    return (this.handOver.stuck ?? []).some((r) => ordinal < r.ordinal);
  }

  /** In the worker: the run the main thread handed over, if it is this one (once). */
  takeHandedOver(index: number, memoryModel: string): HandedOverRun | undefined {
    const at = this.resumed.findIndex((r) => r.index === index && r.memoryModel === memoryModel);
    return at < 0 ? undefined : this.resumed.splice(at, 1)[0];
  }

  /** Runs an exploration: the command calls it so that the main thread can bound it. */
  run<T>(work: () => T): T {
    return this.runner(work);
  }

  /** The shared array, for exploration worker threads (check --workers) to beat on too. */
  get buffer(): SharedArrayBuffer {
    return this.beat.buffer as SharedArrayBuffer;
  }

  get tid(): number {
    return this.beat[1]!;
  }

  set tid(t: number) {
    this.beat[1] = t;
    this.beat[0]!++;
  }

  get events(): number {
    return this.beat[2]!;
  }

  set events(n: number) {
    this.beat[2] = n;
  }

  busy(): void {
    this.beat[0]!++;
  }

  /** Set once the user asked the run to stop (SIGINT, SIGTERM): the reason, which the exploration budget polls. */
  interruption(): string | undefined {
    const signal = this.stopSignal();
    return signal === undefined ? undefined : `interrupted by ${signal}`;
  }

  /** The exit code of a run that stopped because it was asked to (130 for SIGINT, 143 for SIGTERM). */
  interruptedExitCode(): number | undefined {
    const signal = this.stopSignal();
    return signal === undefined ? undefined : 128 + STOP_SIGNALS[signal];
  }

  private stopSignal(): StopSignal | undefined {
    const n = Atomics.load(this.beat, STOP_SLOT);
    if (n === 0) return undefined;
    return (Object.keys(STOP_SIGNALS) as StopSignal[]).find((k) => STOP_SIGNALS[k] === n) ?? "SIGINT";
  }

  /** What the run found so far, one line each, for the main thread to print should the worker die before its summary (out of heap). */
  report(lines: readonly string[]): void {
    if (this.reported !== undefined) this.reported(lines);
    else parentPort?.postMessage({ soFar: lines });
  }

  /** Arms the watchdog while model `index` is explored. */
  watch(index: number): void {
    this.beat[4] = index;
    Atomics.store(this.beat, 3, 1);
  }

  idle(): void {
    Atomics.store(this.beat, 3, 0);
  }
}

/** How far a thread the watchdog stopped had got, from the beat's count of its events: "after 4 events of its own". */
export function eventsIssued(n: number): string {
  return `after ${n} event${n === 1 ? "" : "s"} of its own`;
}

/** Where lane `lane`'s slots begin. */
export function laneAt(lane: number): number {
  return LANES_AT + LANE_SLOTS * (lane % LANES);
}

/**
 * An exploration worker thread's beat: on its own lane, with the thread it
 * runs; on the command's beat, only to keep it going (the command's thread
 * and events stay the command's own, for when it is the one stuck).
 */
export class LaneBeat implements RunningSite {
  private readonly at: number;

  constructor(
    private readonly beat: Int32Array,
    lane: number,
  ) {
    this.at = laneAt(lane);
  }

  get tid(): number {
    return this.beat[this.at + 1]!;
  }

  set tid(t: number) {
    this.beat[this.at + 1] = t;
    this.busy();
  }

  get events(): number {
    return this.beat[this.at + 2]!;
  }

  set events(n: number) {
    this.beat[this.at + 2] = n;
  }

  busy(): void {
    this.beat[this.at]!++;
    this.beat[0]!++;
  }

  /** Whether the thread is exploring (a unit under way), when a beat that stops means it is stuck. */
  exploring(on: boolean): void {
    Atomics.store(this.beat, this.at + 3, on ? 1 : 0);
  }
}

// The worker thread a `pagerace worker` process explores its jobs on
// (bin/worker.mjs as an exploration worker, the same thread `check
// --workers` uses). Exploration is synchronous; in its own thread it leaves
// the process's event loop free to renew the job's lock with BullMQ (else
// a long subtree would look stalled), and it can be asked, at a choice
// boundary, to yield (what is left goes back to the queue) or to abandon.
// The thread beats on a heartbeat as the engine runs model threads (as
// `check`'s threads beat on its watchdog's): thread code that stops
// returning to the engine for the watchdog's time is stopped here, the
// thread replaced, and the run fails with a model error, as `check` would.
//
// A job's subtrees are explored one after the other, each chain of them
// (chainAt) as one unit that replays its path once. At the end of each
// time slice the worker asks whether to hand work back (no job is waiting:
// some worker may be idle); if not, it explores on. What a yield leaves is
// a range per depth of the current path, the shallowest one the largest:
// that range becomes one job, and the rest (the deeper ranges and the
// subtrees not started) another, so a split makes two jobs, not dozens of
// small ones.

import { Worker } from "node:worker_threads";
import { addTallies, type Tally } from "../explore/explorationTally.ts";
import { ask, REQUEST } from "../explore/subtreeCursor.ts";
import type { SubtreeRunOptions } from "../explore/subtreeRun.ts";
import type { FromWorker, ToWorker } from "../explore/subtreeWorker.ts";
import { chainAt, type Subtree } from "../explore/subtree.ts";
import { EXPLORING_STACK_MB, workerScript } from "../cli/workerScript.ts";
import { eventsIssued, HEARTBEAT_SLOTS, laneAt } from "../cli/heartbeat.ts";

/** A failure the thread reported, or the watchdog's: `stuck` names the model thread that stopped returning to the engine. */
export type ThreadFailure = Extract<FromWorker, { type: "failure" }> & { readonly stuck?: StuckThread };

/** A model thread the watchdog stopped: its index in the model, its events so far, and the limit (ms). */
export interface StuckThread {
  readonly tid: number;
  readonly events: number;
  readonly limitMs: number;
}

/** The watchdog's message, in `check`'s words, the thread named when its name is known. */
export function stuckMessage(s: StuckThread, name = `model thread ${s.tid}`): string {
  return `${name} did not return to the engine within ${s.limitMs / 1000} s (${eventsIssued(s.events)}): a loop with no yield? Every shared access must be a yield* of the thread context.`;
}

export interface SliceRequest {
  readonly source: unknown;
  readonly options: SubtreeRunOptions;
  readonly subtrees: readonly Subtree[];
  /** How long to explore before asking handBack (ms). */
  readonly sliceMs: number;
  /** Asked at the end of each time slice: whether to yield now. */
  readonly handBack: () => Promise<boolean>;
  /** Polled a few times a second: true once the run has stopped, and the rest of the job is not wanted. */
  readonly stopped: () => Promise<boolean>;
}

/** What a job's exploration counted, and what it left as the subtrees of new jobs. */
export interface SliceOutcome {
  readonly tally: Tally;
  readonly children: readonly (readonly Subtree[])[];
  readonly halted: "yielded" | "abandoned" | null;
  readonly stoppedAtViolation: boolean;
  readonly bounded: string | null;
}

/** The thread beats on the first lane of a heartbeat laid out as the command's (heartbeat.ts): the beat, then its thread and events. */
const LANE = laneAt(0);

export class ExplorationThread {
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private readonly beat = new Int32Array(new SharedArrayBuffer(HEARTBEAT_SLOTS * 4));
  private worker: Worker;
  private next = 1;
  /** The job under way's timers and requests, if any. */
  private current: Slices | undefined;

  /** `watchdogMs`: how long model thread code may run without returning to the engine. */
  constructor(private readonly watchdogMs: number) {
    this.worker = this.start();
  }

  private start(): Worker {
    return new Worker(workerScript(), { workerData: { kind: "subtrees", control: this.control.buffer, beat: this.beat.buffer, lane: 0 }, resourceLimits: { stackSizeMb: EXPLORING_STACK_MB } });
  }

  /** Explores the job's subtrees until they are done or handed back: what it counted and left, or the failure it met. */
  async explore(r: SliceRequest): Promise<SliceOutcome | ThreadFailure> {
    let request = 0; // what was asked, kept here too: a request asked between two subtrees applies to the next one
    const slices = new Slices(r, (bits) => {
      request |= bits;
      ask(this.control, bits);
    });
    this.current = slices;
    let tally: Tally | undefined;
    try {
      // Chains of the job's subtrees (chainAt), each one unit: its path is replayed once, not once per subtree.
      for (let i = 0; i < r.subtrees.length; ) {
        if (request !== 0) {
          const rest = r.subtrees.slice(i);
          return { tally: tally!, children: request & REQUEST.abandon ? [] : [rest], halted: request & REQUEST.abandon ? "abandoned" : "yielded", stoppedAtViolation: false, bounded: null };
        }
        const chain = chainAt(r.subtrees, i);
        i += chain.length;
        const out = await this.unit(r, chain);
        if ("type" in out) return out;
        tally = tally === undefined ? out.tally : addTallies(tally, out.tally, r.options.keepViolations);
        if (out.halted !== null || out.stoppedAtViolation || out.bounded !== null) {
          const left = out.left;
          const rest = [...left.slice(0, -1), ...r.subtrees.slice(i)];
          const children = out.halted === "yielded" ? [left.slice(-1), ...(rest.length > 0 ? [rest] : [])].filter((c) => c.length > 0) : [];
          return { tally, children, halted: out.halted, stoppedAtViolation: out.stoppedAtViolation, bounded: out.bounded };
        }
      }
      return { tally: tally!, children: [], halted: null, stoppedAtViolation: false, bounded: null };
    } finally {
      slices.end();
      this.current = undefined;
    }
  }

  /** Asks the job under way to yield now (the worker is stopping): what it did is committed, what it left goes back to the queue. */
  handOver(): void {
    this.current?.yieldNow();
  }

  /** One chain of subtrees on the thread. */
  private unit(r: SliceRequest, chain: readonly Subtree[]): Promise<Extract<FromWorker, { type: "done" }>["outcome"] | ThreadFailure> {
    const id = this.next++;
    Atomics.store(this.control, 0, 0);
    return new Promise((resolve) => {
      let last = Atomics.load(this.beat, 0);
      let since = Date.now();
      const watchdog = setInterval(() => {
        const now = Atomics.load(this.beat, 0);
        if (now !== last) {
          last = now;
          since = Date.now();
          return;
        }
        if (Date.now() - since < this.watchdogMs) return;
        end();
        const stuck: StuckThread = { tid: Atomics.load(this.beat, LANE + 1), events: Atomics.load(this.beat, LANE + 2), limitMs: this.watchdogMs };
        void this.worker.terminate();
        this.worker = this.start();
        resolve({ type: "failure", id, message: stuckMessage(stuck), path: null, modelError: true, stuck });
      }, 100);
      const end = () => {
        clearInterval(watchdog);
        this.worker.off("message", onMessage);
        this.worker.off("error", onError);
      };
      const onMessage = (m: FromWorker) => {
        if (m.id !== id) return;
        if (m.type === "done") {
          end();
          resolve(m.outcome);
        } else if (m.type === "failure") {
          end();
          resolve(m);
        }
      };
      // The thread itself died (its heap, say): a failure of the run, which cannot be counted whole.
      const onError = (e: Error) => {
        end();
        this.worker = this.start();
        resolve({ type: "failure", id, message: `an exploration worker failed: ${e.message}`, path: null, modelError: false });
      };
      this.worker.on("message", onMessage);
      this.worker.on("error", onError);
      this.worker.postMessage({ type: "unit", id, source: r.source, options: r.options, subtrees: chain } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: "close" } satisfies ToWorker);
    await this.worker.terminate();
  }
}

/** The timers of one job: the end of each time slice, and the poll of the run's stop mark. */
class Slices {
  private slice: NodeJS.Timeout | undefined;
  private readonly poll: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly r: SliceRequest,
    private readonly ask: (bits: number) => void,
  ) {
    this.arm();
    let polling = false;
    this.poll = setInterval(() => {
      if (polling) return;
      polling = true;
      r.stopped()
        .then((stop) => stop && this.ask(REQUEST.abandon))
        .catch(() => {})
        .finally(() => (polling = false));
    }, 200);
  }

  private arm(): void {
    this.slice = setTimeout(() => {
      this.r
        .handBack()
        .catch(() => true)
        .then((yieldNow) => {
          if (this.ended) return;
          if (yieldNow) this.ask(REQUEST.yield);
          else this.arm();
        });
    }, this.r.sliceMs);
  }

  yieldNow(): void {
    if (!this.ended) this.ask(REQUEST.yield);
  }

  end(): void {
    this.ended = true;
    clearTimeout(this.slice);
    clearInterval(this.poll);
  }
}

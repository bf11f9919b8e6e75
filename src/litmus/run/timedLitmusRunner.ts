// Runs litmus files one at a time in a worker thread, with a time limit per
// test. Exploration is synchronous and a slow test gives no chance to stop
// it from inside, so when a test overruns, the worker is terminated, the
// test is reported as a timeout, and the next test gets a fresh worker.
// Tests within the limit share one worker (and its warmed-up JIT).

import { Worker } from "node:worker_threads";
import type { LitmusRun } from "./runLitmus.ts";
import type { Strategy } from "../../explore/explore.ts";

export type TimedLitmusResult =
  | { readonly kind: "run"; readonly run: LitmusRun }
  /** The test cannot run: `message` says where and why; `line` and `column` repeat where, when the test was read. */
  | { readonly kind: "malformed" | "unsupported" | "unreadable"; readonly message: string; readonly line?: number; readonly column?: number }
  /** pagerace itself failed on the test. */
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "timeout"; readonly seconds: number };

export interface LitmusRequest {
  readonly id: number;
  readonly file: string;
  readonly shownAs: string;
  readonly model: string;
  readonly strategy?: Strategy;
  /** A time limit the run keeps itself (ended incomplete, with what it explored), besides the runner's own. */
  readonly timeLimitMs?: number;
}

/** What the worker posts once loaded. */
export const READY = "pagerace-litmus-worker-ready";

export interface LitmusResponse {
  readonly id: number;
  readonly result: TimedLitmusResult;
}

interface StartedWorker {
  readonly worker: Worker;
  /** Settles once the worker has loaded pagerace (false: it died first), so loading is not charged to a test. */
  readonly ready: Promise<boolean>;
}

/** A worker running `script` (bin/worker.mjs), which serves litmus requests (litmusWorker.ts). */
function startWorker(script: URL, stackSizeMb: number | undefined): StartedWorker {
  const worker = new Worker(script, { workerData: { kind: "litmus" }, ...(stackSizeMb === undefined ? {} : { resourceLimits: { stackSizeMb } }) });
  const ready = new Promise<boolean>((resolve) => {
    const onMessage = (m: unknown): void => {
      if (m === READY) settle(true);
    };
    const settle = (ok: boolean): void => {
      worker.off("message", onMessage);
      worker.off("error", onFailure);
      worker.off("exit", onFailure);
      resolve(ok);
    };
    const onFailure = (): void => settle(false);
    worker.on("message", onMessage);
    worker.once("error", onFailure);
    worker.once("exit", onFailure);
  });
  return { worker, ready };
}

export class TimedLitmusRunner {
  private started: StartedWorker | undefined;
  private nextId = 0;

  constructor(
    private readonly limitMs: number,
    /** The worker entry script (bin/worker.mjs). */
    private readonly script: URL,
    /** The worker's stack (Node's default when undefined). */
    private readonly stackSizeMb?: number,
  ) {}

  /** `timeLimitMs`: a limit the run keeps itself, ending incomplete with what it explored, before this runner's own. */
  async run(file: string, shownAs: string, model: string, strategy?: Strategy, timeLimitMs?: number): Promise<TimedLitmusResult> {
    const started = (this.started ??= startWorker(this.script, this.stackSizeMb));
    if (!(await started.ready)) {
      this.started = undefined;
      return { kind: "failed", message: "the litmus worker failed to start" };
    }
    const worker = started.worker;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const done = (result: TimedLitmusResult): void => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolve(result);
      };
      const onMessage = (m: LitmusResponse): void => {
        if (m.id === id) done(m.result);
      };
      const onError = (e: Error): void => {
        this.started = undefined;
        done({ kind: "failed", message: e.message });
      };
      const onExit = (code: number): void => {
        this.started = undefined;
        done({ kind: "failed", message: `worker exited with code ${code}` });
      };
      const timer = setTimeout(() => {
        this.started = undefined;
        worker.off("exit", onExit);
        void worker.terminate();
        done({ kind: "timeout", seconds: this.limitMs / 1000 });
      }, this.limitMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      const request: LitmusRequest = { id, file, shownAs, model, strategy, timeLimitMs };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    if (started !== undefined) await started.worker.terminate();
  }
}

// Progress of a long exploration on stderr: rewritten in place on a
// terminal; otherwise (CI logs, a pipe) a first line once a run has taken
// a couple of seconds, then one every few seconds. The load-buffering
// pre-check, which can take most of an LKMM run, reports as a phase.

import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { Progress } from "../explore/executionRecorder.ts";

// In the watched worker (watchdog.ts) stderr is the main thread's: a worker
// busy exploring never gets to flush its own stream, so text goes as messages.
const toStderr = (text: string): void => {
  if (isMainThread || parentPort === null) process.stderr.write(text);
  else parentPort.postMessage({ progress: text });
};
const stderrIsTTY = (): boolean =>
  isMainThread ? process.stderr.isTTY === true : (workerData as { stderrIsTTY?: boolean } | null)?.stderrIsTTY === true;

/** A short run prints nothing on a log; a long one says so within this long. */
const FIRST_LINE_MS = 2000;
const LINE_EVERY_MS = 5000;

export class ProgressLine {
  private shown = false;
  private lastLine = -Infinity;

  constructor(private readonly silent: boolean) {}

  show(label: string, p: Progress): void {
    if (this.silent) return;
    const elapsed = `${(p.elapsedMs / 1000).toFixed(1)} s`;
    const text =
      p.phase !== undefined
        ? `${label}: ${p.phase}, ${elapsed}`
        : `${label}: ${p.executions.toLocaleString("en-US")} executions, ${p.blocked.toLocaleString("en-US")} blocked, ${Math.round(p.perSecond).toLocaleString("en-US")}/s, ${elapsed}`;
    if (stderrIsTTY()) {
      toStderr(`\r${text}\u001b[K`);
      this.shown = true;
    } else if (p.elapsedMs >= FIRST_LINE_MS && p.elapsedMs - this.lastLine >= LINE_EVERY_MS) {
      this.lastLine = p.elapsedMs;
      toStderr(text + "\n");
    }
  }

  /** A run begins: on a terminal, its label at once (a log gets a line only once a run has taken a while). */
  starting(label: string): void {
    if (this.silent || !stderrIsTTY()) return;
    toStderr(`\r${label}: starting\u001b[K`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) toStderr("\r\u001b[K");
    this.shown = false;
    this.lastLine = -Infinity;
  }
}

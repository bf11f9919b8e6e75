// Progress of a long exploration on stderr: rewritten in place on a
// terminal; otherwise (CI logs, a pipe) a first line once a run has taken
// a couple of seconds, then one every few seconds. The load-buffering
// pre-check, which can take most of an LKMM run, reports as a phase.

import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { Progress } from "../explore/executionRecorder.ts";

// In the watched worker (watchdog.ts) stderr is the main thread's: a worker
// busy exploring never gets to flush its own stream, so text goes as messages.
const toStderr = (text: string): void => {
  if (isMainThread || parentPort === null) (mainThreadProgress ?? ((t) => process.stderr.write(t)))(text);
  else parentPort.postMessage({ progress: text });
};

/** Where progress goes in the main thread while the rest of a command's output is held back (mainThreadFirst.ts). */
let mainThreadProgress: ((text: string) => void) | undefined;

export function sendProgressTo(write: ((text: string) => void) | undefined): void {
  mainThreadProgress = write;
}
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
    const tty = stderrIsTTY();
    // Numbers are formatted for the locale only for a line that is printed: the first such call costs milliseconds.
    if (!tty && !(p.elapsedMs >= FIRST_LINE_MS && p.elapsedMs - this.lastLine >= LINE_EVERY_MS)) return;
    const elapsed = `${(p.elapsedMs / 1000).toFixed(1)} s`;
    const text =
      p.phase !== undefined
        ? `${label}: ${p.phase}, ${elapsed}`
        : `${label}: ${p.executions.toLocaleString("en-US")} executions, ${p.blocked.toLocaleString("en-US")} blocked, ${Math.round(p.perSecond).toLocaleString("en-US")}/s, ${elapsed}${alongText(p)}`;
    if (tty) {
      toStderr(`\r${text}\u001b[K`);
      this.shown = true;
    } else {
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

/**
 * How far along a run is by its estimated size: ", ~37%, ETA 1 min 10 s".
 * The estimate is a random sample's mean, so past it the run only says
 * that it is beyond the estimate.
 */
export function alongText(p: Progress): string {
  if (p.expected === undefined || !(p.expected > 0)) return "";
  const explored = p.explored ?? p.executions + p.blocked;
  if (explored >= p.expected) return ", past the estimated size";
  const percent = Math.floor((100 * explored) / p.expected);
  const eta = p.perSecond > 0 ? `, ETA ${durationText((p.expected - explored) / p.perSecond)}` : "";
  return `, ~${percent}%${eta}`;
}

function durationText(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

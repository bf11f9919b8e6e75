// Progress of a long exploration on stderr: rewritten in place on a
// terminal, a line every few seconds otherwise (CI logs).

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

export class ProgressLine {
  private shown = false;
  private lastLine = 0;

  constructor(private readonly silent: boolean) {}

  show(model: string, p: Progress): void {
    if (this.silent) return;
    const text = `${model}: ${p.executions.toLocaleString("en-US")} executions, ${p.blocked.toLocaleString("en-US")} blocked, ${Math.round(p.perSecond).toLocaleString("en-US")}/s, ${(p.elapsedMs / 1000).toFixed(1)} s`;
    if (stderrIsTTY()) {
      toStderr(`\r${text}\u001b[K`);
      this.shown = true;
    } else if (p.elapsedMs - this.lastLine >= 5000) {
      this.lastLine = p.elapsedMs;
      toStderr(text + "\n");
    }
  }

  clear(): void {
    if (this.shown) toStderr("\r\u001b[K");
    this.shown = false;
    this.lastLine = 0;
  }
}

// Progress of a long exploration on stderr: rewritten in place on a
// terminal, a line every few seconds otherwise (CI logs).

import type { Progress } from "../explore/executionRecorder.ts";

export class ProgressLine {
  private shown = false;
  private lastLine = 0;

  constructor(private readonly silent: boolean) {}

  show(model: string, p: Progress): void {
    if (this.silent) return;
    const text = `${model}: ${p.executions.toLocaleString("en-US")} executions, ${p.blocked.toLocaleString("en-US")} blocked, ${Math.round(p.perSecond).toLocaleString("en-US")}/s, ${(p.elapsedMs / 1000).toFixed(1)} s`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${text}\u001b[K`);
      this.shown = true;
    } else if (p.elapsedMs - this.lastLine >= 5000) {
      this.lastLine = p.elapsedMs;
      process.stderr.write(text + "\n");
    }
  }

  clear(): void {
    if (this.shown) process.stderr.write("\r\u001b[K");
    this.shown = false;
    this.lastLine = 0;
  }
}

// How wide a trace may be drawn: `--width N` when given, else the terminal's
// width, else 100 (output to a file or a pipe, or a terminal that does not
// say). Commands that run in a worker thread see no terminal of their own:
// there the width is what the main thread put in workerData.stdoutColumns,
// if it did.

import { isMainThread, workerData } from "node:worker_threads";

export const DEFAULT_TRACE_WIDTH = 100;

export function terminalWidth(override?: number): number {
  if (override !== undefined) return override;
  const columns = isMainThread ? process.stdout.columns : (workerData as { stdoutColumns?: number } | null)?.stdoutColumns;
  return typeof columns === "number" && columns > 0 ? columns : DEFAULT_TRACE_WIDTH;
}

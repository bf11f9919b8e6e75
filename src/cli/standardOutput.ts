// Text for stdout from a command that may run in the watched worker
// (watchdog.ts). A worker's own process.stdout reaches the terminal only
// when its event loop runs, and an exploring worker's loop does not run
// until the command ends: rows streamed that way would all arrive at the
// end. Posted as messages instead, the main thread writes them as they come,
// in order with the progress text that goes the same way (progressLine.ts).

import { isMainThread, parentPort } from "node:worker_threads";

export function toStdout(text: string): void {
  if (isMainThread || parentPort === null) process.stdout.write(text);
  else parentPort.postMessage({ stdout: text });
}

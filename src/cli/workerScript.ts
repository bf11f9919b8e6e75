// bin/worker.mjs, the entry of every worker thread, seen from the sources
// (src/cli) or from the bundle (dist).

import { existsSync } from "node:fs";

export function workerScript(): URL {
  const fromBundle = new URL("../bin/worker.mjs", import.meta.url);
  return existsSync(fromBundle) ? fromBundle : new URL("../../bin/worker.mjs", import.meta.url);
}

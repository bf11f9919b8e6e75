// bin/worker.mjs, the entry of every worker thread. This file runs from
// src/cli (PAGERACE_FROM_SOURCE) or from its compiled copy in dist/cli, both
// two levels below the package root.

export function workerScript(): URL {
  return new URL("../../bin/worker.mjs", import.meta.url);
}

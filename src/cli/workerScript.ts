// bin/worker.mjs, the entry of every worker thread. This file runs from
// src/cli (PAGERACE_FROM_SOURCE) or from its compiled copy in dist/cli, both
// two levels below the package root.

export function workerScript(): URL {
  return new URL("../../bin/worker.mjs", import.meta.url);
}

/**
 * The stack of a worker thread that explores. The optimal explorer recurses
 * once per choice along a path, revisits included: Node's default (4 MB)
 * holds paths of some tens of thousands of events, this a hundred times
 * more (reserved, not used, until a path goes that deep).
 */
export const EXPLORING_STACK_MB = 512;

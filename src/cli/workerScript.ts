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

/** V8's message for a recursion past the stack: a run that says it was cut short so is run again on such a worker's. */
export const STACK_OVERFLOW = "Maximum call stack size exceeded";

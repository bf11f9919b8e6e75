// What the optimal explorer asks before it enters a choice, when a caller
// confines it to part of its tree: subtreeCursor.ts keeps a run inside one
// subtree (a prefix of guided choices, then a range of choices at the next
// depth) and hands choices it will not explore to other workers.

import type { ExecutionRecorder } from "./executionRecorder.ts";

export interface ChoiceGate {
  /**
   * Whether to enter choice `c` at depth `path.length`, `path` being the
   * choices taken from the root to the current graph. Everything the run
   * counted so far is in `recorder`: a gate that hands the rest of its
   * subtree off can say exactly how much of it is done.
   */
  admits(path: readonly number[], c: number, recorder: ExecutionRecorder): boolean;
}

// Lock words: locations written only by lock acquisitions and by their
// holders' releases. A lock acquisition is an await-RMW that succeeds on
// the location's initial value (the unlocked value) alone and writes
// another; a release is a plain write of the unlocked value by a thread
// whose last write to the location was its own acquisition. In every
// consistent graph the coherence order of such a word alternates: each
// acquisition reads the unlocked value written right before it, and is
// followed, if by anything, by its holder's release. The optimal explorer
// relies on that to take a lock acquisition that a revisit made wait out
// of the graph and issue it again (see its reissue).

import type { GraphEvent } from "../graph/event.ts";
import type { Value } from "../program/value.ts";

/**
 * Whether write `events[i]` of a thread, to a location whose unlocked
 * value is `unlocked`, is a lock acquisition or its holder's release. The
 * acquisition's read half, events[i - 1], read the unlocked value; that
 * the acquisition succeeds on no other value is for the caller to see
 * (isLockAcquisitionRead).
 */
export function isLockWrite(events: readonly GraphEvent[], i: number, unlocked: Value): boolean {
  const e = events[i]!;
  if (e.rmw === "write") {
    const op = e.op;
    return op?.kind === "rmw" && op.until !== undefined && events[i - 1]!.value === unlocked && e.value !== unlocked;
  }
  if (e.value !== unlocked) return false;
  for (let k = i - 1; k >= 0; k--) {
    const before = events[k]!;
    if (before.kind === "W" && before.loc === e.loc) return before.rmw === "write";
  }
  return false;
}

/**
 * Whether read `r` (given its value) keeps its location a lock word: an
 * await-RMW's read succeeds exactly when it reads the unlocked value. (Any
 * other read writes nothing, or its RMW's write is no lock write.)
 */
export function isLockAcquisitionRead(r: GraphEvent, unlocked: Value): boolean {
  const op = r.op;
  if (op?.kind !== "rmw" || op.until === undefined) return true;
  return (r.rmw === "read") === (r.value === unlocked);
}

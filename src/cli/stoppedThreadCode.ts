// Thread code stopped from outside (boundedSlice.ts) never reaches the
// runtime's leaveThreadCode: the determinism guard still takes the thread
// for running, and the clock and Math.random go on throwing for whatever
// this thread does next. Leaving each stretch of thread code the stop cut
// short puts them back; the guard's Date, which is swapped for the real one
// exactly when the outermost stretch is left, says when that is done.

import { leaveThreadCode } from "../runtime/determinismGuard.ts";

/** The real constructor: this module loads before any thread code runs. */
const RealDate = Date;

/** Stretches of thread code inside one another that one stop may have cut short, at most: a bound on a loop that must end. */
const MAX_NESTING = 1000;

export function leaveStoppedThreadCode(): void {
  for (let i = 0; globalThis.Date !== RealDate && i < MAX_NESTING; i++) leaveThreadCode(undefined);
}

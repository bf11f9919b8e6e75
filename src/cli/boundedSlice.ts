// The main thread's work, bounded in time (src/runtime/timeBound.ts): work
// that does not return within its time is to be done again elsewhere,
// which HandOver asks for.

import type { HandedOverRun } from "./handedOverRun.ts";
import { TimedOut, withinTime } from "../runtime/timeBound.ts";

/**
 * The work did not end within its time, or is not to go on here: it is to
 * be done elsewhere (mainThreadFirst.ts), each of `runs` from where it
 * stands (ended, or under way), the rest again from the start.
 */
export class HandOver extends Error {
  constructor(readonly runs: readonly HandedOverRun[] = []) {
    super("the work did not end within the main thread's time");
    this.name = "HandOver";
  }
}

export function isHandOver(e: unknown): boolean {
  return e instanceof HandOver;
}

/** `work()`, or HandOver when it has not returned within `ms`. */
export function runWithin<T>(ms: number, work: () => T): T {
  try {
    return withinTime(ms, work);
  } catch (e) {
    if (e instanceof TimedOut) throw new HandOver();
    throw e;
  }
}

// Synchronous work with a bound on its time, kept by V8's own watchdog: a
// native thread that stops the running script when the time is up, whatever
// it does (thread code that never yields included), at no cost to the work
// itself. The bound comes from node:vm, which offers it only to a script it
// runs: the work is called from a one-line script. Bounds nest: an outer
// bound that runs out inside an inner one stops both. What stopped work
// leaves behind is not to be trusted, and thread code it stopped must be
// left (leaveStoppedThreadCode). (The clock may not be read where TimedOut
// is caught inside thread code's reach: the work may have been stopped in
// thread code, where reading it throws.)

import { Script } from "node:vm";
import { fileURLToPath } from "node:url";

/** The work did not return within its time. */
export class TimedOut extends Error {
  constructor() {
    super("the work did not return within its time");
    this.name = "TimedOut";
  }
}

const WORK = Symbol.for("pagerace.boundedWork");

/** Named as this file, so that a stack's frame of it counts as pagerace's own (thrownAt.ts skips those). */
let caller: Script | undefined;

/** `work()`, or TimedOut when it has not returned within `ms`. */
export function withinTime<T>(ms: number, work: () => T): T {
  if (ms < 1) throw new TimedOut();
  caller ??= new Script(`globalThis[Symbol.for("pagerace.boundedWork")]()`, { filename: fileURLToPath(import.meta.url) });
  const slots = globalThis as Record<symbol, unknown>;
  const outer = slots[WORK];
  slots[WORK] = work;
  try {
    // displayErrors off: an error of the work's own passes through with its stack as it was.
    return caller.runInThisContext({ timeout: Math.ceil(ms), displayErrors: false }) as T;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new TimedOut();
    throw e;
  } finally {
    slots[WORK] = outer;
  }
}

// Synchronous work with a bound on its time, kept by V8's own watchdog: a
// native thread that stops the running script when the time is up, whatever
// it does (a model thread that never yields included), at no cost to the
// work itself. The bound comes from node:vm, which offers it only to a
// script it runs: the work is called from a one-line script. What the
// stopped work leaves behind is not to be trusted: it must be done again
// elsewhere, which HandOver asks for. (The clock may not be read here: the
// work may have been stopped inside thread code, where reading it throws.)

import { Script } from "node:vm";
import { fileURLToPath } from "node:url";
import type { HandedOverRun } from "./handedOverRun.ts";

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

const WORK = Symbol.for("pagerace.boundedWork");

/** Named as this file, so that a stack's frame of it counts as pagerace's own (thrownAt.ts skips those). */
let caller: Script | undefined;

/** `work()`, or HandOver when it has not returned within `ms`. */
export function runWithin<T>(ms: number, work: () => T): T {
  if (ms < 1) throw new HandOver();
  caller ??= new Script(`globalThis[Symbol.for("pagerace.boundedWork")]()`, { filename: fileURLToPath(import.meta.url) });
  const slots = globalThis as Record<symbol, unknown>;
  const outer = slots[WORK];
  slots[WORK] = work;
  try {
    // displayErrors off: an error of the work's own passes through with its stack as it was.
    return caller.runInThisContext({ timeout: Math.ceil(ms), displayErrors: false }) as T;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new HandOver();
    throw e;
  } finally {
    slots[WORK] = outer;
  }
}

// While thread code runs, the sources of nondeterminism a model could reach
// for (Math.random, the clock, crypto's randomness) throw a ModelError
// naming the thread and its step. Thread code must be a function of the
// values its reads return: the runtime re-runs it to rebuild executions, and
// a model that draws a random number may take one branch in one run and
// another in the next. Catching the call itself makes the report
// deterministic, where waiting for a re-run to diverge finds it by luck.
//
// This runs around every resumption of a thread, so it must cost next to
// nothing. Swapping five globals in and out per resumption cost 100-200 ns
// (writes to host objects such as `performance` are slow), about a tenth of
// the explorer's time. So the function-valued globals are replaced once, by
// functions that throw while thread code runs and call the real ones
// otherwise; entering and leaving thread code only sets which thread runs.
// `new Date()` cannot be caught that way (the constructor reads the clock
// itself), so the global `Date` is swapped per stretch of thread code, one
// write in and one out, and is the real constructor whenever engine or user
// code outside threads runs.

import { ModelError } from "./modelError.ts";

/** The thread whose code is running, for the message. */
export interface RunningThread {
  readonly name: string;
  readonly currentStep: string | undefined;
}

const RealDate = Date;

let running: RunningThread | undefined;
/** Nesting: thread code that explores a model of its own runs the guard inside the guard. */
let depth = 0;

function forbidden(what: string): ModelError {
  const t = running;
  const who = t === undefined ? "thread code" : `thread ${t.name}`;
  const step = t?.currentStep === undefined ? "" : ` (step ${t.currentStep})`;
  return new ModelError(`${who} called ${what}${step}: thread code must be a deterministic function of the values its reads return`);
}

/** `new Date()` and `Date()` read the clock; `new Date(ms)`, `Date.UTC` and `Date.parse` do not. */
const GuardedDate = function (this: unknown, ...args: unknown[]) {
  if (new.target === undefined) throw forbidden("Date()");
  if (args.length === 0) throw forbidden("new Date()");
  return Reflect.construct(RealDate, args, new.target === GuardedDate ? RealDate : new.target);
} as unknown as DateConstructor;
Object.defineProperties(GuardedDate, {
  prototype: { value: RealDate.prototype },
  UTC: { value: RealDate.UTC },
  parse: { value: RealDate.parse },
});

/** Replaces `owner[key]` by a function that throws while thread code runs and otherwise is the original. */
function guard(owner: object | undefined, key: string, what: string): void {
  if (owner === undefined || owner === null) return;
  const real = (owner as Record<string, unknown>)[key];
  if (typeof real !== "function") return;
  const guarded = function (this: unknown, ...args: unknown[]) {
    if (running !== undefined) throw forbidden(what);
    return Reflect.apply(real, this, args);
  };
  Object.defineProperty(guarded, "name", { value: real.name });
  (owner as Record<string, unknown>)[key] = guarded;
}

let installed = false;

function install(): void {
  installed = true;
  guard(Math, "random", "Math.random");
  guard(RealDate, "now", "Date.now");
  Object.defineProperty(GuardedDate, "now", { value: RealDate.now });
  guard(typeof performance === "object" ? performance : undefined, "now", "performance.now");
  const crypto = (globalThis as { crypto?: object }).crypto;
  guard(crypto, "getRandomValues", "crypto.getRandomValues");
  guard(crypto, "randomUUID", "crypto.randomUUID");
}

/**
 * Marks the start of a stretch of thread code: the nondeterministic globals
 * throw until the matching leaveThreadCode (call it in a finally). Two calls
 * rather than one taking a closure: this runs on every resumption of a thread.
 */
export function enterThreadCode(thread: RunningThread): RunningThread | undefined {
  if (!installed) install();
  const outer = running;
  running = thread;
  if (depth++ === 0) globalThis.Date = GuardedDate;
  return outer;
}

export function leaveThreadCode(outer: RunningThread | undefined): void {
  if (--depth === 0) globalThis.Date = RealDate;
  running = outer;
}

/**
 * Leaves every stretch of thread code at once: for thread code stopped from
 * outside (a time bound, see src/runtime/timeBound.ts),
 * which never reached its leaveThreadCode calls.
 */
export function leaveStoppedThreadCode(): void {
  depth = 0;
  running = undefined;
  globalThis.Date = RealDate;
}

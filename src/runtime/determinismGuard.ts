// While thread code runs, the sources of nondeterminism a model could reach
// for (Math.random, the clock, crypto's randomness) throw a ModelError
// naming the thread and its step. Thread code must be a function of the
// values its reads return: the runtime re-runs it to rebuild executions, and
// a model that draws a random number may take one branch in one run and
// another in the next. Catching the call itself makes the report
// deterministic, where waiting for a re-run to diverge finds it by luck.
//
// The globals are swapped in around each stretch of thread code and put back
// after it, also when it throws, so engine code between stretches (timing,
// progress) sees the real ones.

import { ModelError } from "./modelError.ts";

/** The thread whose code is running, for the message. */
export interface RunningThread {
  readonly name: string;
  readonly currentStep: string | undefined;
}

const RealDate = Date;
const realRandom = Math.random;
const hasPerformance = typeof performance === "object" && performance !== null;
const realPerformanceNow = hasPerformance ? performance.now : undefined;
const cryptoObject: { getRandomValues?: unknown; randomUUID?: unknown } | undefined =
  typeof globalThis.crypto === "object" && globalThis.crypto !== null ? globalThis.crypto : undefined;
const realGetRandomValues = cryptoObject?.getRandomValues;
const realRandomUUID = cryptoObject?.randomUUID;

let running: RunningThread | undefined;
/** Nesting: thread code that explores a model of its own runs the guard inside the guard. */
let depth = 0;

function forbidden(what: string): ModelError {
  const t = running;
  const who = t === undefined ? "thread code" : `thread ${t.name}`;
  const step = t?.currentStep === undefined ? "" : ` (step ${t.currentStep})`;
  return new ModelError(`${who} called ${what}${step}: thread code must be a deterministic function of the values its reads return`);
}

const throwing = (what: string) =>
  function () {
    throw forbidden(what);
  };

const guardedRandom = throwing("Math.random");
const guardedPerformanceNow = throwing("performance.now");
const guardedGetRandomValues = throwing("crypto.getRandomValues");
const guardedRandomUUID = throwing("crypto.randomUUID");

/** `new Date()` and `Date.now()` read the clock; `new Date(ms)`, `Date.UTC` and `Date.parse` do not. */
const GuardedDate = function (this: unknown, ...args: unknown[]) {
  if (new.target === undefined) throw forbidden("Date()");
  if (args.length === 0) throw forbidden("new Date()");
  return Reflect.construct(RealDate, args, new.target === GuardedDate ? RealDate : new.target);
} as unknown as DateConstructor;
Object.defineProperties(GuardedDate, {
  prototype: { value: RealDate.prototype },
  now: { value: throwing("Date.now") },
  UTC: { value: RealDate.UTC },
  parse: { value: RealDate.parse },
});

function swapIn(): void {
  Math.random = guardedRandom;
  globalThis.Date = GuardedDate;
  if (hasPerformance) performance.now = guardedPerformanceNow as () => number;
  if (cryptoObject !== undefined) {
    if (realGetRandomValues !== undefined) cryptoObject.getRandomValues = guardedGetRandomValues;
    if (realRandomUUID !== undefined) cryptoObject.randomUUID = guardedRandomUUID;
  }
}

function swapOut(): void {
  Math.random = realRandom;
  globalThis.Date = RealDate;
  if (hasPerformance) performance.now = realPerformanceNow!;
  if (cryptoObject !== undefined) {
    if (realGetRandomValues !== undefined) cryptoObject.getRandomValues = realGetRandomValues;
    if (realRandomUUID !== undefined) cryptoObject.randomUUID = realRandomUUID;
  }
}

/**
 * Marks the start of a stretch of thread code: the nondeterministic globals
 * throw until the matching leaveThreadCode (call it in a finally). Two calls
 * rather than one taking a closure: this runs on every resumption of a thread.
 */
export function enterThreadCode(thread: RunningThread): RunningThread | undefined {
  const outer = running;
  running = thread;
  if (depth++ === 0) swapIn();
  return outer;
}

export function leaveThreadCode(outer: RunningThread | undefined): void {
  if (--depth === 0) swapOut();
  running = outer;
}

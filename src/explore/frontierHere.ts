// The rest of an optimal-explorer run, explored in this thread from where
// another left it: a frontier (parallelExplore.ts) is what that part
// counted and the subtrees it left, in depth-first order. Exploring them in
// that order, each chain of them (subtree.ts's chainAt) confined by one
// SubtreeCursor, and adding their tallies gives the result one run of the
// whole tree gives (the kept violations are the first in depth-first order;
// a run that stops at its first violation stops at the same one). A check's
// run goes on this way in the command line's main thread, one slice at a
// time, or in the watched worker once handed over (src/cli/mainThreadFirst.ts).

import type { Model } from "../program/model.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import { explore, type ExplorationResult } from "./explore.ts";
import type { Progress } from "./executionRecorder.ts";
import { addTallies, explorationsOf, tallyOfResult, type Tally } from "./explorationTally.ts";
import { timeLimitReached } from "./explorationBudget.ts";
import { resultOf, type Frontier } from "./parallelExplore.ts";
import { newControl, SubtreeCursor, UNASKED } from "./subtreeCursor.ts";
import { chainAt } from "./subtree.ts";
import { frontierOf, partOptions, stoppedAtViolation, type SubtreeRunOptions } from "./subtreeRun.ts";

/** Explores the frontier's open subtrees in order; `doneMs`: how long the part that left it took. */
export function exploreFrontier(
  model: Model,
  o: SubtreeRunOptions,
  frontier: Frontier,
  doneMs: number,
  site?: RunningSite,
  onProgress?: (p: Progress) => void,
): ExplorationResult {
  const step = exploreFrontierUntil(model, o, frontier, doneMs, Infinity, site, onProgress);
  if ("left" in step) throw new Error("a frontier explored with no time to yield at yielded");
  return step.result;
}

/** The run's result, or, when it yielded, where it stands then. */
export type FrontierStep = { readonly result: ExplorationResult } | { readonly left: Frontier };

/**
 * exploreFrontier, yielding between two executions once performance.now()
 * has passed `yieldAt`: what is left then is the open subtrees of the one
 * under way followed by those not begun (a check going on in the command
 * line's main thread one slice at a time, src/cli/mainThreadFirst.ts).
 */
export function exploreFrontierUntil(
  model: Model,
  o: SubtreeRunOptions,
  frontier: Frontier,
  doneMs: number,
  yieldAt: number,
  site?: RunningSite,
  onProgress?: (p: Progress) => void,
): FrontierStep {
  const started = performance.now();
  let tally = frontier.tally;
  let bounded: string | undefined;
  let stopped = false;
  for (let i = 0; i < frontier.open.length; ) {
    const chain = chainAt(frontier.open, i);
    i += chain.length;
    const before = tally;
    const beforeMs = doneMs + performance.now() - started;
    const cursor = new SubtreeCursor(chain, newControl(), UNASKED, undefined, yieldAt === Infinity ? undefined : yieldAt);
    const r = explore(model, {
      ...partOptions(o),
      choiceGate: cursor,
      site,
      onProgress: onProgress === undefined ? undefined : (p) => onProgress(withDone(p, before, beforeMs)),
    });
    tally = addTallies(tally, tallyOfResult(r), o.keepViolations);
    const stands = frontierOf(r, cursor, o);
    if (stands !== undefined) return { left: { decided: frontier.decided, tally, open: [...stands.open, ...frontier.open.slice(i)] } };
    if (r.bounded !== undefined) {
      bounded = r.bounded;
      break;
    }
    stopped = stoppedAtViolation(r, o);
    if (stopped) break;
  }
  return { result: resultOf(model, o, frontier.decided, tally, {
    exhaustive: bounded === undefined && !stopped && frontier.decided.incomplete === null,
    bounded,
    elapsedMs: doneMs + performance.now() - started,
  }) };
}

/** A run whose time limit came with `left` still to explore: bounded, with what it counted. */
export function outOfTime(model: Model, o: SubtreeRunOptions, left: Frontier, elapsedMs: number, timeLimitMs: number): ExplorationResult {
  return resultOf(model, o, left.decided, left.tally, { exhaustive: false, bounded: timeLimitReached(timeLimitMs), elapsedMs });
}

/** A part's progress as the whole run's: what was done before it added in. */
function withDone(p: Progress, done: Tally, doneMs: number): Progress {
  if (p.phase !== undefined) return p;
  const before = explorationsOf(done);
  const explored = before + (p.explored ?? p.executions + p.blocked);
  const elapsedMs = doneMs + p.elapsedMs;
  return {
    executions: done.counts.complete + p.executions,
    blocked: done.counts.blocked + p.blocked,
    explored,
    ...(p.expected === undefined ? {} : { expected: before + p.expected }),
    elapsedMs,
    perSecond: elapsedMs > 0 ? (explored * 1000) / elapsedMs : 0,
  };
}

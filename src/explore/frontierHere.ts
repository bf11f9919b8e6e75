// The rest of an optimal-explorer run, explored in this thread from where
// another left it: a frontier (parallelExplore.ts) is what that part
// counted and the subtrees it left, in depth-first order. Exploring them in
// that order, each confined by a SubtreeCursor, and adding their tallies
// gives the result one run of the whole tree gives (the kept violations are
// the first in depth-first order; a run that stops at its first violation
// stops at the same one). A check's run started in the command line's main
// thread ends this way in the watched worker (src/cli/mainThreadFirst.ts).

import type { Model } from "../program/model.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import { explore, type ExplorationResult } from "./explore.ts";
import type { Progress } from "./executionRecorder.ts";
import { addTallies, explorationsOf, tallyOfResult, type Tally } from "./explorationTally.ts";
import { resultOf, type Frontier } from "./parallelExplore.ts";
import { newControl, SubtreeCursor, UNASKED } from "./subtreeCursor.ts";
import { partOptions, stoppedAtViolation, type SubtreeRunOptions } from "./subtreeRun.ts";

/** Explores the frontier's open subtrees in order; `doneMs`: how long the part that left it took. */
export function exploreFrontier(
  model: Model,
  o: SubtreeRunOptions,
  frontier: Frontier,
  doneMs: number,
  site?: RunningSite,
  onProgress?: (p: Progress) => void,
): ExplorationResult {
  const started = performance.now();
  let tally = frontier.tally;
  let bounded: string | undefined;
  let stopped = false;
  for (const subtree of frontier.open) {
    const before = tally;
    const beforeMs = doneMs + performance.now() - started;
    const r = explore(model, {
      ...partOptions(o),
      choiceGate: new SubtreeCursor(subtree, newControl(), UNASKED),
      site,
      onProgress: onProgress === undefined ? undefined : (p) => onProgress(withDone(p, before, beforeMs)),
    });
    tally = addTallies(tally, tallyOfResult(r), o.keepViolations);
    if (r.bounded !== undefined) {
      bounded = r.bounded;
      break;
    }
    stopped = stoppedAtViolation(r, o);
    if (stopped) break;
  }
  return resultOf(model, o, frontier.decided, tally, {
    exhaustive: bounded === undefined && !stopped && frontier.decided.incomplete === null,
    bounded,
    elapsedMs: doneMs + performance.now() - started,
  });
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

// The optimal explorer against the brute-force oracle on random programs:
// the same number of executions, blocked explorations, deadlocks and
// assertion failures, the same set of final states, and no duplicates.
//
// Blocked explorations are compared with stale-await pruning off, where the
// explorer builds every graph the oracle counts as blocked. By default (the
// `pruned` run) an await's choice of a stale value it cannot accept is not
// entered and not counted, so its blocked count is lower (never higher) and
// everything else is the same: executions, deadlocks, assertion failures,
// duplicates and the final states of real executions.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, scDeclarative, formatValue } from "../../src/index.ts";
import type { ExplorationResult } from "../../src/index.ts";
import type { Outcome } from "../../src/checks/outcome.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { randomProgram } from "../support/randomProgram.ts";

const PROGRAMS = Number(process.env.PAGERACE_RANDOM_PROGRAMS ?? 1000);
const FIRST_SEED = Number(process.env.PAGERACE_RANDOM_SEED ?? 1);

function outcomes(run: (cb: (g: ExecutionGraph, o: Outcome) => void) => ExplorationResult) {
  const states = new Set<string>();
  const result = run((g, o) => {
    const ends = o.ends.map((e) => (e === undefined ? "waits" : e.kind === "done" ? JSON.stringify(e.result) : e.kind)).join(" ");
    states.add(`${o.status} | ${g.finalValues().map(formatValue).join(",")} | ${ends}`);
  });
  return { result, states };
}

function agreeOn(seeds: Iterable<number>, size: 1 | 2): number {
  let executions = 0;
  for (const seed of seeds) {
    const { model, text } = randomProgram(seed, size);
    const opt = outcomes((onExecution) => explore(model, { stopOnViolation: false, pruneStaleAwaits: false, onExecution }));
    const pruned = outcomes((onExecution) => explore(model, { stopOnViolation: false, onExecution }));
    const brute = outcomes((onExecution) => explore(model, { strategy: "enumerate", memoryModel: scDeclarative, stopOnViolation: false, onExecution }));
    const where = `seed ${seed}: ${text}`;
    const counts = (r: ExplorationResult) => [r.executions, r.blocked, r.deadlocks, r.assertionFailures];
    assert.deepEqual(counts(opt.result), counts(brute.result), `counts (executions, blocked, deadlocks, assertion failures) differ for ${where}`);
    assert.equal(opt.result.duplicates, 0, `duplicates for ${where}`);
    assert.deepEqual([...opt.states].sort(), [...brute.states].sort(), `final states differ for ${where}`);
    const real = (r: ExplorationResult) => [r.executions, r.deadlocks, r.assertionFailures, r.duplicates];
    assert.deepEqual(real(pruned.result), real(opt.result), `pruning stale awaits changed the executions of ${where}`);
    assert.ok(pruned.result.blocked <= opt.result.blocked, `pruning stale awaits counted more blocked explorations for ${where}`);
    const realStates = (states: Set<string>) => [...states].filter((s) => !s.startsWith("blocked")).sort();
    assert.deepEqual(realStates(pruned.states), realStates(opt.states), `pruning changed the final states of ${where}`);
    executions += opt.result.executions;
  }
  return executions;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

test(`optimal exploration agrees with the oracle on ${PROGRAMS} random programs`, () => {
  const executions = agreeOn(range(FIRST_SEED, PROGRAMS), 1);
  assert.ok(executions > PROGRAMS, "the random programs should have more than one execution on average");
});

test(`... and on ${PROGRAMS / 4} larger ones`, () => {
  const executions = agreeOn(range(FIRST_SEED + 100_000, PROGRAMS / 4), 2);
  assert.ok(executions > PROGRAMS, "the larger programs should have many executions");
});

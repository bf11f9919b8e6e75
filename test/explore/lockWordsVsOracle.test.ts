// The optimal explorer against the brute-force oracle on random programs
// built around locks (test/support/lockProgram.ts): lock words written by
// lock and unlock only, lock words also read and awaited, lock words that
// also take plain writes, xchg and fetch-add or releases by a thread that
// does not hold the lock, one or two locks, threads running the same code.
// These are the shapes where a lock acquisition waits on a lock another
// thread's acquisition took over first and that thread's release
// overtakes it, which the explorer's treatment of stale waiters has to get
// right: the same executions, deadlocks, assertion failures and final
// states as the oracle, none reached twice, and no more blocked
// explorations than the explorer that explores every blocked graph.
// PAGERACE_LOCK_PROGRAMS and PAGERACE_LOCK_SEED run more.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, sc, scDeclarative, formatValue } from "../../src/index.ts";
import type { ExplorationResult, MemoryModel } from "../../src/index.ts";
import { tso } from "../../src/models/tso.ts";
import type { Outcome } from "../../src/checks/outcome.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { lockProgram, type LockProgramKind } from "../support/lockProgram.ts";

const PROGRAMS = Number(process.env.PAGERACE_LOCK_PROGRAMS ?? 100);
const FIRST_SEED = Number(process.env.PAGERACE_LOCK_SEED ?? 1);

function outcomes(run: (cb: (g: ExecutionGraph, o: Outcome) => void) => ExplorationResult) {
  const states = new Set<string>();
  const result = run((g, o) => {
    if (o.status === "blocked") return;
    const ends = o.ends.map((e) => (e === undefined ? "waits" : e.kind === "done" ? JSON.stringify(e.result) : e.kind)).join(" ");
    states.add(`${o.status} | ${g.finalValues().map(formatValue).join(",")} | ${ends}`);
  });
  return { result, states };
}

function agreeOn(kind: LockProgramKind, size: 1 | 2, first: number, n: number, memoryModel: MemoryModel = sc): { executions: number; blocked: number } {
  let executions = 0;
  let blocked = 0;
  // Under SC the oracle checks SC's declarative definition; under TSO, the operational model's.
  const oracleModel = memoryModel === sc ? scDeclarative : memoryModel;
  for (let seed = first; seed < first + n; seed++) {
    const { model, text } = lockProgram(seed, size, kind);
    const where = `${kind} seed ${seed} size ${size} under ${memoryModel.name}: ${text}`;
    const pruned = outcomes((onExecution) => explore(model, { memoryModel, stopOnViolation: false, onExecution }));
    const eager = explore(model, { memoryModel, stopOnViolation: false, pruneStaleAwaits: false });
    const brute = outcomes((onExecution) => explore(model, { strategy: "enumerate", memoryModel: oracleModel, stopOnViolation: false, onExecution }));
    const real = (r: ExplorationResult) => [r.executions, r.deadlocks, r.assertionFailures];
    assert.deepEqual(real(pruned.result), real(brute.result), `executions, deadlocks, assertion failures differ for ${where}`);
    assert.equal(pruned.result.duplicates, 0, `duplicates for ${where}`);
    assert.deepEqual([...pruned.states].sort(), [...brute.states].sort(), `final states differ for ${where}`);
    assert.ok(pruned.result.blocked <= eager.blocked, `more blocked explorations than without pruning for ${where}`);
    executions += pruned.result.executions;
    blocked += pruned.result.blocked;
  }
  return { executions, blocked };
}

for (const kind of ["lock-only", "lock-reads", "mixed", "identical", "stray-unlock"] as const) {
  test(`${kind} lock words: the optimal explorer agrees with the oracle on ${PROGRAMS} random programs, and on ${PROGRAMS / 4} larger ones`, () => {
    const small = agreeOn(kind, 1, FIRST_SEED, PROGRAMS);
    const large = agreeOn(kind, 2, FIRST_SEED + 100_000, PROGRAMS / 4);
    assert.ok(small.executions > PROGRAMS && large.executions > PROGRAMS, "the programs should have more than one execution on average");
  });
}

test(`under TSO: the optimal explorer agrees with the oracle on ${PROGRAMS / 2} lock-only programs and ${PROGRAMS / 2} of identical threads`, () => {
  const lockOnly = agreeOn("lock-only", 1, FIRST_SEED, PROGRAMS / 2, tso);
  const identical = agreeOn("identical", 1, FIRST_SEED, PROGRAMS / 2, tso);
  assert.ok(lockOnly.executions + identical.executions > PROGRAMS);
});

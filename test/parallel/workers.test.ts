// `check --workers N`: the same counts, the same violations (their replay
// ids, as a set and in the order a single run reports them) and the same
// verdicts whatever N is, as the single-threaded check gives.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pagerace } from "../cli/pagerace.ts";

const MODELS = "test/parallel/fixtures/faultTruncates.ts";

interface RunJson {
  model: string;
  verdict: string;
  executions: number;
  blocked: number;
  exhaustive: boolean;
  deadlocks: number;
  assertionFailures: number;
  violations: { replayId: string }[];
}

function check(...args: string[]): RunJson[] {
  const r = pagerace("check", MODELS, "--json", "--all", "--keep-violations", "5", ...args);
  assert.ok(r.code === 0 || r.code === 1, `check ${args.join(" ")} exited ${r.code}: ${r.err}`);
  return (JSON.parse(r.out) as { results: RunJson[] }).results;
}

function summary(runs: RunJson[]) {
  return runs.map((r) => ({ model: r.model, verdict: r.verdict, executions: r.executions, blocked: r.blocked, deadlocks: r.deadlocks, assertionFailures: r.assertionFailures, exhaustive: r.exhaustive, ids: r.violations.map((v) => v.replayId) }));
}

test("--workers 1 and 2 count, keep and judge exactly as one thread does", () => {
  const single = summary(check());
  assert.equal(single.length, 2);
  assert.equal(single[1]!.ids.length, 5, "the buggy configuration has more violating executions than are kept");
  for (const workers of ["1", "2", "3"]) assert.deepEqual(summary(check("--workers", workers)), single, `--workers ${workers}`);
});

test("--workers stops at the first violation unless --all", () => {
  const r = pagerace("check", MODELS, "--json", "--workers", "2");
  assert.equal(r.code, 0, r.err); // each run as its model declares
  const runs = (JSON.parse(r.out) as { results: RunJson[] }).results;
  assert.equal(runs[0]!.verdict, "verified");
  assert.ok(runs[1]!.violations.length >= 1);
  assert.equal(runs[1]!.exhaustive, false, "stopped before exploring every execution");
  assert.notEqual(runs[1]!.verdict, "verified");
});

test("--workers takes a positive integer, 0 for one per core", () => {
  const r = pagerace("check", MODELS, "--workers", "two");
  assert.equal(r.code, 2);
  assert.match(r.err, /--workers expects a positive integer, got 'two'/);
  assert.equal(pagerace("check", MODELS, "--workers", "0").code, 0);
});

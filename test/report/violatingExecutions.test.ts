// How many executions violated: `check --all` keeps --keep-violations of
// them with their graphs and only counts the rest; the text report says
// `N violating executions, K drawn` and the JSON result carries N as
// `violatingExecutions`. N is checked against candidate enumeration (an
// explorer of its own, which keeps every violating execution it is asked
// to), and a run split over workers must carry the same N.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { pagerace } from "../cli/pagerace.ts";

const FAULT_TRUNCATES = "test/parallel/fixtures/faultTruncates.ts";
const IDENTICAL = "test/cli/fixtures/identicalThreads.ts";
const BUGGY = "FT(3,4)-buggy";

interface RunJson {
  readonly model: string;
  readonly executions: number;
  readonly exhaustive: boolean;
  readonly violatingExecutions: number;
  readonly violations: readonly { readonly replayId: string | null }[];
}

/** `check --json` as users run it, with room for a document of every violating execution's graph (megabytes). */
function results(...args: string[]): RunJson[] {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const r = spawnSync(process.execPath, ["bin/pagerace.mjs", "check", "--json", ...args], { encoding: "utf8", env, timeout: 120_000, maxBuffer: 1 << 28 });
  assert.ok(r.status === 0 || r.status === 1, `check ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: RunJson[] }).results;
}

const run = (rs: readonly RunJson[], model: string) => rs.find((r) => r.model === model) ?? assert.fail(`no run of ${model}`);

/** The violating executions candidate enumeration finds, every one kept: the oracle for the count. */
function violatingByCandidates(file: string, model: string, ...args: string[]): number {
  const r = run(results(file, "--all", "--strategy", "candidates", "--keep-violations", "100000", ...args), model);
  assert.equal(r.violations.length, r.violatingExecutions, "every violating execution kept");
  return r.violations.length;
}

test("--all counts every violating execution, those past --keep-violations too, in the JSON and the text report", () => {
  const expected = violatingByCandidates(FAULT_TRUNCATES, BUGGY);
  assert.ok(expected > 5, `${expected}: the buggy configuration should have more violating executions than are kept`);
  const kept = run(results(FAULT_TRUNCATES, "--all", "--keep-violations", "5"), BUGGY);
  assert.equal(kept.violations.length, 5);
  assert.equal(kept.violatingExecutions, expected);
  assert.equal(run(results(FAULT_TRUNCATES, "--all", "--keep-violations", "5"), "FT(4,5)-fixed").violatingExecutions, 0);
  const text = pagerace("check", FAULT_TRUNCATES, "--all", "--keep-violations", "5");
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, new RegExp(`^${BUGGY.replace(/[()]/g, "\\$&")} \\[sc\\]: ${expected} violating executions, 5 drawn$`, "m"));
  // Every one kept: said as such.
  const all = pagerace("check", FAULT_TRUNCATES, "--all", "--keep-violations", String(expected));
  assert.match(all.out, new RegExp(`: ${expected} violating executions, all drawn$`, "m"));
});

test("a run split over workers carries the same count", () => {
  const expected = violatingByCandidates(FAULT_TRUNCATES, BUGGY);
  for (const workers of ["2", "3"]) {
    const split = run(results(FAULT_TRUNCATES, "--all", "--keep-violations", "5", "--workers", workers), BUGGY);
    assert.equal(split.violatingExecutions, expected, `--workers ${workers}`);
    assert.equal(split.violations.length, 5, `--workers ${workers}`);
  }
});

test("stopped at the first violation, the text adds no count and the JSON counts what was found", () => {
  const text = pagerace("check", FAULT_TRUNCATES);
  assert.doesNotMatch(text.out, /violating execution/);
  const first = run(results(FAULT_TRUNCATES), BUGGY);
  assert.equal(first.exhaustive, false);
  assert.ok(first.violatingExecutions >= first.violations.length && first.violatingExecutions >= 1);
});

test("under symmetry reduction the count is of classes of violating executions", () => {
  const reduced = run(results(IDENTICAL, "--all"), "three incrementers");
  const full = run(results(IDENTICAL, "--all", "--no-symmetry"), "three incrementers");
  assert.equal(full.violatingExecutions, violatingByCandidates(IDENTICAL, "three incrementers", "--no-symmetry"));
  assert.ok(reduced.violatingExecutions > 0 && reduced.violatingExecutions < full.violatingExecutions);
  const text = pagerace("check", IDENTICAL, "--all", "--keep-violations", "1");
  assert.match(text.out, new RegExp(`: ${reduced.violatingExecutions} classes of violating executions, 1 drawn$`, "m"));
  const fullText = pagerace("check", IDENTICAL, "--all", "--no-symmetry", "--keep-violations", "1");
  assert.match(fullText.out, new RegExp(`: ${full.violatingExecutions} violating executions, 1 drawn$`, "m"));
});

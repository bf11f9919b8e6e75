// Conformance against herd7: runs every litmus test of ../shared/litmus
// (next to the repository) and compares pagerace's answer with the stored
// herd7 output beside it (NAME.litmus.herd7 or NAME.litmus.expected):
// the Observation (verdict and counts), the Positive/Negative witnesses,
// Ok/No, the States (as a set, then their order), the flags, the Condition.
// Where herd7 itself gave no answer (it cannot size spinlock_t), the test's
// `Result:` comment is the reference for the verdict instead.
//
//   node --import tsx scripts/conformance.ts [--model lkmm] [--timeout 60] [--only SUBSTRING] [--verbose]
//
// One line per disagreeing test, then `N passed, M failed`; exit 1 if any failed.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { TimedLitmusRunner } from "../src/litmus/run/timedLitmusRunner.ts";
import { workerScript } from "../src/cli/workerScript.ts";
import type { LitmusRun } from "../src/litmus/run/runLitmus.ts";
import { parseHerdOutput, type HerdAnswer } from "../src/report/herd/herdOutput.ts";
import { litmusFilesUnder } from "../src/litmus/run/litmusFiles.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const corpus = path.resolve(repoRoot, "../shared/litmus");

const { values: opts } = parseArgs({
  options: {
    model: { type: "string", default: "lkmm" },
    timeout: { type: "string", default: "60" },
    only: { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Field-by-field differences between pagerace's run and herd7's answer. */
function compareWithHerd(run: LitmusRun, herd: HerdAnswer): string[] {
  const diffs: string[] = [];
  const ours = `${run.verdict.observation} ${run.holds} ${run.fails}`;
  const theirs = `${herd.observation} ${herd.holds} ${herd.fails}`;
  if (ours !== theirs) diffs.push(`Observation ${ours}, herd7 ${theirs}`);
  const w = run.verdict.witnesses;
  if (w.positive !== herd.positive || w.negative !== herd.negative)
    diffs.push(`Positive/Negative ${w.positive}/${w.negative}, herd7 ${herd.positive}/${herd.negative}`);
  if (run.verdict.ok !== herd.ok) diffs.push(`${run.verdict.ok ? "Ok" : "No"}, herd7 ${herd.ok ? "Ok" : "No"}`);
  const mine = new Set(run.states);
  const extra = run.states.filter((s) => !herd.states.includes(s));
  const missing = herd.states.filter((s) => !mine.has(s));
  if (extra.length > 0 || missing.length > 0) {
    const show = (xs: string[]): string => xs.slice(0, 3).map((s) => `[${s}]`).join(" ") + (xs.length > 3 ? ` (+${xs.length - 3})` : "");
    diffs.push(`States ${run.states.length} vs herd7 ${herd.states.length}` + (extra.length ? `; extra ${show(extra)}` : "") + (missing.length ? `; missing ${show(missing)}` : ""));
  } else if (!sameList(run.states, herd.states)) diffs.push("States listed in another order than herd7's");
  if (!sameList(run.flags, [...herd.flags].sort())) diffs.push(`Flags [${run.flags.join(", ")}], herd7 [${herd.flags.join(", ")}]`);
  if (run.conditionText !== herd.condition) diffs.push(`Condition '${run.conditionText}', herd7 '${herd.condition}'`);
  if (run.expectation !== herd.expectation) diffs.push(`Test ... ${run.expectation}, herd7 ${herd.expectation}`);
  return diffs;
}

/** The verdict a test's `Result:` comment announces (the kernel's judgelitmus.sh reads it the same way). */
function compareWithResultComment(run: LitmusRun, testText: string, herdError: string): string[] {
  const stated = /^\s*\*\s*Result:\s*(\S+)/m.exec(testText)?.[1];
  if (stated === undefined) return [`herd7 gave no answer (${herdError}) and the test states no Result`];
  // judgelitmus.sh: DEADLOCK means `Never 0 0`; Maybe accepts anything.
  if (stated === "Maybe") return [];
  if (stated === "DEADLOCK") return run.holds + run.fails === 0 ? [] : [`Observation ${run.verdict.observation} ${run.holds} ${run.fails}, Result: DEADLOCK expects Never 0 0`];
  return run.verdict.observation === stated ? [] : [`Observation ${run.verdict.observation} ${run.holds} ${run.fails}, Result: ${stated}`];
}

async function main(): Promise<number> {
  if (!existsSync(corpus)) {
    console.error(`conformance: no corpus at ${corpus}`);
    return 2;
  }
  const timeoutS = Number(opts.timeout);
  if (!(timeoutS > 0)) {
    console.error(`conformance: --timeout expects a positive number of seconds, got '${opts.timeout}'`);
    return 2;
  }
  const files = litmusFilesUnder(corpus).filter((f) => opts.only === undefined || f.includes(opts.only));
  const runner = new TimedLitmusRunner(timeoutS * 1000, workerScript());
  let passed = 0;
  let failed = 0;
  const started = performance.now();
  try {
    for (const file of files) {
      const rel = path.relative(corpus, file);
      const answerFile = [`${file}.herd7`, `${file}.expected`].find(existsSync);
      const result = await runner.run(file, rel, opts.model!);
      let diffs: string[];
      if (answerFile === undefined) diffs = ["no stored herd7 output"];
      else if (result.kind === "timeout") diffs = [`timeout (over ${result.seconds} s)`];
      else if (result.kind !== "run") diffs = [`${result.kind}: ${result.message}`];
      // An incomplete run has no verdict to compare, even if its partial counts happen to match.
      else if (result.run.incomplete !== undefined) diffs = [`NOT VERIFIED (incomplete: ${result.run.incomplete})`];
      else {
        const herd = parseHerdOutput(readFileSync(answerFile, "utf8"));
        diffs = herd.kind === "answer" ? compareWithHerd(result.run, herd.answer) : compareWithResultComment(result.run, readFileSync(file, "utf8"), herd.message);
      }
      if (diffs.length === 0) {
        passed++;
        if (opts.verbose && result.kind === "run") console.log(`ok   ${rel} (${(result.run.elapsedMs / 1000).toFixed(2)} s)`);
      } else {
        failed++;
        console.log(`FAIL ${rel}: ${diffs.join("; ")}`);
      }
    }
  } finally {
    await runner.close();
  }
  console.log(`model ${opts.model}, ${files.length} tests in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();

// `pagerace litmus [options] FILE...`: herd7's answer for each litmus test,
// in herd7's format, many tests in one process. Accepts herd7's usual
// invocation (`-conf linux-kernel.cfg`, see herdInvocation.ts), so a
// `herd7` wrapper that runs `pagerace litmus "$@"` serves the kernel's
// tools/memory-model scripts.
//
// Each test has a time limit (--time-limit, herd7's -timeout; 60 s unless
// given, 0 for none), checked as its threads run and between executions:
// a test that runs out ends with what it explored, NOT VERIFIED.
//
// Exit codes: 0 every test ran to a verdict; 3 some test's run did not
// explore every execution — past its time limit, or executions left out —
// (its block says NOT VERIFIED, its JSON status is "incomplete"; also noted
// on stderr); 2 a usage error, or some test could not run (malformed,
// unsupported primitive, unreadable, pagerace failure) — reported on
// stderr, the other tests still run. 2 wins over 3.

import { runLitmus } from "../litmus/run/runLitmus.ts";
import { loadLitmusFile } from "../litmus/run/loadLitmusFile.ts";
import { LITMUS_MODEL_NAMES, litmusMemoryModel } from "../litmus/run/litmusMemoryModels.ts";
import { parseHerdInvocation, type HerdInvocation } from "../litmus/run/herdInvocation.ts";
import { TimedLitmusRunner, type TimedLitmusResult } from "../litmus/run/timedLitmusRunner.ts";
import { EXPLORING_STACK_MB, STACK_OVERFLOW, workerScript } from "./workerScript.ts";
import { timeLimitReached } from "../explore/explorationBudget.ts";
import { renderHerdBlock } from "../report/herd/herdBlock.ts";
import { LITMUS_JSON_FORMAT, litmusResultJson } from "../report/herd/litmusJson.ts";
import { UsageError } from "./usageError.ts";
import { dotRequest, type DotRequest } from "../report/dot/dotRequest.ts";
import { litmusDot, writeLitmusDot } from "../report/dot/litmusDot.ts";
import { escapeForTerminal, terminalSafeJson } from "../report/terminalText.ts";
import { takeHtmlOption, writeViewerPage } from "./viewOutput.ts";
import { withLitmusWitness } from "./viewLitmusWitness.ts";

export const LITMUS_USAGE = `pagerace litmus [options] <test.litmus | folder | @list>...
  --model ${LITMUS_MODEL_NAMES.join("|")}   memory model (default lkmm)
  -conf FILE            herd7 configuration: linux-kernel.cfg selects lkmm
  --strategy optimal|enumerate|candidates
  --time-limit SECONDS  end each test after this long: NOT VERIFIED, exit 3 (default 60; 0: none;
                        herd7's -timeout and --timeout too)
  --json                print a JSON result (format pagerace-litmus, version 1)
  -q                    no notes about ignored herd7 options
  -show all|prop|neg|cond|wit -o DIR
                        write DIR/<test>.dot with those executions (as herd7 does)
  --html FILE           also write the results and each test's witness (an execution satisfying the
                        proposition) as an interactive page (as pagerace view draws it); --json then
                        prints the witnesses too
  Prints herd7's block per test; other herd7 options are accepted and ignored.`;

/**
 * Runs one test, within its time limit (checked inside its executions too:
 * litmus threads always return to the engine, so no watchdog is needed).
 * Whatever goes wrong with one test — pagerace's own failure included — is
 * that test's result, so one bad file never stops a batch.
 */
function runHere(inv: HerdInvocation, file: string): TimedLitmusResult {
  try {
    const load = loadLitmusFile(file);
    if (load.kind !== "compiled") return load;
    const timeLimitMs = inv.timeLimitSeconds > 0 ? inv.timeLimitSeconds * 1000 : undefined;
    return { kind: "run", run: runLitmus(load.compiled, { memoryModel: litmusMemoryModel(inv.model)!, strategy: inv.strategy, timeLimitMs }) };
  } catch (e) {
    return { kind: "failed", message: e instanceof Error ? e.message : String(e) };
  }
}

/** How long past the time limit it keeps itself the deep-stack run may take before its worker is stopped. */
const DEEP_STACK_GRACE_MS = 10_000;

/**
 * A test whose exploration recursed deeper than the main thread's stack
 * (about 1 MB) allows, run again in a worker thread with a far larger one
 * (EXPLORING_STACK_MB), within what is left of its time limit.
 */
async function runWithDeepStack(inv: HerdInvocation, file: string, spentMs: number): Promise<TimedLitmusResult> {
  const left = inv.timeLimitSeconds > 0 ? Math.max(1, inv.timeLimitSeconds * 1000 - spentMs) : undefined;
  const runner = new TimedLitmusRunner(left === undefined ? 2 ** 31 - 1 : left + DEEP_STACK_GRACE_MS, workerScript(), EXPLORING_STACK_MB);
  let result: TimedLitmusResult;
  try {
    result = await runner.run(file, file, inv.model, inv.strategy, left);
  } finally {
    await runner.close();
  }
  if (result.kind !== "run") return result;
  // The test's time and limit are the whole of it, the first attempt's share included.
  const incomplete = left === undefined ? result.run.incomplete : result.run.incomplete?.replace(timeLimitReached(left), timeLimitReached(inv.timeLimitSeconds * 1000));
  return { kind: "run", run: { ...result.run, elapsedMs: spentMs + result.run.elapsedMs, ...(incomplete === undefined ? {} : { incomplete }) } };
}

/** The stderr line for a test that did not run. Messages quote input: printed escaped (terminalText.ts). */
function problem(file: string, result: Exclude<TimedLitmusResult, { kind: "run" }>): string {
  return escapeForTerminal(problemText(file, result));
}

function problemText(file: string, result: Exclude<TimedLitmusResult, { kind: "run" }>): string {
  switch (result.kind) {
    case "malformed":
    case "unsupported":
    case "unreadable":
      return result.message;
    case "timeout":
      return `${file}: timeout (no answer within ${result.seconds} s)`;
    case "failed":
      return `pagerace: ${file}: ${result.message}`;
  }
}

/** -show/-o: the test's executions as DOT; the test compiled, so loading it again cannot fail differently. */
function writeLitmusDotFor(dot: DotRequest, inv: HerdInvocation, file: string): void {
  try {
    const load = loadLitmusFile(file);
    if (load.kind === "compiled") writeLitmusDot(dot.dir, file, litmusDot(load.compiled, dot.show, litmusMemoryModel(inv.model)!, inv.strategy));
  } catch (e) {
    // The herd block is printed already; a picture that cannot be written is a note, not a failed test.
    console.error(escapeForTerminal(`pagerace: ${file}: no DOT written: ${e instanceof Error ? e.message : String(e)}`));
  }
}

/** `stopped`: awaited before each test, whether nobody reads the rest (the warm server's client has gone). */
export async function litmusCommand(args: readonly string[], stopped?: () => Promise<boolean>): Promise<number> {
  if (args.includes("--help") || args.includes("-help") || args.includes("-h")) {
    console.log(LITMUS_USAGE);
    return 0;
  }
  let inv: HerdInvocation;
  const { html, rest } = takeHtmlOption(args);
  try {
    inv = parseHerdInvocation(rest);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${e.message}\n${LITMUS_USAGE}`);
    throw e;
  }
  const dot = dotRequest(args);
  const ignored = inv.ignored.filter((o) => !dot?.handled.includes(o));
  if (!inv.quiet && ignored.length > 0) console.error(`pagerace: note: herd7 options without effect here: ${escapeForTerminal(ignored.join(" "))}`);
  const results: object[] = [];
  let failed = false;
  let incomplete = false;
  for (const file of inv.files) {
    if (stopped !== undefined && (await stopped())) break;
    let result = runHere(inv, file);
    if (result.kind === "run" && result.run.incomplete?.includes(STACK_OVERFLOW)) result = await runWithDeepStack(inv, file, result.run.elapsedMs);
    if (inv.json || html !== undefined) {
      const entry = litmusResultJson(file, result);
      results.push(html === undefined ? entry : withLitmusWitness(entry, inv, file));
    }
    if (!inv.json && result.kind === "run") process.stdout.write(renderHerdBlock(result.run));
    if (result.kind !== "run") {
      failed = true;
      console.error(problem(file, result));
    } else if (dot !== undefined) writeLitmusDotFor(dot, inv, file);
    if (result.kind === "run" && result.run.incomplete !== undefined) {
      incomplete = true;
      console.error(escapeForTerminal(`${file}: NOT VERIFIED (incomplete: ${result.run.incomplete})`));
    }
  }
  if (html !== undefined) writeViewerPage(html, { ...LITMUS_JSON_FORMAT, results });
  if (inv.json) console.log(terminalSafeJson({ ...LITMUS_JSON_FORMAT, results }));
  return failed ? 2 : incomplete ? 3 : 0;
}

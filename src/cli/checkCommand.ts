// `pagerace check <model file or folder>`: explore each model under each
// memory model it declares (or the one `--model` names), print one table
// row per run, then each violation as a timeline with its replay command
// and each data race LKMM flags; or all of it as JSON.
//
// What only some options or some results need (the JSON document, the HTML
// page, DOT files, estimates, a race's accesses) loads when it is needed: a
// plain check of a small model spends most of its time loading modules.

import { relative } from "node:path";
import { parentPort } from "node:worker_threads";
import { DEFAULT_KEEP_VIOLATIONS, DEFAULT_MAX_EVENTS, explore, type ExplorationResult, type Strategy } from "../explore/explore.ts";
import { encodeReplayId } from "../explore/replayId.ts";
import type { Progress } from "../explore/executionRecorder.ts";
import type { SubtreeRunOptions } from "../explore/subtreeRun.ts";
import { memoryModelNamed } from "../models/registry.ts";
import { declaredRuns, MEMORY_MODEL_NAMES, type DeclaredRun, type Model } from "../program/model.ts";
import { renderCheckTable, renderCheckTotals, type CheckRow } from "../report/checkTable.ts";
import type { RacingPair } from "../report/racingAccesses.ts";
import { renderRunReport } from "../report/runReport.ts";
import { terminalWidth } from "../report/terminalWidth.ts";
import { judge, verdictOf } from "../report/verdict.ts";
import { oneOf, parseArguments, positiveInteger, positiveSeconds } from "./arguments.ts";
import { loadModels } from "./loadModels.ts";
import { ProgressLine } from "./progressLine.ts";
import { UsageError } from "./usageError.ts";
import { isModelError, ModelError } from "../runtime/modelError.ts";
import { failureOutcome, ThreadFailure } from "../runtime/threadFailure.ts";
import { renderColumns } from "../report/columns.ts";
import { renderInterrupted } from "../report/verdict.ts";
import type { Heartbeat } from "./watchdog.ts";
import { groupDigits } from "../report/groupDigits.ts";
import { AUTO_SPLIT_AFTER, SCALE_OPTIONS, SCALE_USAGE, scaleOptions, type ScaleOptions } from "./scaleOptions.ts";
import { HandOver, isHandOver } from "./boundedSlice.ts";
import { endedRun, finishHandedOver, mayHandOver, type HandedOverRun } from "./handedOverRun.ts";
import { exploreFrontierUntil, outOfTime, type FrontierStep } from "../explore/frontierHere.ts";
import { frontierOf } from "../explore/subtreeRun.ts";
import type { Frontier } from "../explore/parallelExplore.ts";
import { explorationsOf, progressOfTally } from "../explore/explorationTally.ts";
import { withSplitRunEstimate } from "./splitRunEstimate.ts";
import { newControl, SubtreeCursor, UNASKED } from "../explore/subtreeCursor.ts";
import { WHOLE_TREE } from "../explore/subtree.ts";
import type { ChoiceGate } from "../explore/choiceGate.ts";

/** Exit codes of `check` (and of the command line as a whole: 2 is also every usage or model error). */
export const EXIT = { asDeclared: 0, violation: 1, usage: 2, incomplete: 3 } as const;

export const CHECK_USAGE = `pagerace check [options] <model file or folder>...
  --model sc|tso|lkmm   only this memory model (default: the ones each model declares, else sc)
  --strategy optimal|enumerate|candidates
                        exploration (default: optimal where the model allows it)
  --all                 do not stop at the first violation
  --keep-violations N   with --all, draw the first N violations (default 20); the rest are counted
  --events              timelines with every access instead of one line per step
  --width N             draw timelines at most N columns wide (default: the terminal's, else 100)
  --dot DIR             also write each violation's execution graph as DIR/<model>.<memory model>.<n>.dot
  --races-are-violations
                        an LKMM data race is a violation (default: a warning)
  --time-limit SECONDS  end each run after this long: NOT VERIFIED (bounded)
  --max-executions N    end each run after N explored executions: NOT VERIFIED (bounded)
  --json                print a JSON result (format pagerace-result, version 2)
  --html FILE           also write the result as an interactive page (as pagerace view draws it)
  --max-events N        events one thread may issue before it counts as an unbounded loop
  --no-symmetry         explore every execution, not one per class of exchanges of threads the model declares identical
  --timeout SECONDS     watchdog: how long thread code may run without yielding (default 10)
  --quiet               no progress on stderr
  --estimate            print each run's estimated number of explorations (random descents, with their spread) instead of exploring
${SCALE_USAGE}
  exit: 0 every run verified or as declared, 1 a violation (or a run not as declared),
        2 usage or model error, 3 incomplete (a bounded run, no violation),
        130/143 interrupted by SIGINT/SIGTERM (the summary so far is printed)`;

const OPTIONS = {
  model: "string",
  strategy: "string",
  all: "boolean",
  "keep-violations": "string",
  events: "boolean",
  width: "string",
  dot: "string",
  "races-are-violations": "boolean",
  "time-limit": "string",
  "max-executions": "string",
  json: "boolean",
  html: "string",
  "max-events": "string",
  "no-symmetry": "boolean",
  timeout: "string",
  quiet: "boolean",
  estimate: "boolean",
  ...SCALE_OPTIONS,
} as const;

interface CheckOptions {
  readonly strategy?: Strategy;
  readonly all: boolean;
  readonly keepViolations?: number;
  readonly maxEventsPerThread?: number;
  readonly timeLimitMs?: number;
  readonly maxExecutions?: number;
  readonly racesAreViolations: boolean;
  /** Symmetry reduction where a model declares identical threads (off with --no-symmetry). */
  readonly symmetry: boolean;
}

export async function checkCommand(args: readonly string[], heartbeat?: Heartbeat): Promise<number> {
  const started = performance.now();
  const a = parseArguments(args, OPTIONS);
  if (a.positional.length === 0) throw new UsageError(`check needs a model file or folder\n${CHECK_USAGE}`);
  const override = oneOf(a.options.get("model"), "model", MEMORY_MODEL_NAMES);
  positiveSeconds(a.options.get("timeout"), "timeout"); // used by the watchdog, validated here too
  const timeLimit = positiveSeconds(a.options.get("time-limit"), "time-limit");
  const options: CheckOptions = {
    strategy: oneOf(a.options.get("strategy"), "strategy", ["optimal", "enumerate", "candidates"] as const),
    all: a.flags.has("all"),
    keepViolations: positiveInteger(a.options.get("keep-violations"), "keep-violations"),
    maxEventsPerThread: positiveInteger(a.options.get("max-events"), "max-events"),
    timeLimitMs: timeLimit === undefined ? undefined : timeLimit * 1000,
    maxExecutions: positiveInteger(a.options.get("max-executions"), "max-executions"),
    racesAreViolations: a.flags.has("races-are-violations"),
    symmetry: !a.flags.has("no-symmetry"),
  };
  const json = a.flags.has("json");
  const html = a.options.get("html");
  const keepsDocument = json || html !== undefined; // the viewer draws the JSON document
  const detail = a.flags.has("events") ? "events" : "steps";
  const width = terminalWidth(positiveInteger(a.options.get("width"), "width"));
  const dotDir = a.options.get("dot");
  // In the main thread, an --all run that grows large is split by moving to the worker (exploreInSlices), not here.
  const asked = scaleOptions(a, options);
  const scale = asked?.auto === true && heartbeat?.slicing === true ? undefined : asked;
  const documents = keepsDocument ? await import("../report/json.ts") : undefined;
  const dots = dotDir === undefined ? undefined : await import("../report/dot/violationDot.ts");
  const estimates = a.flags.has("estimate") ? await import("../explore/stateSpaceEstimate.ts") : undefined;
  const sources = scale === undefined ? undefined : await import("./modelSource.ts");
  const loaded = (await Promise.all(a.positional.map(loadModels))).flat();
  if (loaded.length === 0) throw new UsageError(`no models found in ${a.positional.join(", ")}`);
  const scaled = scale === undefined ? undefined : new (await import("./parallelCheck.ts")).ScaledCheck(scale, heartbeat);
  // The watchdog names a thread that never yields by these: its file, model and run too, as other model errors are named.
  // Each run's place in the check, for a watchdog that starts the check again past a run that never returned.
  let ordinal = -1;
  const nameThreads = (memoryModel: string) => {
    ordinal++;
    parentPort?.postMessage({
      threadNames: loaded.map((l) => l.model.threads.map((t) => `${relative(process.cwd(), l.file)}: model '${l.model.name}' [${memoryModel}]: ${t.name}`)),
      threads: loaded.map((l) => l.model.threads.map((t) => t.name)),
      memoryModel,
      ordinal,
    });
  };

  const progress = new ProgressLine(a.flags.has("quiet") || json);
  const rows: CheckRow[] = [];
  const reports: string[] = [];
  const results: object[] = [];
  const interrupted = () => heartbeat?.interruptedExitCode() !== undefined;
  /** Time the runs took outside this thread: in the main thread before they were handed over, in a worker the watchdog stopped. */
  let handedOverMs = 0;
  // Whether a signal cut a run short (one that came while the models loaded cut none).
  let cutShort = false;
  runs: for (const [index, { file, model }] of loaded.entries()) {
    const where = relative(process.cwd(), file);
    for (const run of declaredRuns(model, override)) {
      if (interrupted()) break runs;
      if (a.flags.has("estimate")) {
        nameThreads(run.memoryModel);
        heartbeat?.watch(index);
        try {
          console.log(estimateText(estimates!.estimateStateSpace, model, run, options, heartbeat));
        } finally {
          heartbeat?.idle();
        }
        continue;
      }
      const runStarted = performance.now();
      let stuckMs = 0;
      nameThreads(run.memoryModel);
      // What the runs before found, for the watching thread to say should this one never return.
      if (rows.length > 0) heartbeat?.report(rows.map(soFarLine));
      heartbeat?.watch(index);
      let r: ExplorationResult;
      let handedOver: HandedOverRun | undefined;
      try {
        const label = `${model.name} [${run.memoryModel}]`;
        const onProgress = (p: Progress) => {
          progress.show(label, p);
          heartbeat?.report([...rows.map(soFarLine), `${label}: ${progressText(p)} so far`]);
        };
        // A run an earlier worker never came back from (watchdog.ts) ends as a model error, as a thread that throws does.
        const stuck = heartbeat?.stuckIn(index, run.memoryModel);
        if (stuck !== undefined) {
          // Its time went in the worker the watchdog stopped: the row and the total take it.
          stuckMs = stuck.elapsedMs;
          handedOverMs += stuckMs;
          throw new ModelError(stuck.message);
        }
        handedOver = heartbeat?.takeHandedOver(index, run.memoryModel);
        const resume = handedOver?.ended === undefined ? handedOver?.frontier : undefined;
        r =
          handedOver !== undefined && (scaled === undefined || resume === undefined)
            ? heartbeat!.run(() => finishHandedOver(model, subtreeRunOptions(model, run, options), handedOver!, heartbeat!, onProgress, options.timeLimitMs))
            : scaled === undefined
              ? heartbeat === undefined
                ? exploreRun(model, run, options, heartbeat, onProgress)
                : heartbeat.slicing
                  ? await exploreInSlices(index, model, run, options, heartbeat, onProgress, asked)
                  : heartbeat.run(() => exploreRun(model, run, options, heartbeat, onProgress))
              : await scaled.explore(
                  { file, model, source: sources!.fileSource(file, model, loaded), run: subtreeRunOptions(model, run, options), strategy: options.strategy, timeLimitMs: options.timeLimitMs, resume },
                  onProgress,
                );
      } catch (e) {
        // A model that cannot be run is reported on its row; the file's other models still run.
        if (!isModelError(e)) throw e;
        if (!heartbeat?.ranBefore(ordinal)) console.error(`pagerace: ${where}: model '${model.name}' [${run.memoryModel}]: ${e.message}`);
        const replayId = e instanceof ThreadFailure && e.path !== undefined ? encodeReplayId(model, run.memoryModel, e.path) : null;
        // Below the table as a violation is: a thread that threw with the execution that led there, any other error (a thread that never yielded) in a line.
        if (!json) reports.push(e instanceof ThreadFailure ? threadFailureReport(model, run, where, e, replayId, detail, width, options) : `${model.name} [${run.memoryModel}]: model error: ${e.message}`);
        if (keepsDocument) results.push({ file: where, model: model.name, memoryModel: run.memoryModel, expected: run.expect ?? null, verdict: "model error", judgement: judge("model error", run.expect) ?? null, error: e.message, replayId });
        rows.push(modelErrorRow(where, model, run, stuckMs + performance.now() - runStarted));
        continue;
      } finally {
        heartbeat?.idle();
        progress.clear();
      }
      if (r.bounded !== undefined && r.bounded === heartbeat?.interruption()) cutShort = true;
      const racesAreViolations = options.racesAreViolations || model.dataRaces === "violation";
      const replayIds = r.violations.map((v) => (v.path === undefined ? undefined : encodeReplayId(model, run.memoryModel, v.path)));
      const race = await raceOf(model, run, r);
      if (dots !== undefined) dots.writeViolationDots(dotDir!, model, run.memoryModel, r.violations);
      if (documents !== undefined)
        results.push({ file: where, ...documents.resultJson(model, r, { expect: run.expect, racesAreViolations, replayIds, race, replayCommand: (id) => replayCommandText(where, id, options) }) });
      if (!json)
        reports.push(
          ...renderRunReport(model, r, { detail, width, replayIds, replayCommand: (id) => replayCommandText(where, id, options), racesAreViolations, race }),
        );
      // The row's time is the whole run's: pre-check, exploration, and drawing its report.
      // A run handed over by the main thread (mainThreadFirst.ts) took its time there too.
      handedOverMs += handedOver?.elapsedMs ?? 0;
      rows.push(rowOf(where, model, run, r, racesAreViolations, (handedOver?.elapsedMs ?? 0) + performance.now() - runStarted));
    }
  }
  await scaled?.close();
  // Estimates only: nothing was explored, so there is no table and no verdict.
  if (a.flags.has("estimate")) return EXIT.asDeclared;
  const stop = heartbeat?.interruptedExitCode();
  const interruption = stop === undefined ? undefined : renderInterrupted(heartbeat!.interruption()!, rows.length, countRuns(loaded, override), "runs", cutShort);
  const doc = documents === undefined ? undefined : { ...documents.JSON_FORMAT, ...(interruption === undefined ? {} : { interrupted: interruption }), results };
  if (html !== undefined) (await import("./viewOutput.ts")).writeViewerPage(html, doc!);
  if (json) console.log(JSON.stringify(doc, null, 2));
  else console.log([renderCheckTable(rows), ...reports, renderCheckTotals(rows, handedOverMs + performance.now() - started), ...(interruption === undefined ? [] : [interruption])].join("\n\n"));
  return stop ?? exitCode(rows);
}

function countRuns(loaded: readonly { model: Model }[], override: DeclaredRun["memoryModel"] | undefined): number {
  return loaded.reduce((n, { model }) => n + declaredRuns(model, override).length, 0);
}

/** A finished run in one line, for the main thread to print if the worker dies before its summary. */
function soFarLine(r: CheckRow): string {
  return `${r.model} [${r.memoryModel}]: ${r.verdict}, ${groupDigits(r.executions)} executions, ${groupDigits(r.blocked)} blocked`;
}

/** `check --estimate`: a run's size by Knuth's estimator (stateSpaceEstimate.ts), within --time-limit (default 10 s) or 1,000 descents. */
function estimateText(estimateStateSpace: typeof import("../explore/stateSpaceEstimate.ts").estimateStateSpace, model: Model, run: DeclaredRun, o: CheckOptions, site?: Heartbeat): string {
  // The watchdog names a thread whose code never returns in a descent, as in a run.
  const e = estimateStateSpace(model, {
    site,
    memoryModel: memoryModelNamed(run.memoryModel),
    maxEventsPerThread: o.maxEventsPerThread,
    descents: 1000,
    timeLimitMs: o.timeLimitMs ?? 10_000,
    symmetry: o.symmetry,
  });
  const round = (x: number) => groupDigits(Math.round(x));
  const count = (x: number, what: string) => `${round(x)} ${what}${Math.round(x) === 1 ? "" : "s"}`;
  const spread = e.uniform ? "exact: every descent agreed" : `± ${round(e.standardError)} standard error`;
  // Descents that all end waiting (lock-heavy models) say nothing about executions: not "about 0".
  const executions =
    e.executions >= 0.5
      ? `about ${count(e.executions, "execution")}`
      : e.uniform
        ? "no complete execution (every descent ends with threads waiting)"
        : "too few descents reached an execution to estimate executions";
  return `${model.name} [${run.memoryModel}]: about ${count(e.explorations, "exploration")} (${spread}, ${e.descents} descents), ${executions}`;
}

function progressText(p: Progress): string {
  return `${groupDigits(p.executions)} executions, ${groupDigits(p.blocked)} blocked`;
}

/** The command that replays an id; a run with another event bound than the default is replayed with it, so that it stops where the check did. */
function replayCommandText(where: string, id: string, o: CheckOptions): string {
  const bound = o.maxEventsPerThread === undefined || o.maxEventsPerThread === DEFAULT_MAX_EVENTS ? "" : ` --max-events ${o.maxEventsPerThread}`;
  return `pagerace replay${bound} ${where} ${id}`;
}

/** A thread that threw, drawn as the execution that led there, with the id that replays it. */
function threadFailureReport(model: Model, run: DeclaredRun, where: string, e: ThreadFailure, replayId: string | null, detail: "events" | "steps", width: number, o: CheckOptions): string {
  const lines = [`${model.name} [${run.memoryModel}]: model error: ${e.message}`];
  if (e.graph !== undefined) lines.push(renderColumns(model, e.graph, failureOutcome(model, e as ThreadFailure & { graph: NonNullable<ThreadFailure["graph"]> }), detail, new Set(), { width }));
  if (replayId !== null) lines.push(`replay: ${replayCommandText(where, replayId, o)}`);
  return lines.join("\n");
}

/**
 * The run in the main thread (mainThreadFirst.ts). One the worker could go
 * on with from where it stands (mayHandOver; `scale`: only --all's split
 * once large) explores one slice at a time, letting signals in between two;
 * it is handed over with its frontier when the main thread says so, or when
 * an --all run has grown large enough to be split (on the worker's threads,
 * from that frontier). A time limit is met between two slices, and a run
 * handed over takes what is left of it. Any other run explores within the
 * main thread's time.
 */
async function exploreInSlices(
  index: number,
  model: Model,
  run: DeclaredRun,
  o: CheckOptions,
  site: Heartbeat,
  onProgress: (p: Progress) => void,
  scale: ScaleOptions | undefined,
): Promise<ExplorationResult> {
  // A time-limited --all run is split with its whole limit, from the start, in the worker.
  const splitFromStart = scale !== undefined && (scale.auto !== true || o.timeLimitMs !== undefined);
  if (splitFromStart || !mayHandOver(run.memoryModel, o)) return site.run(() => exploreRun(model, run, o, site, onProgress));
  const started = performance.now();
  const deadline = o.timeLimitMs === undefined ? Infinity : started + o.timeLimitMs;
  const parts = subtreeRunOptions(model, run, o);
  const handOver = (frontier: Frontier) => new HandOver([{ index, memoryModel: run.memoryModel, frontier, elapsedMs: performance.now() - started }]);
  let step: FrontierStep = site.slice((yieldAt) => {
    const cursor = new SubtreeCursor(WHOLE_TREE, newControl(), UNASKED, undefined, Math.min(yieldAt, deadline));
    const r = exploreRun(model, run, o, site, onProgress, cursor);
    const left = frontierOf(r, cursor, parts);
    return left === undefined ? { result: r } : { left };
  });
  // A slice is too short for its exploration to report progress: the run reports between two, with an estimate of what it has left.
  const report = withSplitRunEstimate(model, parts, onProgress);
  let reportedAt = started;
  while ("left" in step) {
    const from = step.left;
    const doneMs = performance.now() - started;
    if (performance.now() >= deadline) {
      step = { result: outOfTime(model, parts, from, doneMs, o.timeLimitMs!) };
      break;
    }
    if (!(await site.goOn()) || (scale !== undefined && explorationsOf(from.tally) >= AUTO_SPLIT_AFTER)) throw handOver(from);
    const reports = performance.now() - reportedAt >= PROGRESS_EVERY_MS;
    if (reports) reportedAt = performance.now();
    try {
      step = site.slice((yieldAt) => {
        // In the slice: estimating runs thread code, which the slice's bound keeps from running forever.
        if (reports) report(progressOfTally(from.tally, doneMs), from.open);
        return exploreFrontierUntil(model, parts, from, doneMs, Math.min(yieldAt, deadline), site, onProgress);
      });
    } catch (e) {
      // Stopped by V8's watchdog: what the slice did is not to be trusted, and the worker goes on from where it began.
      if (isHandOver(e)) throw handOver(from);
      throw e;
    }
  }
  site.ended(endedRun(index, run.memoryModel, step.result));
  return step.result;
}

/** How often a run in slices reports progress, as a single run does (explore.ts). */
const PROGRESS_EVERY_MS = 1000;

function exploreRun(model: Model, run: DeclaredRun, o: CheckOptions, site: Heartbeat | undefined, onProgress: (p: Progress) => void, choiceGate?: ChoiceGate): ExplorationResult {
  return explore(model, {
    choiceGate,
    memoryModel: memoryModelNamed(run.memoryModel),
    strategy: o.strategy,
    maxEventsPerThread: o.maxEventsPerThread,
    stopOnViolation: !o.all,
    keepViolations: o.keepViolations,
    timeLimitMs: o.timeLimitMs,
    maxExecutions: o.maxExecutions,
    dataRaces: o.racesAreViolations || model.dataRaces === "violation" ? "violation" : "warning",
    symmetry: o.symmetry,
    site,
    onProgress,
  });
}

/** What every part of a run explored by several workers shares (exploreRun's options, as plain data). */
function subtreeRunOptions(model: Model, run: DeclaredRun, o: CheckOptions): SubtreeRunOptions {
  return {
    memoryModel: run.memoryModel,
    maxEventsPerThread: o.maxEventsPerThread,
    stopOnViolation: !o.all,
    keepViolations: o.keepViolations ?? DEFAULT_KEEP_VIOLATIONS,
    dataRaces: o.racesAreViolations || model.dataRaces === "violation" ? "violation" : "warning",
    ...(o.symmetry ? {} : { symmetry: false }),
  };
}

/** The first racing execution's pairs of accesses, and its replay id. */
async function raceOf(model: Model, run: DeclaredRun, r: ExplorationResult): Promise<{ pairs: RacingPair[]; replayId?: string } | undefined> {
  const first = r.dataRaces?.first;
  if (first === undefined) return undefined;
  const { racingAccesses } = await import("../report/racingAccesses.ts");
  return { pairs: racingAccesses(first.graph), replayId: first.path === undefined ? undefined : encodeReplayId(model, run.memoryModel, first.path) };
}

function rowOf(file: string, model: Model, run: DeclaredRun, r: ExplorationResult, racesAreViolations: boolean, elapsedMs: number): CheckRow {
  const v = verdictOf(r, racesAreViolations);
  const races = r.dataRaces?.executions ?? null;
  const warned = races !== null && races > 0 && v.violationKind !== "data-race";
  return {
    file,
    model: model.name,
    memoryModel: run.memoryModel,
    expected: run.expect ?? null,
    found: v.found,
    verdict: v.short + (warned ? ", data race" : ""),
    executions: r.executions,
    blocked: r.blocked,
    dataRaces: races,
    elapsedMs,
    judgement: judge(v.found, run.expect) ?? null,
  };
}

function modelErrorRow(file: string, model: Model, run: DeclaredRun, elapsedMs: number): CheckRow {
  return {
    file,
    model: model.name,
    memoryModel: run.memoryModel,
    expected: run.expect ?? null,
    found: "model error",
    verdict: "MODEL ERROR",
    executions: 0,
    blocked: 0,
    dataRaces: null,
    elapsedMs,
    judgement: judge("model error", run.expect) ?? null,
  };
}

/**
 * 2 when a model could not be run (nothing it says can be trusted); else
 * 1 when a run did not behave as declared, or found a violation when it
 * declared nothing; else 3 when a run could not decide (bounded, or
 * load-buffering left out); else 0.
 */
function exitCode(rows: readonly CheckRow[]): number {
  if (rows.some((r) => r.found === "model error")) return EXIT.usage;
  const wrong = (r: CheckRow) => (r.judgement === null ? r.found === "violation" : r.judgement === "MISMATCH");
  if (rows.some(wrong)) return EXIT.violation;
  if (rows.some((r) => r.found === "not verified")) return EXIT.incomplete;
  return EXIT.asDeclared;
}

// `pagerace scenarios`: the catalogue as a table — every variant of every
// scenario explored under its memory model, exit 0 when each behaves as it
// declares. `pagerace scenario <ID>`: one scenario in full (summaries and
// timelines), or one of its executions replayed from its id.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";
import type { Model } from "../program/model.ts";
import { scenarios as builtIn, type Scenario } from "../catalogue/index.ts";
import { runVariant, selectVariants, normalSeed, variantLabel, type RunOptions, type ScenarioRun, type SelectedVariant } from "../catalogue/runScenarios.ts";
import { replay } from "../explore/replay.ts";
import { decodeReplayId, modelTag } from "../explore/replayId.ts";
import { renderColumns, type ColumnDetail } from "../report/columns.ts";
import { terminalWidth } from "../report/terminalWidth.ts";
import { writeViolationDots } from "../report/dot/violationDot.ts";
import { graphJson, resultJson } from "../report/json.ts";
import { renderSummary } from "../report/summary.ts";
import { expectedText, renderScenarioList, renderScenarioTotals, scenarioTableStream, scenarioTotalsJson } from "../report/scenarioTable.ts";
import { toStdout } from "./standardOutput.ts";
import { parseArguments, positiveInteger, positiveSeconds } from "./arguments.ts";
import { renderInterrupted } from "../report/verdict.ts";
import { ProgressLine } from "./progressLine.ts";
import { cannotBeLoaded, UsageError } from "./usageError.ts";
import type { Heartbeat } from "./watchdog.ts";
import { loadTypeScript } from "./typeScriptLoader.ts";
import { providePagerace } from "./providePagerace.ts";
import { writeViewerPage } from "./viewOutput.ts";
import { availableParallelism } from "node:os";
import { groupDigits } from "../report/groupDigits.ts";
import { startExplorationWorkers } from "./explorationWorkers.ts";
import { AUTO_SPLIT_AFTER } from "./scaleOptions.ts";
import { runVariantOnWorkers } from "./scenariosOnWorkers.ts";

export const SCENARIOS_FORMAT = { format: "pagerace-scenarios", version: 1 } as const;
/**
 * `--json-lines`: a first line `{format, version, variants}`, one line per
 * finished variant (a row as in SCENARIOS_FORMAT), and a last line `{totals}`
 * (with `interrupted` when a signal ended the run).
 */
export const SCENARIOS_LINES_FORMAT = { format: "pagerace-scenarios-lines", version: 1 } as const;

export const SCENARIOS_USAGE = `pagerace scenarios [options] [scenario id prefix...]   (e.g. 004, 004-B2)
  --seed NNN            only this seed's scenarios
  --larger              also the larger variants (default: the smallest ones)
  --list                list the scenarios and variants (what each models) without running them
  --timeline            after the table, each race found as a column timeline (one line per step)
  --events              timelines with every access instead of one line per step
  --width N             draw timelines at most N columns wide (default: the terminal's, else 100)
  --json                print the rows as JSON at the end (format pagerace-scenarios, version 1)
  --json-lines          one JSON object a line as each variant finishes: the format (pagerace-scenarios-lines,
                        version 1), one row each (as in --json), then the totals
  --html FILE           also write the rows and each race found as an interactive page (as pagerace view draws it)
  --quiet               no progress on stderr
  --catalogue MODULE    the scenarios this module exports instead of the built-in catalogue
  --timeout SECONDS     how long thread code may run without yielding (default 10)
  --workers N           a variant that grows past ${groupDigits(AUTO_SPLIT_AFTER)} explorations goes on N worker threads
                        (0: one per core; the built-in catalogue only; default: one thread)`;

export const SCENARIO_USAGE = `pagerace scenario [options] <scenario id>
  --variant NAME        only this variant (default: all of them, the larger ones too)
  --replay REPLAY-ID    reproduce exactly one execution of the scenario
  --events              timelines with every access instead of one line per step
  --width N             draw timelines at most N columns wide (default: the terminal's, else 100)
  --dot DIR             also write each violation's execution graph as DIR/<model>.<memory model>.<n>.dot
  --all                 do not stop at the first violation
  --json                print the rows with each whole result (format pagerace-scenarios, version 1;
                        each row's result as check --json prints it, pagerace-result version 2)
  --html FILE           also write the rows and each violation as an interactive page (as pagerace view draws it)
  --quiet               no progress on stderr
  --catalogue MODULE    the scenarios this module exports instead of the built-in catalogue
  --timeout SECONDS     how long thread code may run without yielding (default 10)`;

const SHARED_OPTIONS = { catalogue: "string", timeout: "string", json: "boolean", quiet: "boolean", events: "boolean", width: "string", html: "string" } as const;

export async function scenariosCommand(args: readonly string[], heartbeat?: Heartbeat): Promise<number> {
  const a = parseArguments(args, { ...SHARED_OPTIONS, larger: "boolean", timeline: "boolean", list: "boolean", seed: "string", "json-lines": "boolean", workers: "string" });
  const detail = columnDetail(a.flags);
  const width = terminalWidth(positiveInteger(a.options.get("width"), "width"));
  positiveSeconds(a.options.get("timeout"), "timeout"); // used by the watchdog, validated here too
  const json = a.flags.has("json");
  const jsonLines = a.flags.has("json-lines");
  if (json && jsonLines) throw new UsageError(`--json and --json-lines: choose one\n${SCENARIOS_USAGE}`);
  const catalogueModule = a.options.get("catalogue");
  const workersText = a.options.get("workers");
  const workers = workersText === "0" ? availableParallelism() : positiveInteger(workersText, "workers");
  // The worker threads build each variant from the built-in catalogue.
  if (workers !== undefined && catalogueModule !== undefined) throw new UsageError("--workers runs the built-in catalogue only: it cannot be combined with --catalogue");
  const catalogue = await loadCatalogue(catalogueModule);
  const seed = a.options.get("seed");
  checkSelection(catalogue, seed, a.positional);
  const selection = selectVariants(catalogue, { seed, filters: a.positional, larger: a.flags.has("larger") });
  if (a.flags.has("list")) {
    console.log(renderScenarioList(selection));
    return 0;
  }
  if (catalogue.length === 0 && !json && !jsonLines) {
    console.log("The catalogue has no scenarios yet (src/catalogue/index.ts).");
    return 0;
  }

  // Each row is printed as its variant finishes (the table's widths fixed
  // beforehand; --json-lines one object per row); --json waits for the whole
  // document. What follows the rows (timelines, totals) comes at the end.
  const table = json || jsonLines ? undefined : scenarioTableStream(selection);
  if (table !== undefined) toStdout(`${table.head}\n`);
  if (jsonLines) toStdout(`${JSON.stringify({ ...SCENARIOS_LINES_FORMAT, variants: selection.length })}\n`);
  // Progress goes to stderr with --json-lines too: its stdout is as readable
  // by a script, and a long stream needs it as much as the table does.
  const progress = new ProgressLine(a.flags.has("quiet") || json);
  const runs: ScenarioRun[] = [];
  const pool = workers === undefined ? undefined : startExplorationWorkers(workers, heartbeat?.buffer);
  // Interrupted, the rows finished so far are kept (already printed, when
  // streamed); the variant under way ends with its partial counts.
  for (const [i, s] of selection.entries()) {
    if (heartbeat?.interruptedExitCode() !== undefined) break;
    const options = watched(heartbeat, progress, runs, `[${i + 1}/${selection.length}] `);
    const run = pool === undefined ? runVariant(s, options) : await runVariantOnWorkers(s, pool, { ...options, interruption: () => heartbeat?.interruption() });
    runs.push(run);
    if (table !== undefined) toStdout(`${table.row(run.row)}\n`);
    if (jsonLines) toStdout(`${JSON.stringify(run.row)}\n`);
  }
  await pool?.close();
  const rows = runs.map((r) => r.row);
  const stop = heartbeat?.interruptedExitCode();
  const interruption = stop === undefined ? undefined : renderInterrupted(heartbeat!.interruption()!, runs.length, selection.length, "variants");
  const html = a.options.get("html");
  if (html !== undefined)
    writeViewerPage(html, { ...SCENARIOS_FORMAT, ...(interruption === undefined ? {} : { interrupted: interruption }), rows: runs.map((r) => rowWithResult(r, catalogueModule)) });
  if (json) {
    toStdout(`${JSON.stringify({ ...SCENARIOS_FORMAT, ...(interruption === undefined ? {} : { interrupted: interruption }), rows }, null, 2)}\n`);
  } else if (jsonLines) {
    toStdout(`${JSON.stringify({ totals: scenarioTotalsJson(rows), ...(interruption === undefined ? {} : { interrupted: interruption }) })}\n`);
  } else {
    const parts: string[] = [];
    if (a.flags.has("timeline")) parts.push(...runs.flatMap((r) => timeline(r, catalogueModule, detail, width)));
    parts.push(renderScenarioTotals(rows));
    if (interruption !== undefined) parts.push(interruption);
    toStdout(`\n${parts.join("\n\n")}\n`);
  }
  return stop ?? exitCode(runs);
}

export async function scenarioCommand(args: readonly string[], heartbeat?: Heartbeat): Promise<number> {
  const a = parseArguments(args, { ...SHARED_OPTIONS, all: "boolean", variant: "string", replay: "string", dot: "string" });
  const detail = columnDetail(a.flags);
  const width = terminalWidth(positiveInteger(a.options.get("width"), "width"));
  positiveSeconds(a.options.get("timeout"), "timeout");
  if (a.positional.length !== 1) throw new UsageError(`scenario needs one scenario id\n${SCENARIO_USAGE}`);
  const catalogueModule = a.options.get("catalogue");
  const workersText = a.options.get("workers");
  const workers = workersText === "0" ? availableParallelism() : positiveInteger(workersText, "workers");
  // The worker threads build each variant from the built-in catalogue.
  if (workers !== undefined && catalogueModule !== undefined) throw new UsageError("--workers runs the built-in catalogue only: it cannot be combined with --catalogue");
  const catalogue = await loadCatalogue(catalogueModule);
  const scenario = scenarioNamed(catalogue, a.positional[0]!);
  const name = a.options.get("variant");
  const variants = name === undefined ? scenario.variants : [variantNamed(scenario, name)];
  const selected = variants.map((variant) => ({ scenario, variant }));
  const replayId = a.options.get("replay");
  if (replayId !== undefined) return replayScenario(selected, replayId, a.flags.has("json"), detail, heartbeat, width);

  const json = a.flags.has("json");
  const progress = new ProgressLine(a.flags.has("quiet") || json);
  const runs: ScenarioRun[] = [];
  for (const s of selected) {
    if (heartbeat?.interruptedExitCode() !== undefined) break;
    runs.push(runVariant(s, { ...watched(heartbeat, progress, runs), all: a.flags.has("all") }));
  }
  const dotDir = a.options.get("dot");
  if (dotDir !== undefined) for (const r of runs) if (r.model && r.result) writeViolationDots(dotDir, r.model, r.row.memoryModel, r.result.violations);
  const html = a.options.get("html");
  if (html !== undefined) writeViewerPage(html, { ...SCENARIOS_FORMAT, rows: runs.map((r) => rowWithResult(r, catalogueModule)) });
  if (json) {
    console.log(JSON.stringify({ ...SCENARIOS_FORMAT, rows: runs.map((r) => rowWithResult(r, catalogueModule)) }, null, 2));
  } else {
    const header = `${scenario.id}: ${scenario.title} (seed ${scenario.seed}, invariant ${scenario.invariant})`;
    const stop = heartbeat?.interruption();
    const interrupted = stop === undefined ? [] : [renderInterrupted(stop, runs.length, selected.length, "variants")];
    console.log([header, ...runs.map((r) => variantReport(r, catalogueModule, detail, width)), renderScenarioTotals(runs.map((r) => r.row)), ...interrupted].join("\n\n"));
  }
  return heartbeat?.interruptedExitCode() ?? exitCode(runs);
}

/** A row with the whole result as `check --json` prints it, judged against the variant's declaration. */
function rowWithResult(r: ScenarioRun, catalogueModule: string | undefined): object {
  const expect = r.variant.expect === "race" ? "violation" : "verified";
  const replayCommandOf = (id: string) => replayCommand(r, id, catalogueModule);
  return { ...r.row, result: r.model && r.result ? resultJson(r.model, r.result, { expect, replayIds: r.replayIds, replayCommand: replayCommandOf }) : null };
}

/** Reproduces one execution: the variant is the one whose model made the id (`--variant` narrows the search). */
function replayScenario(selected: readonly SelectedVariant[], id: string, json: boolean, detail: ColumnDetail, heartbeat?: Heartbeat, width?: number): number {
  let tag: string;
  try {
    tag = decodeReplayId(id).modelTag;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const built = selected.map((s) => ({ ...s, model: s.variant.build() }));
  const match = built.find((b) => modelTag(b.model) === tag);
  if (match === undefined)
    throw new UsageError(`replay id ${id} was made by none of ${built.map((b) => variantLabel(b)).join(", ")} (or by an earlier version of them, or by another version of pagerace, whose explorer takes other paths)`);
  const label = variantLabel(match);
  announce(label, match.model);
  heartbeat?.watch(0);
  const { graph, outcome } = replay(match.model, id, { site: heartbeat });
  heartbeat?.idle();
  if (json)
    console.log(
      JSON.stringify(
        { scenario: match.scenario.id, variant: match.variant.name, replayId: id, status: outcome.status, violation: outcome.violation ?? null, graph: graphJson(match.model, graph) },
        null,
        2,
      ),
    );
  else console.log(`${label} [${decodeReplayId(id).memoryModel}], replay ${id}:\n\n${renderColumns(match.model, graph, outcome, detail, new Set(), { width })}`);
  return outcome.violation === undefined ? 0 : 1;
}

/** One variant in full: what it is, whether it behaved as declared, and the summary with every violation drawn. */
function variantReport(run: ScenarioRun, catalogueModule: string | undefined, detail: ColumnDetail, width: number): string {
  const { row } = run;
  const head = [
    `${row.variant} [${row.memoryModel}, ${row.size}]: ${row.summary}`,
    `  expected ${expectedText(row)}: ${row.asDeclared ? "OK" : `MISMATCH: ${row.reason}`}`,
  ];
  if (run.model === undefined || run.result === undefined) return head.join("\n");
  const summary = renderSummary(run.model, run.result, { replayIds: run.replayIds, replayCommand: (id) => replayCommand(run, id, catalogueModule), detail, width });
  return [...head, summary].join("\n");
}

/** `--timeline`: the race a variant found (the first violation: the table stops there), drawn, with the command that replays it. */
function timeline(run: ScenarioRun, catalogueModule: string | undefined, detail: ColumnDetail, width: number): string[] {
  const first = run.result?.violations[0];
  if (first === undefined) return [];
  const id = run.replayIds[0];
  const lines = [`${run.row.scenario} ${run.row.variant} [${run.row.memoryModel}]:`, renderColumns(run.model!, first.graph, first.outcome, detail, new Set(), { width })];
  if (id !== undefined) lines.push(`replay: ${replayCommand(run, id, catalogueModule)}`);
  return [lines.join("\n")];
}

/** Catalogue timelines read best one line per kernel step; `--events` shows every access. */
function columnDetail(flags: ReadonlySet<string>): ColumnDetail {
  return flags.has("events") ? "events" : "steps";
}

function replayCommand(run: ScenarioRun, id: string, catalogueModule: string | undefined): string {
  const from = catalogueModule === undefined ? "" : ` --catalogue ${catalogueModule}`;
  return `pagerace scenario ${run.scenario.id} --variant ${run.variant.name} --replay ${id}${from}`;
}

/** 2 when a variant's model is broken (as for `check`), 1 when one did not behave as declared, else 0. */
function exitCode(runs: readonly ScenarioRun[]): number {
  for (const r of runs) {
    if (r.row.found !== "error") continue;
    console.error(`pagerace: ${variantLabel(r)}: model error: ${r.row.message}`);
    if (process.env.PAGERACE_DEBUG) console.error(r.error);
  }
  if (runs.some((r) => r.row.found === "error")) return 2;
  return runs.every((r) => r.row.asDeclared) ? 0 : 1;
}

/**
 * Arms the watchdog (watchdog.ts) while a variant's threads run. Its thread
 * names carry the variant's label, so that a thread that never yields is
 * reported as `004-B2 buggy: fault0`. `counter` (`[3/12] `) leads the
 * progress line's label.
 */
function watched(heartbeat: Heartbeat | undefined, progress: ProgressLine, finished: readonly ScenarioRun[], counter = ""): RunOptions {
  return {
    site: heartbeat,
    onStart: (label, model) => {
      announce(label, model);
      heartbeat?.watch(0);
      // On a terminal, which variant of how many is under way shows at once, before its first progress report.
      progress.starting(`${counter}${label}`);
    },
    onEnd: () => {
      heartbeat?.idle();
      // Cleared before the row is printed: on a terminal the row would otherwise land on the progress line.
      progress.clear();
    },
    onProgress: (label, p) => {
      progress.show(`${counter}${label}`, p);
      // For the main thread to print should this worker die (out of heap) before its table.
      heartbeat?.report([
        ...finished.map((r) => `${variantLabel(r)}: ${r.row.found}, ${r.row.executions.toLocaleString("en-US")} executions`),
        `${label}: ${p.executions.toLocaleString("en-US")} executions, ${p.blocked.toLocaleString("en-US")} blocked so far`,
      ]);
    },
  };
}

function announce(label: string, model: Model): void {
  parentPort?.postMessage({ threadNames: [model.threads.map((t) => `${label}: ${t.name}`)] });
}

/** A filter or seed that matches nothing is most likely a typo: say which ones exist. */
function checkSelection(catalogue: readonly Scenario[], seed: string | undefined, filters: readonly string[]): void {
  const inSeed = seed === undefined ? catalogue : catalogue.filter((s) => normalSeed(s.seed) === normalSeed(seed));
  if (seed !== undefined && inSeed.length === 0)
    throw new UsageError(`no scenario of seed ${normalSeed(seed)} (${known(catalogue, (s) => s.seed, "seeds")})`);
  for (const f of filters)
    if (!inSeed.some((s) => s.id.toLowerCase().startsWith(f.toLowerCase())))
      throw new UsageError(`no scenario${seed === undefined ? "" : ` of seed ${normalSeed(seed)}`} has an id starting with '${f}' (${known(inSeed, (s) => s.id, "scenarios")})`);
}

function scenarioNamed(catalogue: readonly Scenario[], id: string): Scenario {
  const found = catalogue.find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (found === undefined) throw new UsageError(`unknown scenario '${id}' (${known(catalogue, (s) => s.id, "scenarios")})\n${SCENARIO_USAGE}`);
  return found;
}

function variantNamed(scenario: Scenario, name: string) {
  const found = scenario.variants.find((v) => v.name === name);
  if (found === undefined) throw new UsageError(`scenario ${scenario.id} has no variant '${name}' (its variants: ${scenario.variants.map((v) => v.name).join(", ")})`);
  return found;
}

function known(catalogue: readonly Scenario[], key: (s: Scenario) => string, what: string): string {
  const keys = [...new Set(catalogue.map(key))];
  return keys.length === 0 ? "the catalogue has no scenarios yet" : `known ${what}: ${keys.join(", ")}`;
}

/**
 * The built-in catalogue, or the scenarios a module exports (`export const
 * scenarios`, or a default export, an array of scenarios): the user's own
 * catalogue, and the tests' fixtures, run the same way.
 */
async function loadCatalogue(module: string | undefined): Promise<readonly Scenario[]> {
  if (module === undefined) return builtIn;
  if (!existsSync(module)) throw new UsageError(`${module}: no such file`);
  let exports: Record<string, unknown>;
  try {
    providePagerace(resolve(module));
    if (/\.[mc]?ts$/.test(module)) await loadTypeScript();
    exports = (await import(pathToFileURL(resolve(module)).href)) as Record<string, unknown>;
  } catch (e) {
    throw cannotBeLoaded(module, e);
  }
  const list = exports.scenarios ?? exports.default;
  if (!Array.isArray(list) || !list.every(isScenario))
    throw new UsageError(`${module}: exports no scenarios (export const scenarios: Scenario[] = [...], see src/catalogue/scenario.ts)`);
  return list;
}

function isScenario(v: unknown): v is Scenario {
  const s = v as Scenario;
  return typeof v === "object" && v !== null && typeof s.id === "string" && typeof s.seed === "string" && Array.isArray(s.variants);
}

// Entry point of the command line: dispatch, and turn errors into exit codes
// (0 verified, 1 violation, 2 usage or model error).

import { readFileSync } from "node:fs";
import { ModelError } from "../runtime/modelError.ts";
import { CHECK_USAGE, checkCommand } from "./checkCommand.ts";
import { REPLAY_USAGE, replayCommand } from "./replayCommand.ts";
import { LITMUS_USAGE, litmusCommand } from "./litmusCommand.ts";
import { SCENARIO_USAGE, SCENARIOS_USAGE, scenarioCommand, scenariosCommand } from "./scenariosCommand.ts";
import { UsageError } from "./usageError.ts";
import { positiveInteger } from "./arguments.ts";
import { runWatched, Heartbeat } from "./watchdog.ts";
import { LitmusError } from "../litmus/errors.ts";
import { escapeForTerminal, quoteForTerminal, terminalSafeJson } from "../report/terminalText.ts";

export { Heartbeat };
export { serveLitmusRequests } from "../litmus/run/litmusWorker.ts";

const USAGE = `usage:
  ${CHECK_USAGE.replace(/\n/g, "\n  ")}
  ${REPLAY_USAGE}
  ${SCENARIOS_USAGE.replace(/\n/g, "\n  ")}
  ${SCENARIO_USAGE.replace(/\n/g, "\n  ")}
  pagerace litmus [--model lkmm|sc|tso] [-conf FILE] [--json] [-q] <test.litmus>...   (pagerace litmus --help)

exit codes: 0 verified (or as expected), 1 violation, 2 usage or model error, 3 incomplete (bounded or undecided, no violation)`;

/** Each command's own usage, for `pagerace COMMAND --help` and `pagerace help COMMAND`. */
const COMMAND_USAGE: Readonly<Record<string, string>> = {
  check: CHECK_USAGE,
  replay: REPLAY_USAGE,
  scenarios: SCENARIOS_USAGE,
  scenario: SCENARIO_USAGE,
  litmus: LITMUS_USAGE,
};

const HELP = new Set(["--help", "-h", "help"]);

/** The package's version; package.json is two levels up from src/cli and from dist/cli alike. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Help and version, answered before any command runs; undefined when the arguments ask for neither. */
function helpOrVersion(command: string | undefined, rest: readonly string[]): number | undefined {
  if (command === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (command === "--version" || command === "-v") {
    console.log(`pagerace ${version()}`);
    return 0;
  }
  if (HELP.has(command)) {
    const topic = rest[0];
    if (topic === undefined) console.log(`${USAGE}\n\npagerace COMMAND --help describes one command; pagerace --version prints the version.`);
    else if (COMMAND_USAGE[topic] !== undefined) console.log(COMMAND_USAGE[topic]);
    else return report(new UsageError(`no command ${quoteForTerminal(topic)} (${Object.keys(COMMAND_USAGE).join(", ")})`), asksForJson(rest));
    return 0;
  }
  // Options end at "--": what follows may be a file named --help.
  const options = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (COMMAND_USAGE[command] !== undefined && (options.includes("--help") || options.includes("-h"))) {
    console.log(COMMAND_USAGE[command]);
    return 0;
  }
  return undefined;
}

const DEFAULT_TIMEOUT_S = 10;

/** Commands that run model threads: in a watched worker, so that a thread that never yields is stopped. */
const WATCHED = new Set(["check", "replay", "scenarios", "scenario"]);

/** Runs exploring commands in a watched worker (see watchdog.ts); the rest here. */
export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  const answered = helpOrVersion(command, rest);
  if (answered !== undefined) return answered;
  if (command !== undefined && WATCHED.has(command)) {
    let limit = DEFAULT_TIMEOUT_S;
    try {
      limit = positiveInteger(optionValue(rest, "timeout"), "timeout") ?? DEFAULT_TIMEOUT_S;
    } catch (e) {
      return report(e, asksForJson(rest));
    }
    return runWatched(command, rest, limit * 1000);
  }
  return runCommand(command, rest);
}

export async function runCommand(command: string | undefined, rest: readonly string[], site?: Heartbeat): Promise<number> {
  try {
    switch (command) {
      case "check":
        return await checkCommand(rest, site);
      case "replay":
        return await replayCommand(rest, site);
      case "scenarios":
        return await scenariosCommand(rest, site);
      case "scenario":
        return await scenarioCommand(rest, site);
      case "litmus":
        return await litmusCommand(rest);
      default:
        throw new UsageError(`unknown command ${quoteForTerminal(String(command))}\n${USAGE}`);
    }
  } catch (e) {
    return report(e, asksForJson(rest));
  }
}

/** Whether the options (before any `--`) ask for JSON: `--json`, or herd's `-json` for litmus. */
function asksForJson(rest: readonly string[]): boolean {
  const options = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  return options.includes("--json") || options.includes("-json");
}

/** What `--json` prints on stdout when a command ends with exit code 2 (see the README, "Command line"). */
export const ERROR_JSON_FORMAT = { format: "pagerace-error", version: 1 } as const;

export type ErrorKind = "usage" | "model" | "input";

/** The error object: what went wrong, and where in an input file when that is known. */
export function errorJson(e: unknown): object {
  const message = e instanceof Error ? e.message : String(e);
  // A usage error's message is followed by the command's usage text: documentation, not the error.
  if (e instanceof UsageError) return { ...ERROR_JSON_FORMAT, error: { kind: "usage" satisfies ErrorKind, message: message.split("\n")[0] } };
  if (e instanceof LitmusError) {
    return { ...ERROR_JSON_FORMAT, error: { kind: "input" satisfies ErrorKind, message, file: e.fileName, line: e.pos.line, column: e.pos.col } };
  }
  return { ...ERROR_JSON_FORMAT, error: { kind: "model" satisfies ErrorKind, message } };
}

/**
 * Exit code 2 with the error on stderr, escaped for the terminal (a model's
 * strings and the arguments may hold escape sequences; a usage text's line
 * breaks are kept), and with `--json` also as an error object on stdout, so
 * that a script reading stdout always gets JSON.
 */
function report(e: unknown, json = false): number {
  const text = e instanceof UsageError || e instanceof ModelError ? e.message : `model error: ${e instanceof Error ? e.message : String(e)}`;
  console.error(`pagerace: ${escapeForTerminal(text, { keepNewlines: true })}`);
  if (json) console.log(terminalSafeJson(errorJson(e)));
  if (process.env.PAGERACE_DEBUG) console.error(e);
  return 2;
}

function optionValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return undefined;
}

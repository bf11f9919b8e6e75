// Entry point of the command line: dispatch, and turn errors into exit codes
// (0 verified, 1 violation, 2 usage or model error).

import { ModelError } from "../runtime/modelError.ts";
import { CHECK_USAGE, checkCommand } from "./checkCommand.ts";
import { REPLAY_USAGE, replayCommand } from "./replayCommand.ts";
import { litmusCommand } from "./litmusCommand.ts";
import { SCENARIO_USAGE, SCENARIOS_USAGE, scenarioCommand, scenariosCommand } from "./scenariosCommand.ts";
import { UsageError } from "./usageError.ts";
import { positiveInteger } from "./arguments.ts";
import { runWatched, Heartbeat } from "./watchdog.ts";

export { Heartbeat };
export { serveLitmusRequests } from "../litmus/run/litmusWorker.ts";

const USAGE = `usage:
  ${CHECK_USAGE.replace(/\n/g, "\n  ")}
  ${REPLAY_USAGE}
  ${SCENARIOS_USAGE.replace(/\n/g, "\n  ")}
  ${SCENARIO_USAGE.replace(/\n/g, "\n  ")}
  pagerace litmus [--model lkmm|sc|tso] [-conf FILE] [--json] [-q] <test.litmus>...   (pagerace litmus --help)

exit codes: 0 verified (or as expected), 1 violation, 2 usage or model error`;

const DEFAULT_TIMEOUT_S = 10;

/** Commands that run model threads: in a watched worker, so that a thread that never yields is stopped. */
const WATCHED = new Set(["check", "replay", "scenarios", "scenario"]);

/** Runs exploring commands in a watched worker (see watchdog.ts); the rest here. */
export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== undefined && WATCHED.has(command)) {
    let limit = DEFAULT_TIMEOUT_S;
    try {
      limit = positiveInteger(optionValue(rest, "timeout"), "timeout") ?? DEFAULT_TIMEOUT_S;
    } catch (e) {
      return report(e);
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
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'\n${USAGE}`);
    }
  } catch (e) {
    return report(e);
  }
}

function report(e: unknown): number {
  if (e instanceof UsageError || e instanceof ModelError) console.error(`pagerace: ${e.message}`);
  else console.error(`pagerace: model error: ${e instanceof Error ? e.message : String(e)}`);
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

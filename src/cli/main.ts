// Entry point of the command line: dispatch, and turn errors into exit codes
// (0 verified, 1 violation, 2 usage or model error).
//
// Start-up is most of a small check's time: each command's modules (and the
// catalogue, the litmus compiler, the reports) load only when that command
// runs or its usage is asked for, so that `--version`, the watching main
// thread of `check` and `litmus` load none of the others'. So do this file's
// own needs (the watchdog, the error document, terminal escaping): `--version`
// loads next to nothing.

import { packageVersion } from "./packageVersion.ts";
import { UsageError } from "./usageError.ts";
import { asksForCommandHelp } from "./commandHelp.ts";
import type { Heartbeat, StuckRun } from "./heartbeat.ts";
import type { HandedOverRun } from "./handedOverRun.ts";
import type { HandedOverByServer } from "./server/serverClient.ts";

/** A command in the watched worker (bin/worker.mjs), with the worker's side of the watchdog, loaded only there. */
export async function runWatchedCommand(
  command: string,
  args: readonly string[],
  beat: SharedArrayBuffer,
  resumed: readonly HandedOverRun[] | undefined,
  stuck: readonly StuckRun[] | undefined,
): Promise<number> {
  const { Heartbeat } = await import("./heartbeat.ts");
  return runCommand(command, args, new Heartbeat(new Int32Array(beat), undefined, undefined, { resumed, stuck }));
}

/** A litmus worker thread's loop (bin/worker.mjs), loaded only in such a thread. */
export async function serveLitmusRequests(): Promise<void> {
  (await import("../litmus/run/litmusWorker.ts")).serveLitmusRequests();
}

/** An exploration worker thread's loop (check --workers), loaded only in such a thread. */
export async function serveSubtreeRequests(): Promise<void> {
  (await import("./subtreeWorkerEntry.ts")).serveSubtreeRequests();
}

/** The whole usage text, built from every command's own. */
async function usage(): Promise<string> {
  const u = await commandUsages();
  return `usage:
  ${u.check!.replace(/\n/g, "\n  ")}
  ${u.replay!.replace(/\n/g, "\n  ")}
  ${u.scenarios!.replace(/\n/g, "\n  ")}
  ${u.scenario!.replace(/\n/g, "\n  ")}
  pagerace litmus [--model lkmm|sc|tso] [-conf FILE] [--json] [-q] <test.litmus>...   (pagerace litmus --help)
  ${u.view!.replace(/\n/g, "\n  ")}
  ${u.worker!.replace(/\n/g, "\n  ")}
  ${u.server!.replace(/\n/g, "\n  ")}

exit codes: 0 verified (or as expected), 1 violation, 2 usage or model error, 3 incomplete (bounded or undecided, no violation)`;
}

const COMMANDS = ["check", "replay", "scenarios", "scenario", "litmus", "view", "worker", "server"] as const;

function isCommand(name: string): name is (typeof COMMANDS)[number] {
  return (COMMANDS as readonly string[]).includes(name);
}

/** Each command's own usage, for `pagerace COMMAND --help` and `pagerace help COMMAND`; loads every command, so help only. */
async function commandUsages(): Promise<Readonly<Record<string, string>>> {
  const [check, replay, scenarios, litmus, view, worker, server] = await Promise.all([
    import("./checkCommand.ts"),
    import("./replayCommand.ts"),
    import("./scenariosCommand.ts"),
    import("./litmusCommand.ts"),
    import("./viewCommand.ts"),
    import("./workerCommand.ts"),
    import("./server/serverCommand.ts"),
  ]);
  return {
    check: check.CHECK_USAGE,
    replay: replay.REPLAY_USAGE,
    scenarios: scenarios.SCENARIOS_USAGE,
    scenario: scenarios.SCENARIO_USAGE,
    litmus: litmus.LITMUS_USAGE,
    view: view.VIEW_USAGE,
    worker: worker.WORKER_USAGE,
    server: server.SERVER_USAGE,
  };
}

const HELP = new Set(["--help", "-h", "help"]);

/** Help and version, answered before any command runs; undefined when the arguments ask for neither. */
async function helpOrVersion(command: string | undefined, rest: readonly string[]): Promise<number | undefined> {
  if (command === undefined) {
    console.error(await usage());
    return 2;
  }
  if (command === "--version" || command === "-v") {
    console.log(`pagerace ${packageVersion()}`);
    return 0;
  }
  if (HELP.has(command)) {
    const topic = rest[0];
    if (topic === undefined) console.log(`${await usage()}\n\npagerace COMMAND --help describes one command; pagerace --version prints the version.`);
    else if (isCommand(topic)) console.log((await commandUsages())[topic]);
    else {
      const { quoteForTerminal } = await import("../report/terminalText.ts");
      return report(new UsageError(`no command ${quoteForTerminal(topic)} (${COMMANDS.join(", ")})`), rest);
    }
    return 0;
  }
  if (isCommand(command) && asksForCommandHelp(rest)) {
    console.log((await commandUsages())[command]);
    return 0;
  }
  return undefined;
}

const DEFAULT_TIMEOUT_S = 10;

/** Commands that run model threads: in a watched worker, so that a thread that never yields is stopped (a small check in the main thread first, see mainThreadFirst.ts). */
const WATCHED = new Set(["check", "replay", "scenarios", "scenario"]);

/**
 * Runs exploring commands in a watched worker (see watchdog.ts), or first
 * here (mainThreadFirst.ts); the rest here. bin/pagerace.mjs has asked the
 * warm server first (server/serverClient.ts): `handedOver` is what a check
 * the server began hands to the watched worker.
 */
export async function main(args: readonly string[], handedOver?: HandedOverByServer): Promise<number> {
  const [command, ...rest] = args;
  const answered = await helpOrVersion(command, rest);
  if (answered !== undefined) return answered;
  if (command !== undefined && WATCHED.has(command)) {
    const [{ positiveSeconds }, { argumentsAllowMainThread, heapAllowsMainThread }] = await Promise.all([import("./arguments.ts"), import("./mainThreadEligibility.ts")]);
    let limit = DEFAULT_TIMEOUT_S;
    try {
      limit = positiveSeconds(optionValue(rest, "timeout"), "timeout") ?? DEFAULT_TIMEOUT_S;
    } catch (e) {
      return report(e, rest);
    }
    if (handedOver !== undefined) return (await import("./watchdog.ts")).runWatched(command, rest, limit * 1000, handedOver.signalled, handedOver.handedOver);
    if (argumentsAllowMainThread(command, rest) && (await heapAllowsMainThread())) {
      return (await import("./mainThreadFirst.ts")).runMainThreadFirst(command, rest, limit * 1000, runCommand);
    }
    return (await import("./watchdog.ts")).runWatched(command, rest, limit * 1000);
  }
  return runCommand(command, rest);
}

export async function runCommand(command: string | undefined, rest: readonly string[], site?: Heartbeat): Promise<number> {
  try {
    switch (command) {
      case "check":
        return await (await import("./checkCommand.ts")).checkCommand(rest, site);
      case "replay":
        return await (await import("./replayCommand.ts")).replayCommand(rest, site);
      case "scenarios":
        return await (await import("./scenariosCommand.ts")).scenariosCommand(rest, site);
      case "scenario":
        return await (await import("./scenariosCommand.ts")).scenarioCommand(rest, site);
      case "litmus":
        return await (await import("./litmusCommand.ts")).litmusCommand(rest);
      case "view":
        return (await import("./viewCommand.ts")).viewCommand(rest);
      case "worker":
        return await (await import("./workerCommand.ts")).workerCommand(rest);
      case "server":
        return await (await import("./server/serverCommand.ts")).serverCommand(rest);
      default: {
        const { quoteForTerminal } = await import("../report/terminalText.ts");
        throw new UsageError(`unknown command ${quoteForTerminal(String(command))}\n${await usage()}`);
      }
    }
  } catch (e) {
    // A command run in the main thread first that is to move to the worker (mainThreadFirst.ts).
    if (site !== undefined && (await import("./boundedSlice.ts")).isHandOver(e)) throw e;
    return report(e, rest);
  }
}

/**
 * Exit code 2 with the error on stderr, escaped for the terminal (a model's
 * strings and the arguments may hold escape sequences; a usage text's line
 * breaks are kept), and with `--json` (or `--json-lines`, as the stream's
 * last line) also as an error object on stdout, so that a script reading
 * stdout always gets JSON.
 */
export async function report(e: unknown, args: readonly string[]): Promise<number> {
  const [{ ModelError }, { asksForJson, errorJson, errorJsonIndent }, { escapeForTerminal, terminalSafeJson }] = await Promise.all([
    import("../runtime/modelError.ts"),
    import("./errorDocument.ts"),
    import("../report/terminalText.ts"),
  ]);
  const text = e instanceof UsageError || e instanceof ModelError ? e.message : `model error: ${e instanceof Error ? e.message : String(e)}`;
  console.error(`pagerace: ${escapeForTerminal(text, { keepNewlines: true })}`);
  if (asksForJson(args)) console.log(terminalSafeJson(errorJson(e), errorJsonIndent(args)));
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

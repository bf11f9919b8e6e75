// A command (check, replay, litmus) run on this installation's warm server
// (serverCommand.ts), when one listens: the client passes on its folder,
// environment, terminal and, for a check or replay, its signals; it shows
// the progress and output as they come, and a check's output once it ends.
// A check that outgrew the server's main thread, the client's watched
// worker takes over from where it stands. When no server listens, or it is
// busy, declines the command or goes away before answering, the client
// runs the command itself, as if no server had been asked.
//
// It is the first thing `pagerace check`, `replay` and `litmus` load
// (bin/pagerace.mjs), built as one file that loads no other module of
// pagerace's (dist/cli/server/serverClient.bundle.js, scripts/build.mjs):
// when the server runs the command, the client's process is node's start
// and little more.

import { createConnection } from "node:net";
import type { HandedOverRun } from "../handedOverRun.ts";
import { STOP_SIGNALS, type StopSignal } from "../stopSignals.ts";
import { serverLogPath, serverSocketPath } from "./serverAddress.ts";
import { environmentOfThisProcess } from "./clientProcess.ts";
import { onMessages, send, type ServerMessage, type Write } from "./serverProtocol.ts";
import { argumentsAllowMainThread } from "../mainThreadEligibility.ts";
import { asksForCommandHelp } from "../commandHelp.ts";

/** How long a client waits for the server to start its command before it runs the command itself. */
const ACCEPT_WITHIN_MS = 2000;

/** A check the server began and handed over: its runs, for the client's watched worker to go on with, and the signal it got meanwhile. */
export interface HandedOverByServer {
  readonly handedOver: readonly HandedOverRun[];
  readonly signalled: StopSignal | undefined;
}

/** What became of a command sent to the server: its exit code, or a check handed over. */
export type OnServer = { readonly code: number } | HandedOverByServer;

/**
 * What became of the command line `args` on the server; undefined when the
 * command is to run here: not check, replay or litmus, a request for its
 * usage, a check or replay with options that start workers or write files
 * (mainThreadEligibility.ts), or no server that ran it. (bin/pagerace.mjs
 * does not ask under PAGERACE_NO_SERVER.)
 */
export async function runOnServer(args: readonly string[]): Promise<OnServer | undefined> {
  const [command, ...rest] = args;
  if (command === "litmus" ? asksForCommandHelp(rest) : !argumentsAllowMainThread(command!, rest)) return undefined;
  let socketPath: string;
  try {
    socketPath = serverSocketPath();
  } catch {
    return undefined;
  }
  const outcome = await exchange(socketPath, args);
  if (outcome === undefined || "code" in outcome) return outcome;
  // Loaded only here: node:v8 is a few milliseconds of every client's start.
  const { deserialize } = await import("node:v8");
  return { handedOver: deserialize(Buffer.from(outcome.runs, "base64")) as HandedOverRun[], signalled: outcome.signalled };
}

/** What the server answered: the exit code, or the runs handed over as they came (v8-serialized, in base64). */
type Answer = { readonly code: number } | { readonly runs: string; readonly signalled: StopSignal | undefined };

/** The server's answer to `args` sent to it at `socketPath`; undefined when the command is to run here. */
function exchange(socketPath: string, args: readonly string[]): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath);
    let outcome: Answer | undefined;
    let accepted = false;
    let declined = false;
    let printed = false;
    // A litmus command in its own process dies of a signal; so does its client, and the server stops at the next test.
    const passedOn = args[0] !== "litmus" ? (Object.keys(STOP_SIGNALS) as StopSignal[]) : [];
    const passOn = passedOn.map((signal) => {
      const handler = () => send(socket, { kind: "signal", signal });
      return [signal, handler] as const;
    });
    const finish = () => {
      clearTimeout(unanswered);
      for (const [signal, handler] of passOn) process.off(signal, handler);
      if (outcome === undefined && printed) {
        // Part of the output is out: running the command here would print it twice.
        console.error("pagerace: the server stopped before the command ended: its output above is incomplete (PAGERACE_NO_SERVER=1 runs it here)");
        outcome = { code: 2 };
      } else if (outcome === undefined && accepted && !declined) {
        console.error(`pagerace: the server stopped during the command (its log: ${serverLogPath(socketPath)}); running it here from the start`);
      }
      resolve(outcome);
    };
    // A server whose thread an earlier command holds (a model's module that never returns) cannot say it started.
    const unanswered = setTimeout(() => socket.destroy(), ACCEPT_WITHIN_MS);
    socket.on("connect", () => {
      for (const [signal, handler] of passOn) process.on(signal, handler);
      send(socket, {
        kind: "command",
        args,
        cwd: process.cwd(),
        env: environmentOfThisProcess(),
        stdoutColumns: process.stdout.columns,
        stderrIsTTY: process.stderr.isTTY === true,
      });
    });
    onMessages<ServerMessage>(socket, (message) => {
      switch (message.kind) {
        case "accepted":
          accepted = true;
          clearTimeout(unanswered);
          return;
        case "progress":
          process.stderr.write(message.text);
          return;
        case "output":
          printed = true;
          write(message.write);
          return;
        case "done":
          message.writes.forEach(write);
          outcome = { code: message.code };
          break;
        case "handOver":
          outcome = { runs: message.runs, signalled: message.signalled ?? undefined };
          break;
        default:
          declined = true;
          if (process.env.PAGERACE_DEBUG) console.error(`pagerace: the server did not run the command: ${message.kind === "declined" ? message.why : message.kind}`);
      }
      socket.destroy();
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", finish);
  });
}

function write([stream, chunk]: Write): void {
  process[stream].write(typeof chunk === "string" ? chunk : Buffer.from(chunk.base64, "base64"));
}

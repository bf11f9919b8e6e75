// A command (check, litmus) run on this installation's warm server
// (serverCommand.ts), when one listens: the client passes on its folder,
// environment, terminal and, for a check, its signals; it shows the
// progress and output as they come, and a check's output once it ends. A
// check that outgrew the server's main thread, the client's watched worker
// takes over from where it stands. When no server listens, or it is busy,
// declines the command or goes away before answering, the client runs the
// command itself, as if no server had been asked.

import { createConnection } from "node:net";
import { deserialize } from "node:v8";
import type { HandedOverRun } from "../handedOverRun.ts";
import { STOP_SIGNALS, type StopSignal } from "../heartbeat.ts";
import { serverLogPath, serverSocketPath } from "./serverAddress.ts";
import { environmentOfThisProcess } from "./clientProcess.ts";
import { onMessages, send, type ServerMessage, type Write } from "./serverProtocol.ts";

/** How long a client waits for the server to start its command before it runs the command itself. */
const ACCEPT_WITHIN_MS = 2000;

/** What became of a command sent to the server: its exit code, or a check's runs for the client's worker to go on with. */
export type OnServer = { readonly code: number } | { readonly handedOver: readonly HandedOverRun[]; readonly signalled: StopSignal | undefined };

/** What became of `args` (check or litmus, and its arguments) on the server; undefined when it is to run here. */
export function runOnServer(args: readonly string[]): Promise<OnServer | undefined> {
  let socketPath: string;
  try {
    socketPath = serverSocketPath();
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const socket = createConnection(socketPath);
    let outcome: OnServer | undefined;
    let accepted = false;
    let declined = false;
    let printed = false;
    // A litmus command in its own process dies of a signal; so does its client, and the server stops at the next test.
    const passedOn = args[0] === "check" ? (Object.keys(STOP_SIGNALS) as StopSignal[]) : [];
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
          outcome = { handedOver: deserialize(Buffer.from(message.runs, "base64")) as HandedOverRun[], signalled: message.signalled ?? undefined };
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

// A check run on this installation's warm server (serverCommand.ts), when
// one listens: the client passes on its folder, environment, terminal and
// signals, shows the progress as it comes, and writes what the check wrote
// once it ends; a check that outgrew the server's main thread, its watched
// worker takes over from where it stands. When no server listens, or it is busy, declines the check
// or goes away before answering, the client runs the check itself, as if
// no server had been asked.

import { createConnection } from "node:net";
import { deserialize } from "node:v8";
import type { HandedOverRun } from "../handedOverRun.ts";
import { STOP_SIGNALS, type StopSignal } from "../heartbeat.ts";
import { serverSocketPath } from "./serverAddress.ts";
import { onMessages, send, type ServerMessage } from "./serverProtocol.ts";

/** How long a client waits for the server to start its check before it runs the check itself. */
const ACCEPT_WITHIN_MS = 2000;

/** What became of a check sent to the server: its exit code, or runs for the client's worker to go on with. */
export type OnServer = { readonly code: number } | { readonly handedOver: readonly HandedOverRun[]; readonly signalled: StopSignal | undefined };

/** What became of `args` (a check) on the server; undefined when it is to run here. */
export function checkOnServer(args: readonly string[]): Promise<OnServer | undefined> {
  let socketPath: string;
  try {
    socketPath = serverSocketPath();
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const socket = createConnection(socketPath);
    let outcome: OnServer | undefined;
    const passOn = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => {
      const handler = () => send(socket, { kind: "signal", signal });
      return [signal, handler] as const;
    });
    const finish = () => {
      clearTimeout(unanswered);
      for (const [signal, handler] of passOn) process.off(signal, handler);
      resolve(outcome);
    };
    // A server whose thread some earlier check holds (a model's module that never returns) cannot say it started.
    const unanswered = setTimeout(() => socket.destroy(), ACCEPT_WITHIN_MS);
    socket.on("connect", () => {
      for (const [signal, handler] of passOn) process.on(signal, handler);
      send(socket, {
        kind: "check",
        args,
        cwd: process.cwd(),
        env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
        stdoutColumns: process.stdout.columns,
        stderrIsTTY: process.stderr.isTTY === true,
      });
    });
    onMessages<ServerMessage>(socket, (message) => {
      if (message.kind === "accepted") clearTimeout(unanswered);
      else if (message.kind === "progress") process.stderr.write(message.text);
      else if (message.kind === "done") {
        for (const [stream, chunk] of message.writes) process[stream].write(typeof chunk === "string" ? chunk : Buffer.from(chunk.base64, "base64"));
        outcome = { code: message.code };
        socket.destroy();
      } else if (message.kind === "handOver") {
        outcome = { handedOver: deserialize(Buffer.from(message.runs, "base64")) as HandedOverRun[], signalled: message.signalled ?? undefined };
        socket.destroy();
      } else {
        if (process.env.PAGERACE_DEBUG) console.error(`pagerace: the server did not run the check: ${message.kind === "declined" ? message.why : message.kind}`);
        socket.destroy();
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", finish);
  });
}

// What a client and the warm server say to each other over the socket: one
// JSON object a line.

import type { Socket } from "node:net";
import type { StopSignal } from "../stopSignals.ts";
import type { StreamName } from "../streamWrites.ts";

/** A command (check, litmus) to run as the client's own process would run it. */
export interface CommandRequest {
  readonly kind: "command";
  /** The command line after `pagerace`. */
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdoutColumns: number | undefined;
  readonly stderrIsTTY: boolean;
}

export type ClientMessage =
  | CommandRequest
  /** A signal the client got, passed on: the check stops as the client's own would. */
  | { readonly kind: "signal"; readonly signal: StopSignal }
  | { readonly kind: "status" }
  | { readonly kind: "stop" };

/** A write of the check's to stdout or stderr: text, or bytes in base64. */
export type Write = readonly [StreamName, string] | readonly [StreamName, { readonly base64: string }];

export type ServerMessage =
  /** The check has started: said at once, so that a client of a server stuck on an earlier check does not wait for it. */
  | { readonly kind: "accepted" }
  | { readonly kind: "progress"; readonly text: string }
  /** A write of a command whose output goes out as it comes (litmus: nothing is handed over). */
  | { readonly kind: "output"; readonly write: Write }
  /** The check ended: what it wrote, in order, and its exit code. */
  | { readonly kind: "done"; readonly code: number; readonly writes: readonly Write[] }
  /**
   * The check outgrew the server's main thread: the client's watched worker
   * takes its runs (v8-serialized HandedOverRun[], in base64) from where
   * they stand, as the client's own main thread would hand them over.
   */
  | { readonly kind: "handOver"; readonly runs: string; readonly signalled: StopSignal | null }
  /** Not run here (busy, or a check the client must run itself): nothing of it was seen. */
  | { readonly kind: "declined"; readonly why: string }
  | {
      readonly kind: "status";
      readonly pid: number;
      readonly served: number;
      /** Commands begun on the server that their clients ran or went on with. */
      readonly handedBack: number;
      readonly startedAt: string;
      readonly busy: boolean;
      readonly cpuMs: number;
    };

export function send(socket: Socket, message: ClientMessage | ServerMessage): void {
  socket.write(`${JSON.stringify(message)}\n`);
}

/** Calls `onMessage` with each message the socket brings; a line that is not JSON ends the connection. */
export function onMessages<T>(socket: Socket, onMessage: (message: T) => void): void {
  let pending = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    pending += chunk;
    let end: number;
    while ((end = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      let message: T;
      try {
        message = JSON.parse(line) as T;
      } catch {
        socket.destroy();
        return;
      }
      onMessage(message);
    }
  });
}

// One check or replay run by the warm server for a client, as the
// client's own process would run it in its main thread (mainThreadFirst.ts):
// in the client's folder and environment, with its terminal's width, its
// models loaded as modules of their own, its signals passed on, and its
// output held back and sent whole once the command ends. What the client's
// process would hand to its watched worker goes back to the client, whose
// worker goes on with it; a command that cannot run here at all, the
// client runs itself: nothing of it has been seen.

import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { serialize } from "node:v8";
import { loadModelsFresh } from "../loadModels.ts";
import { runMainThreadFirst, type MainThreadHost } from "../mainThreadFirst.ts";
import { runCommand } from "../main.ts";
import { heapAllowsMainThread } from "../mainThreadEligibility.ts";
import { stopWithoutSummary } from "../stopWithoutSummary.ts";
import { STOP_SIGNALS, type StopSignal } from "../stopSignals.ts";
import type { CommandRequest, ServerMessage, Write } from "./serverProtocol.ts";
import { takeOnClient, writeOf } from "./clientProcess.ts";

/** Runs `request`, answering through `reply` (`signals`: where the connection passes the client's signals to); whether the check ran here. */
export async function serveMainThreadFirst(
  request: CommandRequest,
  reply: (message: ServerMessage) => void,
  signals: SignalRelay,
  modulesDirectory: string,
  instance: string,
): Promise<boolean> {
  // The client asks before it reads its heap; the server's is as large, node and its options being the same.
  if (!(await heapAllowsMainThread())) {
    reply({ kind: "declined", why: "a heap too small for a check in the main thread" });
    return false;
  }
  const writes: Write[] = [];
  let answered: ServerMessage | undefined;
  const answer = (message: ServerMessage) => {
    if (answered !== undefined) return;
    answered = message;
    reply(message);
  };
  const host: MainThreadHost = {
    listen: (onSignal) => signals.listen(onSignal),
    progressWriter: () => (text) => {
      if (answered === undefined) reply({ kind: "progress", text });
    },
    release: (stream, args) => writes.push(writeOf(stream, args[0])),
    stopNow: (signal, soFar, args) => {
      const said: Write[] = [];
      stopWithoutSummary(signal, soFar, args, { error: (line) => said.push(["stderr", `${line}\n`]), log: (line) => said.push(["stdout", `${line}\n`]) });
      // The check goes on to its summary, which nobody reads now.
      answer({ kind: "done", code: 128 + STOP_SIGNALS[signal], writes: said });
    },
    handOver: async (_command, _args, _limitMs, runs, stopListening, signalled) => {
      stopListening();
      // Nothing to go on from and no signal to pass on (a model that cannot load afresh, a run to be run again from the start): as if never asked.
      if (runs.length === 0 && signalled() === undefined) answer({ kind: "declined", why: "the check is to run in the client's own process" });
      else answer({ kind: "handOver", runs: serialize(runs).toString("base64"), signalled: signalled() ?? null });
      return 0;
    },
  };
  const [command, ...rest] = request.args;
  const fresh = join(modulesDirectory, instance);
  const restore = takeOnClient(request);
  try {
    mkdirSync(fresh, { recursive: true });
    loadModelsFresh({ directory: fresh, instance });
    const code = await runMainThreadFirst(command!, rest, 0, runCommand, host);
    answer({ kind: "done", code, writes });
  } catch (e) {
    // Only a failure of pagerace's own lands here; the client, running the check itself, reports it as its own.
    answer({ kind: "declined", why: `the server failed: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    loadModelsFresh(undefined);
    restore();
    // Node has read the modules once it imported them; the folder goes once the client has its answer.
    void rm(fresh, { recursive: true, force: true });
  }
  return answered?.kind === "done";
}

/** Passes the client's signals on to whoever listens during its check. */
export class SignalRelay {
  private readonly listeners = new Set<(signal: StopSignal) => void>();

  listen(onSignal: (signal: StopSignal) => void): { off(): void } {
    this.listeners.add(onSignal);
    return { off: () => this.listeners.delete(onSignal) };
  }

  signal(signal: StopSignal): void {
    for (const listener of [...this.listeners]) listener(signal);
  }
}

// `pagerace litmus` run by the warm server for a client, as the client's
// own process would run it: in its folder and environment, each test in
// the server's main thread, where pagerace's code is compiled already. Its
// output goes to the client as it comes, a herd7 block per test, as the
// client's own process prints it. A client that goes away (SIGINT kills it,
// as it kills the command in its own process) stops the command before
// its next test.

import { report } from "../main.ts";
import type { CommandRequest, ServerMessage } from "./serverProtocol.ts";
import { takeOnClient, writeOf } from "./clientProcess.ts";
import { takeOverWrites } from "../streamWrites.ts";

/** Runs `request` (a litmus command), answering through `reply`; `gone` says whether the client has gone. */
export async function serveLitmus(request: CommandRequest, reply: (message: ServerMessage) => void, gone: () => boolean): Promise<void> {
  const rest = request.args.slice(1);
  const restore = takeOnClient(request);
  const forwarded = takeOverWrites((stream, [chunk, ...rest]) => {
    if (!gone()) reply({ kind: "output", write: writeOf(stream, chunk) });
    // Sent at once: a write's callback, if it was given one, is due.
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    if (callback !== undefined) queueMicrotask(callback);
  });
  let code: number;
  try {
    // Each test runs to its end in this thread: between two, the socket's news (a client gone) comes in.
    const stopped = () => new Promise<boolean>((resolve) => setImmediate(() => resolve(gone())));
    code = await (await import("../litmusCommand.ts")).litmusCommand(rest, stopped);
  } catch (e) {
    code = await report(e, rest);
  } finally {
    forwarded();
    restore();
  }
  reply({ kind: "done", code, writes: [] });
}

// The server's process as the client's would be for one command: its
// folder, its environment, and the shape of its streams (a terminal's
// width, whether stderr is a terminal), given back once the command ends.

import type { CommandRequest, Write } from "./serverProtocol.ts";
import { overrideOwn, type StreamName } from "../streamWrites.ts";

/** This process's environment, as a request carries it. */
export function environmentOfThisProcess(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** One write to a stream, as the protocol carries it. */
export function writeOf(stream: StreamName, chunk: unknown): Write {
  if (typeof chunk === "string") return [stream, chunk];
  if (chunk instanceof Uint8Array) return [stream, { base64: Buffer.from(chunk).toString("base64") }];
  return [stream, String(chunk)];
}

/** The server's process takes on the client's folder, environment and streams' shape; the returned function gives them back. */
export function takeOnClient(request: CommandRequest): () => void {
  const cwd = process.cwd();
  const env = { ...process.env };
  process.chdir(request.cwd);
  replaceEnvironment(request.env);
  const shapes = [overrideOwn(process.stdout, "columns", request.stdoutColumns), overrideOwn(process.stderr, "isTTY", request.stderrIsTTY)];
  return () => {
    for (const undo of shapes) undo();
    replaceEnvironment(env);
    process.chdir(cwd);
  };
}

function replaceEnvironment(env: Readonly<Record<string, string | undefined>>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) process.env[key] = value;
}

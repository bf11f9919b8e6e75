// The `pagerace-error` document: what `--json` prints on stdout when a
// command ends with exit code 2 (docs/json.md, docs/schema/pagerace-error.schema.json),
// so that a script reading stdout always gets JSON. Built here for the
// command's own errors (main.ts) and for the ends the worker cannot report
// itself: a thread stopped by the watchdog, a worker out of heap, a second
// signal that stops the run before its summary (watchdog.ts).

import { UsageError } from "./usageError.ts";
import { LitmusError } from "../litmus/errors.ts";

export const ERROR_JSON_FORMAT = { format: "pagerace-error", version: 1 } as const;

export type ErrorKind = "usage" | "model" | "input" | "interrupted";

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

/** The arguments that are options: those before any `--`. */
function optionsOf(rest: readonly string[]): readonly string[] {
  return rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
}

/** Whether the options ask for JSON: `--json`, herd's `-json` for litmus, or a `--json-lines` stream. */
export function asksForJson(rest: readonly string[]): boolean {
  const options = optionsOf(rest);
  return options.includes("--json") || options.includes("-json") || options.includes("--json-lines");
}

/** The indentation of a JSON error document: none in a `--json-lines` stream, where it is the last line. */
export function errorJsonIndent(rest: readonly string[]): number {
  return optionsOf(rest).includes("--json-lines") ? 0 : 2;
}

/** A run stopped by a second SIGINT or SIGTERM before it could print its summary: `message` holds the counts last reported. */
export function interruptedJson(message: string): object {
  return { ...ERROR_JSON_FORMAT, error: { kind: "interrupted" satisfies ErrorKind, message } };
}

// Bad input from the user (arguments, files): exit code 2 with the message alone.

import { thrownAt } from "../runtime/thrownAt.ts";

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * A model or catalogue module that threw while it was imported: the error,
 * and where the module's own code threw it when that is known (a model
 * built wrongly, a location declared twice), as `(at file:line:column)`.
 */
export function cannotBeLoaded(what: string, e: unknown): UsageError {
  const at = e instanceof Error ? thrownAt(e.stack) : undefined;
  return new UsageError(`${what}: cannot be loaded: ${e instanceof Error ? e.message : String(e)}${at === undefined ? "" : ` (at ${at})`}`);
}

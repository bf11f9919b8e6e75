// A second signal's end of a command (the first asks it to stop with its
// summary): said at once, with what the run last reported it had found.
// Kept apart from the watchdog (watchdog.ts) so that the main thread can say
// it without loading the watchdog first (mainThreadFirst.ts): a summary
// under way meanwhile would be printed too.

import { asksForJson, errorJsonIndent, interruptedJson } from "./errorDocument.ts";
import { terminalSafeJson } from "../report/terminalText.ts";
import type { StopSignal } from "./stopSignals.ts";

/**
 * A second signal's end: said on stderr with what the run last reported it
 * had found, and, with --json, as the error document (kind interrupted), so
 * that a script reading stdout still gets a document saying the run was cut short.
 */
export function stopWithoutSummary(
  signal: StopSignal,
  soFar: readonly string[],
  args: readonly string[],
  say: { error(line: string): void; log(line: string): void } = console,
): void {
  const message = withSoFar(`${signal} again: stopped without waiting for the summary`, soFar);
  say.error(`pagerace: ${message}`);
  if (asksForJson(args)) say.log(terminalSafeJson(interruptedJson(message), errorJsonIndent(args)));
}

/** A message followed by what the worker last reported it had found, one run a line. */
export function withSoFar(head: string, soFar: readonly string[]): string {
  return soFar.length === 0 ? head : [`${head.replace(/\.$/, "")}; counts so far (INCOMPLETE):`, ...soFar.map((l) => `  ${l}`)].join("\n");
}

// `pagerace litmus --json`: the same facts as herd's block, as a versioned
// JSON document, one entry per file (tests that could not run included).
// A run that did not explore every execution has status "incomplete", the
// reason, and what it explored, but no observation or ok: it has no verdict.

import type { TimedLitmusResult } from "../../litmus/run/timedLitmusRunner.ts";

export const LITMUS_JSON_FORMAT = { format: "pagerace-litmus", version: 1 } as const;

export function litmusResultJson(file: string, result: TimedLitmusResult): object {
  if (result.kind === "timeout") return { file, status: "timeout", seconds: result.seconds };
  if (result.kind !== "run") {
    // Where in the file the problem is, for tools that jump to it (also in the message's `file:line:col:`).
    const at = result.kind !== "failed" && result.line !== undefined ? { line: result.line, column: result.column } : {};
    return { file, status: result.kind, message: result.message, ...at };
  }
  const r = result.run;
  if (r.incomplete !== undefined) {
    return {
      file,
      status: "incomplete",
      incomplete: r.incomplete,
      test: r.name,
      memoryModel: r.memoryModel,
      strategy: r.strategy,
      expectation: r.expectation,
      condition: r.conditionText,
      explored: { holds: r.holds, fails: r.fails, states: r.states, flags: r.flags },
      uncounted: r.uncounted,
      elapsedMs: Math.round(r.elapsedMs * 1000) / 1000,
    };
  }
  return {
    file,
    status: "run",
    test: r.name,
    memoryModel: r.memoryModel,
    strategy: r.strategy,
    expectation: r.expectation,
    condition: r.conditionText,
    observation: r.verdict.observation,
    ok: r.verdict.ok,
    holds: r.holds,
    fails: r.fails,
    positive: r.verdict.witnesses.positive,
    negative: r.verdict.witnesses.negative,
    flags: r.flags,
    states: r.states,
    uncounted: r.uncounted,
    elapsedMs: Math.round(r.elapsedMs * 1000) / 1000,
  };
}

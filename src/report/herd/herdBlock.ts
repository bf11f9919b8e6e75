// herd7's result block for one test, byte for byte as herd7 prints it
// (herdtools7 herd/top_herd.ml), e.g.
//
//   Test SB Allowed
//   States 4
//   0:r0=0; 1:r0=0;
//   ...
//   Ok
//   Witnesses
//   Positive: 1 Negative: 3
//   Flag data-race            (one line per flag, if any)
//   Condition exists (0:r0=0 /\ 1:r0=0)
//   Observation SB Sometimes 1 3
//   Time SB 0.01
//   Hash=...                  (only when the test carries one: see below)
//   <blank line>
//
// herd computes a `Hash=` digest of the test when the test has none; its
// exact input (herd's own re-printing of the processes) could not be
// reproduced, so pagerace prints the line only for tests that state their
// hash in their header, which herd echoes unchanged.
//
// A run that did not explore every execution has no verdict: herd7 has no
// way to say so (its `Loop` prefix still prints one), so the block keeps
// the `Test` and `Condition` lines and puts, where herd's verdict lines
// would be, what was explored and why that is not an answer:
//
//   Test LB Allowed
//   NOT VERIFIED (incomplete: strategy optimal does not build ...)
//   Explored: 3 executions, the condition holds in 0, fails in 3
//   Condition exists (0:r0=1 /\ 1:r0=1)
//   Time LB 0.01
//
// No `States`, `Ok`/`No`, `Witnesses` or `Observation` line: a script that
// reads them finds none rather than a wrong one.

import type { LitmusRun } from "../../litmus/run/runLitmus.ts";
import { escapeForTerminal } from "../terminalText.ts";

export interface HerdBlockOptions {
  /** Seconds for the `Time` line (default: the run's own time); false omits the line, as herdtools' golden files do. */
  readonly time?: number | false;
}

export function renderHerdBlock(run: LitmusRun, options: HerdBlockOptions = {}): string {
  if (run.incomplete !== undefined) return renderIncomplete(run, run.incomplete, options);
  const { verdict } = run;
  const lines = [`Test ${run.name} ${run.expectation}`, `States ${run.states.length}`, ...run.states];
  lines.push(verdict.ok ? "Ok" : "No", "Witnesses", `Positive: ${verdict.witnesses.positive} Negative: ${verdict.witnesses.negative}`);
  for (const flag of run.flags) lines.push(`Flag ${flag}`);
  lines.push(`Condition ${run.conditionText}`, `Observation ${run.name} ${verdict.observation} ${run.holds} ${run.fails}`);
  const time = options.time ?? run.elapsedMs / 1000;
  if (time !== false) lines.push(`Time ${run.name} ${time.toFixed(2)}`);
  if (run.hash !== undefined) lines.push(`Hash=${run.hash}`);
  return printable(lines);
}

function renderIncomplete(run: LitmusRun, why: string, options: HerdBlockOptions): string {
  const lines = [
    `Test ${run.name} ${run.expectation}`,
    `NOT VERIFIED (incomplete: ${why})`,
    `Explored: ${run.holds + run.fails} executions, the condition holds in ${run.holds}, fails in ${run.fails}`,
    `Condition ${run.conditionText}`,
  ];
  const time = options.time ?? run.elapsedMs / 1000;
  if (time !== false) lines.push(`Time ${run.name} ${time.toFixed(2)}`);
  return printable(lines);
}

/**
 * The block's lines, each escaped for the terminal: a `Hash=` line is the
 * test's own header text, which may hold escape sequences or a carriage
 * return. herd's own output is printable, so this changes nothing there.
 */
function printable(lines: readonly string[]): string {
  return lines.map((line) => escapeForTerminal(line)).join("\n") + "\n\n";
}

// Verified, violation, or bounded — and whether that is what the model expects.

import type { Model } from "../program/model.ts";
import type { ExplorationResult } from "../explore/explore.ts";

export interface Verdict {
  readonly kind: "verified" | "violation";
  /** The model declared an expectation and the result meets it. */
  readonly expected: boolean;
  readonly text: string;
}

export function verdictOf(model: Model, r: ExplorationResult): Verdict {
  const kind = r.violations.length > 0 ? "violation" : "verified";
  const expected = model.expect === undefined ? kind === "verified" : model.expect === kind;
  if (kind === "verified" && r.incomplete !== undefined) {
    const text = `NOT VERIFIED: no violation in ${r.executions.toLocaleString("en-US")} executions, but ${r.incomplete}`;
    return { kind, expected: false, text };
  }
  const what = kind === "verified" ? `verified: all ${r.executions.toLocaleString("en-US")} executions explored, no violation` : `VIOLATION: ${r.violations[0]!.outcome.violation!.message.split("\n")[0]}`;
  const note = model.expect === undefined ? "" : expected ? ` (expected)` : ` (UNEXPECTED: this variant should be ${model.expect === "verified" ? "verified" : "found to violate"})`;
  return { kind, expected, text: what + note };
}

// What herd7 concludes from two counts: among the executions it counts,
// how many satisfy the condition's proposition (`holds`) and how many do
// not (`fails`). Taken from herdtools7's herd/top_herd.ml:
//
// - `Ok`/`No`: exists → holds > 0; ~exists → holds = 0; forall → fails = 0.
// - `Positive: P Negative: N` (the witnesses): (holds, fails) for exists and
//   forall, but (fails, holds) for ~exists, whose witnesses are the
//   executions where the proposition does not hold.
// - `Observation NAME KIND holds fails`: always the proposition's counts,
//   whatever the quantifier: Never when holds = 0, else Always when
//   fails = 0, else Sometimes (so a test with no execution is Never 0 0).

import type { Quantifier } from "../ast.ts";

export type Observation = "Always" | "Sometimes" | "Never";

export interface HerdVerdict {
  readonly ok: boolean;
  readonly witnesses: { readonly positive: number; readonly negative: number };
  readonly observation: Observation;
}

export function herdVerdict(quantifier: Quantifier, holds: number, fails: number): HerdVerdict {
  const ok = quantifier === "exists" ? holds > 0 : quantifier === "~exists" ? holds === 0 : fails === 0;
  const witnesses = quantifier === "~exists" ? { positive: fails, negative: holds } : { positive: holds, negative: fails };
  const observation: Observation = holds === 0 ? "Never" : fails === 0 ? "Always" : "Sometimes";
  return { ok, witnesses, observation };
}

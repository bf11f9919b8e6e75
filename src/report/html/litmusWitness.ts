// A litmus test's witness for the viewer: the first execution herd would
// count (every thread finished, the filter passed) in which the condition's
// proposition holds — what makes `exists` Sometimes, and what breaks a
// `~exists` — with its final state, graph and step timeline. The test is
// explored again, as for its DOT pictures (litmusDot.ts), so the counts in
// the herd block stay exactly runLitmus's; the exploration stops at the
// first witness.

import type { CompiledLitmus } from "../../litmus/compile.ts";
import type { MemoryModel } from "../../models/memoryModel.ts";
import { explore, type Strategy } from "../../explore/explore.ts";
import { graphJson } from "../json.ts";
import { timelineJson } from "../timelineJson.ts";

export interface LitmusWitnessJson {
  readonly state: string;
  readonly graph: object;
  readonly timeline: object[];
}

/** Thrown from the explorer's callback to end the exploration at the first witness. */
class WitnessFound extends Error {
  constructor(readonly witness: LitmusWitnessJson) {
    super("witness found");
  }
}

/** The first witness, or null when no counted execution satisfies the proposition. */
export function litmusWitness(compiled: CompiledLitmus, memoryModel: MemoryModel, strategy?: Strategy): LitmusWitnessJson | null {
  try {
    explore(compiled.model, {
      memoryModel,
      strategy: strategy,
      stopOnViolation: false,
      countDuplicates: false,
      onExecution: (g, o) => {
        if (o.status !== "complete" || !compiled.filter(o.final) || !compiled.evaluate(o.final)) return;
        // The graph is reused once this returns: it is written out now.
        throw new WitnessFound({ state: compiled.formatState(o.final), graph: graphJson(compiled.model, g), timeline: timelineJson(compiled.model, g, o) });
      },
    });
  } catch (e) {
    if (e instanceof WitnessFound) return e.witness;
    throw e;
  }
  return null;
}

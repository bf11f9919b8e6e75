// The explorer asks about the same graph many times over: a revisit that
// leads back to a graph already judged, a read's choice tried again after
// a write's revisits. LKMM's fast evaluation remembers its isConsistent
// verdicts per program shape (programShape.ts), under a key that holds
// everything else the verdict depends on: each event's source and value,
// each location's coherence order, and the number of holes. The model
// reads nothing else of a graph: ProgramEvent's attributes are the shape's,
// and of the rest only rf, co and the values (RL, RU) are ever read.

import type { ExecutionGraph } from "../../graph/executionGraph.ts";
import { KeyUnits } from "../../graph/keyUnits.ts";
import { forgetVerdicts, type Shape } from "./programShape.ts";

/**
 * The room the verdicts' keys may take, over every shape, in 16-bit units
 * (16 MiB; a key of a litmus test's graph takes some hundred): past it the
 * verdicts are forgotten (the shapes' relations are kept).
 */
const UNITS_FOR_VERDICTS = 1 << 23;
let unitsTaken = 0;

/** The verdict on g, of g's shape, remembered or else judged by `judge` and remembered. */
export function rememberedVerdict(g: ExecutionGraph, shape: Shape, judge: () => boolean): boolean {
  const key = executionKey(g);
  const known = shape.verdicts.get(key);
  if (known !== undefined) return known;
  const verdict = judge();
  if (unitsTaken + key.length > UNITS_FOR_VERDICTS) {
    forgetVerdicts();
    unitsTaken = 0;
  }
  shape.verdicts.set(key, verdict);
  unitsTaken += key.length;
  return verdict;
}

/**
 * What of g its shape leaves open: each read's source, each event's value
 * (initial writes' included, though the model reads only those of
 * spin_is_locked()), each location's coherence order, the holes, in
 * 16-bit units (keyUnits.ts). Within one shape (fixed thread lengths,
 * fixed reads) each field has a fixed place or says where it ends, so the
 * key reads back one way only.
 */
export function executionKey(g: ExecutionGraph): string {
  units.clear();
  units.need(2 + 5 * g.inits.length);
  units.put32(g.holes);
  for (const e of g.inits) units.putValue(e.value);
  for (const thread of g.threads) {
    // At most 2 units of source and 5 of value per event.
    units.need(7 * thread.length);
    for (const e of thread) {
      if (e.kind === "R") units.putEvent(e.rf);
      units.putValue(e.value);
    }
  }
  units.putLists(g.co);
  return units.text();
}

const units = new KeyUnits();

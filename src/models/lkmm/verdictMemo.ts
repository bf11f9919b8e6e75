// The explorer asks about the same graph many times over: a revisit that
// leads back to a graph already judged, a read's choice tried again after
// a write's revisits. LKMM's fast evaluation remembers its isConsistent
// verdicts per program shape (programShape.ts), under a key that holds
// everything else the verdict depends on: each event's source and value,
// each location's coherence order, and the number of holes. The model
// reads nothing else of a graph: ProgramEvent's attributes are the shape's,
// and of the rest only rf, co and the values (RL, RU) are ever read.

import type { ExecutionGraph } from "../../graph/executionGraph.ts";
import type { Value } from "../../program/value.ts";
import { forgetShapes, type Shape } from "./programShape.ts";

/** Verdicts kept at most, over every shape; past that the shapes are forgotten, verdicts and all. */
const MAX_VERDICTS = 1 << 16;
let verdicts = 0;

/** The verdict on g, of g's shape, remembered or else judged by `judge` and remembered. */
export function rememberedVerdict(g: ExecutionGraph, shape: Shape, judge: () => boolean): boolean {
  const key = executionKey(g);
  const known = shape.verdicts.get(key);
  if (known !== undefined) return known;
  const verdict = judge();
  if (verdicts >= MAX_VERDICTS) {
    forgetShapes();
    verdicts = 0;
  }
  shape.verdicts.set(key, verdict);
  verdicts++;
  return verdict;
}

/** What of g its shape leaves open: rf and values event by event, coherence location by location, the holes. */
export function executionKey(g: ExecutionGraph): string {
  let key = `${g.holes}|`;
  for (const e of g.inits) key += `${valueKey(e.value)},`;
  for (const thread of g.threads) {
    key += "|";
    for (const e of thread) key += `${e.rf}:${valueKey(e.value)},`;
  }
  for (const order of g.co) {
    key += "|";
    for (const w of order) key += `${w},`;
  }
  return key;
}

/** Location references (pointers) are numbered by identity: two of them are the same value only if they are one object. */
const references = new WeakMap<object, number>();
let referencesNumbered = 0;

function valueKey(v: Value): string | number {
  if (typeof v === "number") return v;
  let n = references.get(v);
  if (n === undefined) {
    n = referencesNumbered++;
    references.set(v, n);
  }
  return `&${n}`;
}

// The explorer asks about the same graph many times over: a revisit that
// leads back to a graph already judged, a read's choice tried again after
// a write's revisits. LKMM's fast evaluation remembers its isConsistent
// verdicts per program shape (programShape.ts), under a key that holds
// everything else the verdict depends on: each event's source and value,
// each location's coherence order, and the number of holes. The model
// reads nothing else of a graph: ProgramEvent's attributes are the shape's,
// and of the rest only rf, co and the values (RL, RU) are ever read.

import type { EventId } from "../../graph/event.ts";
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

/**
 * What of g its shape leaves open: each read's source and value, each
 * location's coherence order, the holes (every event's value, initial
 * writes' included, though the model reads only those of spin_is_locked()).
 * An event is named by two characters, its thread + 1 and its position.
 */
export function executionKey(g: ExecutionGraph): string {
  let key = `${g.holes}|`;
  for (const e of g.inits) key += `${valueKey(e.value)},`;
  for (const thread of g.threads) {
    key += "|";
    for (const e of thread) key += e.kind === "R" ? `${eventName(e.rf)}${valueKey(e.value)},` : `${valueKey(e.value)},`;
  }
  for (const order of g.co) {
    key += "|";
    for (const w of order) key += eventName(w);
  }
  return key;
}

/**
 * Event ids are (tid + 1) * 2^16 + idx, idx below MAX_EVENTS_PER_THREAD
 * (0xffff); a read yet without a source has a negative one, named by the
 * one pair no event has. Every name is two characters: the key reads back
 * one way only.
 */
function eventName(id: EventId): string {
  return id < 0 ? NO_SOURCE : String.fromCharCode(id >>> 16, id & 0xffff);
}
const NO_SOURCE = String.fromCharCode(0xffff, 0xffff);

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

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
 * spin_is_locked()), each location's coherence order, the holes. Written
 * as 16-bit units into one buffer and made a string at once; within one
 * shape (fixed thread lengths, fixed reads) each field has a fixed place
 * or says where it ends, so the key reads back one way only.
 */
export function executionKey(g: ExecutionGraph): string {
  let at = 0;
  const need = (more: number) => {
    if (at + more > units.length) {
      const grown = new Uint16Array(Math.max(units.length * 2, at + more));
      grown.set(units.subarray(0, at));
      units = grown;
    }
  };
  // At most 2 units of source and 5 of value per event.
  need(2 + 5 * g.inits.length);
  units[at++] = g.holes >>> 16;
  units[at++] = g.holes & 0xffff;
  for (const e of g.inits) at = putValue(e.value, at);
  for (const thread of g.threads) {
    need(7 * thread.length);
    for (const e of thread) {
      if (e.kind === "R") at = putEvent(e.rf, at);
      at = putValue(e.value, at);
    }
  }
  for (const order of g.co) {
    need(2 + 2 * order.length);
    units[at++] = order.length >>> 16;
    units[at++] = order.length & 0xffff;
    for (const w of order) at = putEvent(w, at);
  }
  let key = "";
  for (let from = 0; from < at; from += CHUNK) key += String.fromCharCode.apply(null, units.subarray(from, Math.min(at, from + CHUNK)) as unknown as number[]);
  return key;
}

/** The buffer keys are written into, grown as needed. */
let units = new Uint16Array(256);
/** Units made a string at a time (String.fromCharCode takes them as arguments). */
const CHUNK = 8192;

/**
 * An event id, (tid + 1) * 2^16 + idx with idx below MAX_EVENTS_PER_THREAD
 * (0xffff), as two units; a read yet without a source (a negative id) as
 * the one pair no event has.
 */
function putEvent(id: EventId, at: number): number {
  if (id < 0) {
    units[at] = 0xffff;
    units[at + 1] = 0xffff;
  } else {
    units[at] = id >>> 16;
    units[at + 1] = id & 0xffff;
  }
  return at + 2;
}

/**
 * A value: a small non-negative integer as one unit; any other number as
 * a marker and its 64 bits in four units; a location reference as another
 * marker and its number (by identity) in two units.
 */
function putValue(v: Value, at: number): number {
  if (typeof v === "number") {
    if (Number.isInteger(v) && v >= 0 && v < SMALL) {
      units[at] = v;
      return at + 1;
    }
    bits[0] = v;
    units[at] = NUMBER;
    units[at + 1] = bitUnits[0]!;
    units[at + 2] = bitUnits[1]!;
    units[at + 3] = bitUnits[2]!;
    units[at + 4] = bitUnits[3]!;
    return at + 5;
  }
  const n = referenceNumber(v);
  units[at] = REFERENCE;
  units[at + 1] = n >>> 16;
  units[at + 2] = n & 0xffff;
  return at + 3;
}
const SMALL = 0xfffe;
const NUMBER = 0xfffe;
const REFERENCE = 0xffff;
const bits = new Float64Array(1);
const bitUnits = new Uint16Array(bits.buffer);

/** Location references (pointers) are numbered by identity: two of them are the same value only if they are one object. */
const references = new WeakMap<object, number>();
let referencesNumbered = 0;

function referenceNumber(v: object): number {
  let n = references.get(v);
  if (n === undefined) {
    n = referencesNumbered++;
    references.set(v, n);
  }
  return n;
}

// Exact keys of graphs, for the caches that remember what was decided
// about a graph (the LKMM verdicts, verdictMemo.ts; the graphs revisits
// made, revisitMemo.ts). A key is written as 16-bit units into one buffer
// and made a string at once. Keys are never hashes: two graphs that a
// collision took for one would lose an answer.

import type { EventId } from "./event.ts";
import type { Value } from "../program/value.ts";

export class KeyUnits {
  private units = new Uint16Array(256);
  private at = 0;

  /** Starts a new key. */
  clear(): void {
    this.at = 0;
  }

  /** Makes room for `more` units. */
  need(more: number): void {
    if (this.at + more <= this.units.length) return;
    const grown = new Uint16Array(Math.max(this.units.length * 2, this.at + more));
    grown.set(this.units.subarray(0, this.at));
    this.units = grown;
  }

  /** A number below 2^16 (room made). */
  put(n: number): void {
    this.units[this.at++] = n;
  }

  /** A number below 2^32, as two units (room made). */
  put32(n: number): void {
    this.units[this.at++] = n >>> 16;
    this.units[this.at++] = n & 0xffff;
  }

  /**
   * An event id, (tid + 1) * 2^16 + idx with idx below MAX_EVENTS_PER_THREAD
   * (0xffff), as two units; a read yet without a source (a negative id) as
   * the one pair no event has (room made).
   */
  putEvent(id: EventId): void {
    this.put32(id < 0 ? 0xffffffff : id);
  }

  /** Lists of events (coherence orders), each as its length and its events (room made here). */
  putLists(lists: readonly (readonly EventId[])[]): void {
    for (const list of lists) {
      this.need(2 + 2 * list.length);
      this.put32(list.length);
      for (const id of list) this.putEvent(id);
    }
  }

  /**
   * A value, in at most 5 units (room made): a small non-negative integer as
   * one unit; any other number as a marker and its 64 bits in four units; a
   * location reference as another marker and its number (by identity) in two.
   */
  putValue(v: Value): void {
    const units = this.units;
    if (typeof v === "number") {
      if (Number.isInteger(v) && v >= 0 && v < SMALL) {
        units[this.at++] = v;
        return;
      }
      bits[0] = v;
      units[this.at] = NUMBER;
      units[this.at + 1] = bitUnits[0]!;
      units[this.at + 2] = bitUnits[1]!;
      units[this.at + 3] = bitUnits[2]!;
      units[this.at + 4] = bitUnits[3]!;
      this.at += 5;
      return;
    }
    units[this.at] = REFERENCE;
    this.at++;
    this.put32(referenceNumber(v));
  }

  /** The key written since the last clear. */
  text(): string {
    let key = "";
    for (let from = 0; from < this.at; from += CHUNK) key += String.fromCharCode.apply(null, this.units.subarray(from, Math.min(this.at, from + CHUNK)) as unknown as number[]);
    return key;
  }
}

/** Units made a string at a time (String.fromCharCode takes them as arguments). */
const CHUNK = 8192;

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

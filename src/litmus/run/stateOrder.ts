// The order in which herd7 lists final states under `States N`.
//
// herd keeps final states in an OCaml set of maps from location to value;
// both the printing order and the comparison follow the locations' order
// (the order of the columns of a state line), so states compare column by
// column. Within a column, integers come first in numeric order (10 after
// 2; -1 before 0: herd's C values are signed), then location addresses by
// name, byte-wise (herd's Constant.compare puts Concrete before Symbolic).

import type { Value } from "../../program/value.ts";

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareHerdValues(a: Value, b: Value): number {
  if (typeof a === "number") return typeof b === "number" ? a - b : -1;
  return typeof b === "number" ? 1 : compareBytes(a.name, b.name);
}

/** Column-by-column comparison of two states with the same observed locations. */
export function compareHerdStates(a: readonly Value[], b: readonly Value[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const c = compareHerdValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

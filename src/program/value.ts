// Values stored in shared locations: integers, or references to locations
// (pointers). Locations are interned per model, so `===` compares them.

import { brand, brandedInstanceOf, hasBrand, stampBrand } from "./brand.ts";

const LOC = brand("Loc");

export class Loc {
  /** A Loc made by another copy of pagerace (a model's own node_modules) is still a Loc. */
  static [Symbol.hasInstance](v: unknown): boolean {
    return brandedInstanceOf(Loc, this, v, LOC);
  }

  constructor(
    /** Dense id within its model, in declaration order. */
    readonly id: number,
    /** Name as printed in traces: `x`, `pte[2]`, `page.flags`. */
    readonly name: string,
  ) {}

  toString(): string {
    return this.name;
  }
}

stampBrand(Loc, LOC);

/** Whether `v` is a location reference, whichever copy of pagerace made it. */
export function isLoc(v: unknown): v is Loc {
  return hasBrand(v, LOC);
}

export type Value = number | Loc;

export function formatValue(v: Value): string {
  return typeof v === "number" ? String(v) : `&${v.name}`;
}

/** Integer view of a value, for arithmetic and bit operations on a location reference. */
export function asInteger(v: Value, what: string): number {
  if (typeof v !== "number") throw new TypeError(`${what}: expected an integer, got the location reference ${formatValue(v)}`);
  return v;
}

// Values stored in shared locations: integers, or references to locations
// (pointers). Locations are interned per model, so `===` compares them.

export class Loc {
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

export type Value = number | Loc;

export function formatValue(v: Value): string {
  return typeof v === "number" ? String(v) : `&${v.name}`;
}

/** Integer view of a value, for arithmetic and bit operations on a location reference. */
export function asInteger(v: Value, what: string): number {
  if (typeof v !== "number") throw new TypeError(`${what}: expected an integer, got the location reference ${formatValue(v)}`);
  return v;
}

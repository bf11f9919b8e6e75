// Values stored in shared locations: integers, or references to locations
// (pointers). Locations are interned per model, so `===` compares the ones
// a model declares; a reference a thread read from memory is a DerivedLoc
// (below), compared with `sameLoc`.

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

// --- references read from memory -------------------------------------------
//
// In the kernel, `p = rcu_dereference(gp); v = p->field;` orders the second
// load after the first for free: the address of `p->field` is computed from
// the value the first load returned (LKMM's addr). A thread of a model
// follows a pointer by using the Loc its read returned, so that Loc carries
// where it came from: the thread's reads return a *derived* reference, the
// same location with the operation numbers of the reads it was computed
// from, and the thread context turns those into dependencies of whatever
// access goes through it (addr) or stores it (data). The engine only ever
// sees the location itself: operations, events and results are canonical.

const PROVENANCE = Symbol.for("pagerace.Loc.provenance");

interface Provenance {
  readonly base: Loc;
  /** The thread's operation numbers (see Dependencies) of the reads this reference was computed from. */
  readonly from: readonly number[];
}

/**
 * A location reference as a thread read it: same `id` and `name` as the
 * location, but a different object, so compare references with `sameLoc`
 * (or by `id`), not `===`.
 */
export class DerivedLoc extends Loc {
  constructor(base: Loc, from: readonly number[]) {
    super(base.id, base.name);
    Object.defineProperty(this, PROVENANCE, { value: { base, from } });
  }
}

function provenanceOf(v: unknown): Provenance | undefined {
  return typeof v === "object" && v !== null ? (v as { [PROVENANCE]?: Provenance })[PROVENANCE] : undefined;
}

/** `loc` carrying a dependency on the reads `from` (added to any it carries already). */
export function derivedLoc(loc: Loc, from: readonly number[]): Loc {
  const p = provenanceOf(loc);
  if (p === undefined) return from.length === 0 ? loc : new DerivedLoc(loc, from);
  return new DerivedLoc(p.base, [...p.from, ...from.filter((i) => !p.from.includes(i))]);
}

/** The model's location a (possibly derived) reference names. */
export function canonicalLoc(loc: Loc): Loc {
  return provenanceOf(loc)?.base ?? loc;
}

/** A value as the engine stores it: a derived reference becomes its location. */
export function canonicalValue(v: Value): Value {
  return typeof v === "number" ? v : canonicalLoc(v);
}

/** The reads a value was computed from, as far as pagerace can tell: a derived reference's; none for an integer. */
export function provenance(v: Value | undefined): readonly number[] {
  return provenanceOf(v)?.from ?? [];
}

/** Whether two values are the same location (or the same integer), whichever read produced them. */
export function sameLoc(a: Value | undefined, b: Value | undefined): boolean {
  if (typeof a === "number" || typeof b === "number" || a === undefined || b === undefined) return a === b;
  return a.id === b.id;
}

/** `s.field` for a reference into the struct `s` (declared `s.other`), or undefined when the name is not a struct field's. */
export function fieldName(name: string, field: string): string | undefined {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : `${name.slice(0, dot)}.${field}`;
}

/** `a[i + offset]` for a reference to `a[i]`, or undefined when the name is not an array element's. */
export function elementName(name: string, offset: number): string | undefined {
  const m = /^(.*)\[(\d+)\]$/.exec(name);
  return m === null ? undefined : `${m[1]}[${Number(m[2]) + offset}]`;
}

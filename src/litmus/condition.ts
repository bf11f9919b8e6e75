// The final section at run time: evaluating the condition and the filter
// on a final state, and printing states and the condition exactly as herd7
// does (`0:r1=0; 1:r1=1; [x]=2;` and `exists (0:r1=1 /\ not ([x]=2))`).

import type { CondValue, Condition, LocationRef, Prop } from "./ast.ts";
import { LitmusSyntaxError } from "./errors.ts";
import type { FinalState } from "../program/model.ts";
import { Loc, type Value } from "../program/value.ts";
import { propChain } from "./operatorChains.ts";
import { quoteForTerminal } from "../report/terminalText.ts";

export interface ConditionContext {
  readonly fileName: string;
  /** Thread name of each process number. */
  readonly threads: ReadonlyMap<number, string>;
  readonly locations: ReadonlyMap<string, Loc>;
}

/** A register or shared location that herd prints in each state. */
export type ObservedLocation =
  | { readonly kind: "register"; readonly label: string; readonly proc: number; readonly thread: string; readonly register: string; readonly read: (s: FinalState) => Value }
  | { readonly kind: "memory"; readonly label: string; readonly loc: Loc; readonly read: (s: FinalState) => Value };

export function observedLocation(ref: LocationRef, ctx: ConditionContext): ObservedLocation {
  if (ref.kind === "register") {
    const thread = ctx.threads.get(ref.proc);
    if (thread === undefined) throw new LitmusSyntaxError(ctx.fileName, ref.pos, "a register of one of the test's processes", quoteForTerminal(`${ref.proc}:${ref.name}`));
    const register = ref.name;
    // A register the process never set reads 0, like any uninitialised herd register. Only the
    // result's own fields count: a register named `constructor` is not Object's.
    const read = (s: FinalState): Value => {
      const result = s.result(thread);
      return result !== undefined && Object.hasOwn(result, register) ? result[register]! : 0;
    };
    return { kind: "register", label: `${ref.proc}:${register}`, proc: ref.proc, thread, register, read };
  }
  const loc = locationNamed(ref.name, ref.pos, ctx);
  return { kind: "memory", label: `[${loc.name}]`, loc, read: (s) => s.value(loc) };
}

function locationNamed(name: string, pos: LocationRef["pos"], ctx: ConditionContext): Loc {
  const loc = ctx.locations.get(name);
  if (loc === undefined) throw new LitmusSyntaxError(ctx.fileName, pos, "a shared location of the test", quoteForTerminal(name));
  return loc;
}

/**
 * A value the condition compares with. A name is a location's address; herd
 * takes a name the test never declares as the address of a location no code
 * touches, which no register or location can hold: the comparison is false.
 */
function constant(v: CondValue, ctx: ConditionContext): Value {
  if (v.kind === "int") return v.value;
  return ctx.locations.get(v.name) ?? new Loc(-1, v.name);
}

export function compileProp(p: Prop, ctx: ConditionContext): (s: FinalState) => boolean {
  switch (p.kind) {
    case "true":
      return () => true;
    case "false":
      return () => false;
    case "not": {
      const inner = compileProp(p.prop, ctx);
      return (s) => !inner(s);
    }
    // A long run of one connective is a list, evaluated by a loop (operatorChains.ts).
    case "and": {
      const parts = propChain(p).map((q) => compileProp(q, ctx));
      return (s) => parts.every((part) => part(s));
    }
    case "or": {
      const parts = propChain(p).map((q) => compileProp(q, ctx));
      return (s) => parts.some((part) => part(s));
    }
    case "implies": {
      const l = compileProp(p.left, ctx);
      const r = compileProp(p.right, ctx);
      return (s) => !l(s) || r(s);
    }
    case "atom": {
      const a = p.atom;
      const left = observedLocation(a.loc, ctx).read;
      if (a.kind === "sameValue") {
        const right = observedLocation(a.other, ctx).read;
        return (s) => left(s) === right(s);
      }
      const expected = constant(a.value, ctx);
      return (s) => left(s) === expected;
    }
  }
}

/**
 * What herd prints in each state: the locations of `locations [...]` and
 * those the condition mentions (not the filter's), registers first by
 * process then name, then shared locations by name.
 */
export function displayedLocations(locations: readonly LocationRef[], condition: Condition, ctx: ConditionContext): ObservedLocation[] {
  const refs: LocationRef[] = [...locations];
  collectRefs(condition.prop, refs);
  const byLabel = new Map<string, ObservedLocation>();
  for (const ref of refs) {
    const o = observedLocation(ref, ctx);
    if (!byLabel.has(o.label)) byLabel.set(o.label, o);
  }
  return [...byLabel.values()].sort(compareObserved);
}

/** The references of `p`, left to right. A loop over a stack: a run of `/\\` may be thousands long. */
function collectRefs(p: Prop, out: LocationRef[]): void {
  const pending: Prop[] = [p];
  while (pending.length > 0) {
    const q = pending.pop()!;
    switch (q.kind) {
      case "true":
      case "false":
        break;
      case "not":
        pending.push(q.prop);
        break;
      case "and":
      case "or":
      case "implies":
        pending.push(q.right, q.left);
        break;
      case "atom":
        out.push(q.atom.loc);
        if (q.atom.kind === "sameValue") out.push(q.atom.other);
    }
  }
}

/** Byte-wise comparison, as OCaml's String.compare. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareObserved(a: ObservedLocation, b: ObservedLocation): number {
  if (a.kind === "register" && b.kind === "register") return a.proc - b.proc || compareStrings(a.register, b.register);
  if (a.kind === "memory" && b.kind === "memory") return compareStrings(a.loc.name, b.loc.name);
  return a.kind === "register" ? -1 : 1;
}

/** herd prints a pointer as the bare name of the location it points to. */
export function formatHerdValue(v: Value): string {
  return typeof v === "number" ? String(v) : v.name;
}

export function formatState(observed: readonly ObservedLocation[], s: FinalState): string {
  return observed.map((o) => `${o.label}=${formatHerdValue(o.read(s))};`).join(" ");
}

// ---------------------------------------------------------------- printing the condition

type Context = "top" | "and" | "or" | "implies";

/** herd's rule for parenthesising a connective under another. */
function needsParens(above: Context, here: Exclude<Context, "top">): boolean {
  if (above === "top") return false;
  if (above === "implies") return here !== "implies";
  if (above === "and") return here !== "and";
  return here === "implies";
}

function refLabel(ref: LocationRef): string {
  return ref.kind === "register" ? `${ref.proc}:${ref.name}` : `[${ref.name}]`;
}

export function formatProp(p: Prop, above: Context = "top"): string {
  const group = (here: Exclude<Context, "top">, text: string): string => (needsParens(above, here) ? `(${text})` : text);
  switch (p.kind) {
    case "true":
      return "true";
    case "false":
      return "false";
    case "not":
      return `not (${formatProp(p.prop)})`;
    // `a /\\ b /\\ c` needs no parentheses inside: the run prints as a list.
    case "and":
      return group("and", propChain(p).map((q) => formatProp(q, "and")).join(" /\\ "));
    case "or":
      return group("or", propChain(p).map((q) => formatProp(q, "or")).join(" \\/ "));
    case "implies":
      return group("implies", `${formatProp(p.left, "implies")} => ${formatProp(p.right, "implies")}`);
    case "atom": {
      const a = p.atom;
      if (a.kind === "sameValue") return `${refLabel(a.loc)}=${refLabel(a.other)}`;
      return `${refLabel(a.loc)}=${a.value.kind === "int" ? a.value.value : a.value.name}`;
    }
  }
}

/** The condition as herd's `Condition` line prints it: `exists (0:r0=1 /\ [x]=0)`. */
export function formatCondition(c: Condition): string {
  return `${c.quantifier} (${formatProp(c.prop)})`;
}

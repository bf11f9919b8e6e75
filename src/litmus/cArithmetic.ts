// C semantics of the values a litmus process computes with: integers, and
// pointers (location references). Pointers may be compared for equality and
// tested for truth. The only pointer arithmetic is the zero offset tests use
// to fake an address dependency (`p + (r - r)`); a real offset would leave
// the location, which this dialect has no arrays for.

import type { BinaryOperator, UnaryOperator } from "./ast.ts";
import type { AtomicOperator } from "./primitives.ts";
import { LitmusRuntimeError } from "./errors.ts";
import type { SourcePos } from "./source.ts";
import { formatValue, Loc, type Value } from "../program/value.ts";
import { excerptForTerminal } from "../report/terminalText.ts";

/** Where a run-time error should point. */
export interface RuntimeSite {
  readonly fileName: string;
  readonly pos: SourcePos;
}

export function isTrue(v: Value): boolean {
  return v instanceof Loc || v !== 0;
}

export function requireLoc(v: Value, site: RuntimeSite, what: string): Loc {
  if (v instanceof Loc) return v;
  throw new LitmusRuntimeError(site.fileName, site.pos, `${what}: expected a pointer to a shared location, got ${excerptForTerminal(formatValue(v))}`);
}

export function requireInt(v: Value, site: RuntimeSite, what: string): number {
  if (typeof v === "number") return v;
  throw new LitmusRuntimeError(site.fileName, site.pos, `${what}: expected an integer, got the pointer ${excerptForTerminal(formatValue(v))}`);
}

const bool = (b: boolean): number => (b ? 1 : 0);

export function applyUnary(op: UnaryOperator, v: Value, site: RuntimeSite): Value {
  switch (op) {
    case "!":
      return bool(!isTrue(v));
    case "+":
      return requireInt(v, site, "unary '+'");
    case "-":
      return -requireInt(v, site, "unary '-'");
    case "~":
      return ~requireInt(v, site, "'~'");
  }
}

/** A binary operator other than `&&` / `||` (those short-circuit and are evaluated by the caller). */
export function applyBinary(op: BinaryOperator, a: Value, b: Value, site: RuntimeSite): Value {
  if (op === "==") return bool(a === b);
  if (op === "!=") return bool(a !== b);
  if (op === "&&") return bool(isTrue(a) && isTrue(b));
  if (op === "||") return bool(isTrue(a) || isTrue(b));
  if (a instanceof Loc || b instanceof Loc) return pointerArithmetic(op, a, b, site);
  const x = requireInt(a, site, `left operand of '${op}'`);
  const y = requireInt(b, site, `right operand of '${op}'`);
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
    case "%":
      if (y === 0) throw new LitmusRuntimeError(site.fileName, site.pos, `division by zero in '${op}'`);
      // C truncates toward zero; JS `%` already has C's sign rule.
      return op === "/" ? Math.trunc(x / y) : x % y;
    case "<<":
      return x << y;
    case ">>":
      return x >> y;
    case "&":
      return x & y;
    case "|":
      return x | y;
    case "^":
      return x ^ y;
    case "<":
      return bool(x < y);
    case "<=":
      return bool(x <= y);
    case ">":
      return bool(x > y);
    case ">=":
      return bool(x >= y);
  }
}

function pointerArithmetic(op: BinaryOperator, a: Value, b: Value, site: RuntimeSite): Value {
  if (op === "+" && a instanceof Loc && b === 0) return a;
  if (op === "+" && a === 0 && b instanceof Loc) return b;
  if (op === "-" && a instanceof Loc && b === 0) return a;
  if (op === "-" && a instanceof Loc && a === b) return 0;
  throw new LitmusRuntimeError(site.fileName, site.pos, `'${op}' on ${excerptForTerminal(formatValue(a))} and ${excerptForTerminal(formatValue(b))}: pointer arithmetic other than a zero offset`);
}

/** The new value of an atomic read-modify-write. */
export function applyAtomic(op: AtomicOperator, old: Value, operand: Value, site: RuntimeSite): number {
  const x = requireInt(old, site, "atomic operation on the old value");
  const y = requireInt(operand, site, "atomic operand");
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "&":
      return x & y;
    case "|":
      return x | y;
    case "^":
      return x ^ y;
    case "&~":
      return x & ~y;
  }
}

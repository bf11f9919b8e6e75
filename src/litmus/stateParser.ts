// herd's state language: the initial state `{ int x = 1; 0:r1 = y; ... }`
// and the final section `locations [...] filter (...) exists (...)`.
// Condition precedence follows herd: `\/` < `/\` < `=>` < `~`/`not`.

import type { Atom, Condition, CondValue, InitEntry, InitTarget, InitValue, LocationRef, Prop, Quantifier } from "./ast.ts";
import type { SourcePos } from "./source.ts";
import type { Token, TokenCursor } from "./tokens.ts";
import { excerptForTerminal } from "../report/terminalText.ts";

const PROC_NAME = /^P(\d+)$/;

/** Words that are keywords of the state language, never location names. */
const STATE_KEYWORDS = new Set(["true", "false", "not", "exists", "forall", "final", "locations", "filter", "with", "observed", "Observed", "cases"]);

// ---------------------------------------------------------------- initial state

export function parseInitState(c: TokenCursor): InitEntry[] {
  const entries: InitEntry[] = [];
  while (!c.atEnd()) {
    if (c.accept(";")) continue;
    entries.push(parseInitEntry(c));
    if (!c.atEnd()) c.expect(";");
  }
  return entries;
}

function parseInitEntry(c: TokenCursor): InitEntry {
  const start = c.peek();
  if (c.is("_Atomic")) c.next();
  const words: Token[] = [];
  let stars = 0;
  let target: InitTarget | undefined;
  for (;;) {
    const reg = tryRegisterName(c);
    if (reg) {
      target = reg;
      break;
    }
    if (c.is("[") && c.peek(1).kind === "number") c.unsupported("array in the initial state");
    if (c.accept("[")) {
      target = { kind: "global", name: c.expectIdent("a location name").text };
      c.expect("]");
      break;
    }
    if (c.accept("*")) stars++;
    else if (c.peek().kind === "ident" && !STATE_KEYWORDS.has(c.peek().text) && c.peek().text !== "ATOMIC_INIT") words.push(c.next());
    else break;
  }
  if (target === undefined) {
    const last = words.pop();
    if (last === undefined) c.fail("a location or register to initialise");
    if (c.is("[")) c.unsupported("array in the initial state");
    if (c.is(":")) c.unsupported(`tagged location ${excerptForTerminal(`${last.text}:${c.peek(1).text}`)}`);
    target = { kind: "global", name: last.text };
  }
  const typed = words.length > 0 || stars > 0;
  const type = typed ? words.map((w) => w.text).join(" ") + (stars > 0 ? ` ${"*".repeat(stars)}` : "") : undefined;
  let value: InitValue = { kind: "int", value: 0 };
  if (c.accept("=")) value = parseInitValue(c);
  return { pos: start.pos, target, type: type?.trim(), value };
}

/** `0:r1` or `P0:r1`, if that is what comes next. */
function tryRegisterName(c: TokenCursor): InitTarget | undefined {
  const first = c.peek();
  if (!c.is(":", 1)) return undefined;
  let proc: number | undefined;
  if (first.kind === "number" && first.value! >= 0 && !first.text.startsWith("-")) proc = first.value;
  else if (first.kind === "ident" && PROC_NAME.test(first.text)) proc = Number(PROC_NAME.exec(first.text)![1]);
  if (proc === undefined) return undefined;
  c.next();
  c.next();
  return { kind: "register", proc, name: c.expectIdent("a register name").text };
}

function parseInitValue(c: TokenCursor): InitValue {
  const t = c.peek();
  if (c.accept("ATOMIC_INIT")) {
    c.expect("(");
    const v = c.nested(t, () => parseInitValue(c));
    c.expect(")");
    return v;
  }
  c.accept("&");
  return parseValue(c, "an initial value");
}

/** An integer, or a location name standing for its address. */
function parseValue(c: TokenCursor, what: string): CondValue {
  const t = c.peek();
  if (t.kind === "number") {
    if (c.is(":", 1)) c.unsupported(`value ${excerptForTerminal(`${t.text}:${c.peek(2).text}`)}`);
    c.next();
    return { kind: "int", value: t.value! };
  }
  if (t.kind === "ident" && !STATE_KEYWORDS.has(t.text)) {
    c.next();
    if (c.is(":")) c.unsupported(`tagged value ${excerptForTerminal(`${t.text}:${c.peek(1).text}`)}`);
    if (c.is("[")) c.unsupported(`indexed value ${excerptForTerminal(t.text)}[...]`);
    return { kind: "location", name: t.text, pos: t.pos };
  }
  return c.fail(what);
}

// ---------------------------------------------------------------- final section

export interface FinalSection {
  readonly locations: LocationRef[];
  readonly filter?: Prop;
  readonly condition: Condition;
}

export function parseFinalSection(c: TokenCursor): FinalSection {
  const locations: LocationRef[] = [];
  if (c.accept("locations")) {
    c.expect("[");
    while (!c.is("]")) {
      locations.push(parseLocationRef(c));
      // herd allows a type after a location: `x int*`.
      while (c.peek().kind === "ident" || c.is("*")) c.next();
      if (!c.accept(";")) break;
    }
    c.expect("]", "';' or ']'");
  }
  let filter: Prop | undefined;
  if (c.accept("filter")) filter = parseProp(c);
  const condition = parseCondition(c);
  c.accept(";");
  if (c.is("with")) c.unsupported("'with' clauses");
  if (!c.atEnd()) c.fail("end of input");
  return { locations, filter, condition };
}

function parseCondition(c: TokenCursor): Condition {
  const t = c.peek();
  const quantified = (quantifier: Quantifier): Condition => ({ quantifier, prop: parseProp(c), pos: t.pos });
  if (c.accept("exists") || c.accept("final")) return quantified("exists");
  if (c.accept("forall")) return quantified("forall");
  if (c.is("~") || c.is("not")) {
    c.next();
    c.expect("exists");
    return quantified("~exists");
  }
  if (c.is("(")) return quantified("exists");
  if (c.is("observed") || c.is("Observed") || c.is("cases")) c.unsupported(`'${t.text}' conditions`);
  if (c.atEnd()) return { quantifier: "forall", prop: { kind: "true" }, pos: t.pos };
  return c.fail("a condition ('exists', '~exists' or 'forall')");
}

/**
 * A run of one connective (`a /\\ b /\\ c`) is a loop building a left-deep
 * tree, however long; `~`, `=>` (right-associative) and parentheses nest,
 * one level of the nesting limit each.
 */
export function parseProp(c: TokenCursor): Prop {
  let left = parseConjunction(c);
  while (c.accept("\\/")) left = { kind: "or", left, right: parseConjunction(c) };
  return left;
}

function parseConjunction(c: TokenCursor): Prop {
  let left = parseImplication(c);
  while (c.accept("/\\")) left = { kind: "and", left, right: parseImplication(c) };
  return left;
}

function parseImplication(c: TokenCursor): Prop {
  const left = parseNegation(c);
  const arrow = c.peek();
  if (c.accept("=>")) return { kind: "implies", left, right: c.nested(arrow, () => parseImplication(c)) };
  return left;
}

function parseNegation(c: TokenCursor): Prop {
  const t = c.peek();
  if (c.accept("~") || c.accept("not")) return { kind: "not", prop: c.nested(t, () => parseNegation(c)) };
  if (c.accept("true")) return { kind: "true" };
  if (c.accept("false")) return { kind: "false" };
  if (c.accept("(")) {
    const p = c.nested(t, () => parseProp(c));
    c.expect(")", "')' or a connective");
    return p;
  }
  return parseAtom(c);
}

function parseAtom(c: TokenCursor): Prop {
  const start = c.peek();
  const loc = parseLocationRef(c, "an atom such as '0:r1=1' or 'x=1'");
  let negated = false;
  if (c.accept("!=") || c.accept("<>")) negated = true;
  else if (!c.accept("=") && !c.accept("==")) c.fail("'=' or '!='");
  const other = tryOtherLocation(c);
  const atom: Atom = other
    ? { kind: "sameValue", pos: start.pos, loc, other }
    : { kind: "equals", pos: start.pos, loc, value: parseValue(c, "a value (an integer or a location name)") };
  const prop: Prop = { kind: "atom", atom };
  return negated ? { kind: "not", prop } : prop;
}

/** The right side of `loc = loc'`: a register, `[x]` or `*x` (a bare name is a value: the address of x). */
function tryOtherLocation(c: TokenCursor): LocationRef | undefined {
  const t = c.peek();
  if (c.accept("*")) return parseLocationRef(c);
  if (c.is("[")) return parseLocationRef(c);
  if ((t.kind === "number" || (t.kind === "ident" && PROC_NAME.test(t.text))) && c.is(":", 1) && c.peek(2).kind === "ident") {
    return parseLocationRef(c);
  }
  return undefined;
}

export function parseLocationRef(c: TokenCursor, what = "a register such as '0:r1' or a location name"): LocationRef {
  const t = c.peek();
  const reg = tryRegisterName(c);
  if (reg) return reg.kind === "register" ? { kind: "register", pos: t.pos, proc: reg.proc, name: reg.name } : c.fail(what);
  if (c.accept("[")) {
    const name = c.expectIdent("a location name");
    c.expect("]");
    return memoryRef(t.pos, name.text);
  }
  if (t.kind === "ident" && !STATE_KEYWORDS.has(t.text)) {
    c.next();
    if (c.is("[")) c.unsupported(`array cell ${excerptForTerminal(t.text)}[...]`);
    return memoryRef(t.pos, t.text);
  }
  return c.fail(what);
}

function memoryRef(pos: SourcePos, name: string): LocationRef {
  return { kind: "memory", pos, name };
}

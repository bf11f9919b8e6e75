// The processes of a C litmus test: `P0(int *x, ...) { ... }` with
// declarations, assignments, `if`/`else`, blocks and C expressions (usual C
// precedence), calls restricted to the kernel primitives of linux-kernel.def.

import type { BinaryOperator, CType, Expr, Param, Process, Stmt } from "./ast.ts";
import { LitmusSyntaxError } from "./errors.ts";
import { findPrimitive } from "./primitives.ts";
import type { Token, TokenCursor } from "./tokens.ts";
import { excerptForTerminal, quoteForTerminal } from "../report/terminalText.ts";

/** Words that start a type. Identifiers ending in `_t` (`intptr_t`, `atomic_t`) are types too. */
const TYPE_WORDS = new Set([
  "void", "char", "short", "int", "long", "signed", "unsigned", "float", "double", "_Bool", "bool",
  "volatile", "const", "_Atomic", "struct", "register",
  "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
]);

const QUALIFIERS = new Set(["volatile", "const", "_Atomic", "register"]);

const UNSUPPORTED_STATEMENTS = new Set(["while", "for", "do", "switch", "case", "default", "return", "goto", "break", "continue", "asm", "__asm__"]);

const PROCESS_NAME = /^P(\d+)$/;

/** Binding strength of each binary operator (C's, higher binds tighter). */
const PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  "||": 1,
  "&&": 2,
  "|": 3,
  "^": 4,
  "&": 5,
  "==": 6, "!=": 6,
  "<": 7, "<=": 7, ">": 7, ">=": 7,
  "<<": 8, ">>": 8,
  "+": 9, "-": 9,
  "*": 10, "/": 10, "%": 10,
};

const COMPOUND_ASSIGNMENTS = new Set(["+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="]);

function isTypeName(t: Token): boolean {
  return t.kind === "ident" && (TYPE_WORDS.has(t.text) || t.text.endsWith("_t"));
}

export function parseProcesses(c: TokenCursor): Process[] {
  const processes: Process[] = [];
  while (!c.atEnd()) processes.push(parseProcess(c));
  return processes;
}

function parseProcess(c: TokenCursor): Process {
  c.accept("void");
  const head = c.peek();
  const m = head.kind === "ident" ? PROCESS_NAME.exec(head.text) : null;
  if (!m) return c.fail("a process such as 'P0(int *x)' or the final condition");
  c.next();
  c.expect("(");
  const params: Param[] = [];
  if (c.is("void") && c.is(")", 1)) c.next();
  if (!c.is(")")) {
    do params.push(parseParam(c));
    while (c.accept(","));
  }
  c.expect(")", "',' or ')'");
  const open = c.expect("{");
  return { pos: head.pos, proc: Number(m[1]), params, body: parseBlockBody(c, open) };
}

function parseParam(c: TokenCursor): Param {
  const start = c.peek();
  const type = parseType(c);
  const name = c.expectIdent("a parameter name");
  if (type.pointerDepth === 0) c.fail("'*' (process parameters are pointers to shared locations)", name);
  return { pos: start.pos, name: name.text, type };
}

/** Type words then `*`s (qualifiers may sit anywhere): `volatile int *`, `struct srcu_struct *`, `int * volatile *`. */
function parseType(c: TokenCursor): CType {
  const words: string[] = [];
  let volatile = false;
  for (;;) {
    const t = c.peek();
    if (t.kind !== "ident") break;
    if (QUALIFIERS.has(t.text)) {
      if (t.text === "volatile") volatile = true;
      c.next();
    } else if (t.text === "struct") {
      c.next();
      words.push(`struct ${c.expectIdent("a struct name").text}`);
    } else if (isTypeName(t) && !(words.length > 0 && !TYPE_WORDS.has(t.text))) {
      // A second typedef-like name (`atomic_t x_t`) is the declared name, not a type word.
      words.push(c.next().text);
    } else break;
  }
  if (words.length === 0) c.fail("a type");
  let pointerDepth = 0;
  while (c.accept("*")) {
    pointerDepth++;
    while (c.peek().kind === "ident" && QUALIFIERS.has(c.peek().text)) c.next();
  }
  return { base: words.join(" "), pointerDepth, volatile };
}

function parseBlockBody(c: TokenCursor, open: Token): Stmt[] {
  const body: Stmt[] = [];
  while (!c.is("}")) {
    if (c.atEnd()) c.fail(`'}' closing the block opened at line ${open.pos.line}`);
    body.push(...parseStatement(c));
  }
  c.next();
  return body;
}

/** One statement; a declaration of several names (`int a, b = 1;`) gives several. */
function parseStatement(c: TokenCursor): Stmt[] {
  const t = c.peek();
  if (c.accept(";")) return [{ kind: "empty", pos: t.pos }];
  if (c.is("{")) {
    const open = c.next();
    return [{ kind: "block", pos: t.pos, body: c.nested(open, () => parseBlockBody(c, open)) }];
  }
  if (c.accept("if")) {
    c.expect("(");
    const cond = parseExpr(c);
    c.expect(")", "')' or an operator");
    const then = parseSingle(c);
    const otherwise = c.accept("else") ? parseSingle(c) : undefined;
    return [{ kind: "if", pos: t.pos, cond, then, else: otherwise }];
  }
  if (t.kind === "ident" && UNSUPPORTED_STATEMENTS.has(t.text)) c.unsupported(`${quoteForTerminal(t.text)} statement`);
  if (startsDeclaration(c)) return parseDeclaration(c);
  const target = parseExpr(c);
  if (c.accept("=")) {
    const value = parseExpr(c);
    c.expect(";", "';' or an operator");
    return [{ kind: "assign", pos: t.pos, target, value }];
  }
  const next = c.peek();
  if (next.kind === "punct" && (COMPOUND_ASSIGNMENTS.has(next.text) || next.text === "++" || next.text === "--")) {
    c.unsupported(quoteForTerminal(next.text));
  }
  c.expect(";", "';', '=' or an operator");
  return [{ kind: "expr", pos: t.pos, expr: target }];
}

/** The body of `if`/`else`: one statement (a block when braced). */
function parseSingle(c: TokenCursor): Stmt {
  const t = c.peek();
  const stmts = c.nested(t, () => parseStatement(c));
  return stmts.length === 1 ? stmts[0]! : { kind: "block", pos: t.pos, body: stmts };
}

/** A statement is a declaration when it starts with a type word, or is `name name` (a typedef we do not know). */
function startsDeclaration(c: TokenCursor): boolean {
  const t = c.peek();
  if (isTypeName(t)) return true;
  return t.kind === "ident" && c.peek(1).kind === "ident";
}

function parseDeclaration(c: TokenCursor): Stmt[] {
  const start = c.peek();
  const base = startsTypeWord(c) ? parseType(c) : { base: c.next().text, pointerDepth: 0, volatile: false };
  const stmts: Stmt[] = [];
  do {
    let pointerDepth = base.pointerDepth;
    while (c.accept("*")) {
      pointerDepth++;
      while (c.peek().kind === "ident" && QUALIFIERS.has(c.peek().text)) c.next();
    }
    const name = c.expectIdent("a variable name");
    if (c.is("[")) c.unsupported("array");
    const init = c.accept("=") ? parseExpr(c) : undefined;
    stmts.push({ kind: "decl", pos: name.pos, type: { ...base, pointerDepth }, name: name.text, init });
  } while (c.accept(","));
  c.expect(";", "';', ',' or '='");
  return stmts.length > 0 ? stmts : [{ kind: "empty", pos: start.pos }];
}

function startsTypeWord(c: TokenCursor): boolean {
  return isTypeName(c.peek());
}

// ---------------------------------------------------------------- expressions

/**
 * Precedence climbing. A run of operators of one precedence (`a + b - c`)
 * is a loop building a left-deep tree, however long; only an operand of
 * higher precedence, a unary operator, a parenthesis or a call nests, and
 * each is one level of the nesting limit.
 */
export function parseExpr(c: TokenCursor, minPrecedence = 1): Expr {
  let left = parseUnary(c);
  for (;;) {
    const t = c.peek();
    const prec = t.kind === "punct" ? PRECEDENCE[t.text as BinaryOperator] : undefined;
    if (prec === undefined || prec < minPrecedence) break;
    c.next();
    if (c.is("?")) c.unsupported("'?:'");
    const right = c.nested(t, () => parseExpr(c, prec + 1));
    left = { kind: "binary", pos: t.pos, op: t.text as BinaryOperator, left, right };
  }
  if (c.is("?")) c.unsupported("'?:'");
  return left;
}

function parseUnary(c: TokenCursor): Expr {
  const t = c.peek();
  if (c.accept("-")) {
    const operand = c.nested(t, () => parseUnary(c));
    // Fold `-1` into a literal so negative constants read as constants.
    if (operand.kind === "int") return { kind: "int", pos: t.pos, value: -operand.value };
    return { kind: "unary", pos: t.pos, op: "-", operand };
  }
  if (c.accept("+") || c.accept("!") || c.accept("~")) return { kind: "unary", pos: t.pos, op: t.text as "+" | "!" | "~", operand: c.nested(t, () => parseUnary(c)) };
  if (c.accept("*")) return { kind: "deref", pos: t.pos, operand: c.nested(t, () => parseUnary(c)) };
  if (c.accept("&")) return { kind: "addressOf", pos: t.pos, operand: c.nested(t, () => parseUnary(c)) };
  if (c.is("++") || c.is("--")) c.unsupported(`'${t.text}'`);
  if (c.is("sizeof")) c.unsupported("sizeof");
  if (c.is("(") && isTypeName(c.peek(1))) {
    c.next();
    const type = parseType(c);
    c.expect(")", "')' closing the cast");
    return { kind: "cast", pos: t.pos, type, operand: c.nested(t, () => parseUnary(c)) };
  }
  return parsePostfix(c);
}

function parsePostfix(c: TokenCursor): Expr {
  const e = parsePrimary(c);
  const t = c.peek();
  if (t.kind === "punct" && ["[", ".", "->", "++", "--"].includes(t.text)) c.unsupported(`'${t.text}'`);
  if (c.is("(")) c.fail("an operator ('(' only follows the name of a kernel primitive)");
  return e;
}

function parsePrimary(c: TokenCursor): Expr {
  const t = c.peek();
  if (t.kind === "number") {
    c.next();
    return { kind: "int", pos: t.pos, value: t.value! };
  }
  if (t.kind === "ident") {
    c.next();
    if (c.is("(")) return parseCall(c, t);
    return { kind: "name", pos: t.pos, name: t.text };
  }
  if (c.accept("(")) {
    const e = c.nested(t, () => parseExpr(c));
    c.expect(")", "')' or an operator");
    return e;
  }
  return c.fail("an expression");
}

function parseCall(c: TokenCursor, name: Token): Expr {
  const primitive = findPrimitive(name.text);
  if (primitive === undefined) c.unsupported(excerptForTerminal(name.text), name);
  c.expect("(");
  const args: Expr[] = [];
  if (!c.is(")")) {
    do args.push(c.nested(name, () => parseExpr(c)));
    while (c.accept(","));
  }
  const close = c.expect(")", "',' or ')'");
  const n = primitive.args.length;
  if (args.length !== n) {
    // Point at the first extra argument, or at the `)` where one is missing.
    const at = args.length > n ? args[n]!.pos : close.pos;
    throw new LitmusSyntaxError(c.source.fileName, at, `${plural(n, "argument")} to ${name.text}`, plural(args.length, "argument"));
  }
  return { kind: "call", pos: name.pos, name: name.text, args };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

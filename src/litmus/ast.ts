// The typed syntax tree of a C litmus test: header, initial state,
// processes (C code calling kernel primitives) and the final section
// (`locations`, `filter`, and the `exists` / `~exists` / `forall` condition).

import type { SourcePos } from "./source.ts";

export interface LitmusTest {
  readonly fileName: string;
  /** The architecture word of the first line; always `C` here. */
  readonly arch: string;
  /** The test name of the first line (may contain `/ [ ] + - .`). */
  readonly name: string;
  /** `Key=value` lines before the initial state (`Cycle=`, `Relax=`, `Orig=`...), in order. */
  readonly info: readonly InfoLine[];
  /** The quoted doc string of the header, if any. */
  readonly doc?: string;
  readonly init: readonly InitEntry[];
  readonly processes: readonly Process[];
  /** `locations [...]`: extra locations herd prints in each state. */
  readonly locations: readonly LocationRef[];
  readonly filter?: Prop;
  readonly condition: Condition;
}

export interface InfoLine {
  readonly key: string;
  readonly value: string;
  readonly pos: SourcePos;
}

// ---------------------------------------------------------------- initial state

export type InitTarget =
  | { readonly kind: "global"; readonly name: string }
  | { readonly kind: "register"; readonly proc: number; readonly name: string };

export type InitValue =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "location"; readonly name: string; readonly pos: SourcePos };

export interface InitEntry {
  readonly pos: SourcePos;
  readonly target: InitTarget;
  /** The declared type, e.g. `int`, `atomic_t`, `struct srcu_struct`, `int *`; undefined when untyped (`x=1;`). */
  readonly type?: string;
  readonly value: InitValue;
}

// ---------------------------------------------------------------- processes

export interface CType {
  /** Base type words without pointers or qualifiers: `int`, `unsigned long`, `struct srcu_struct`. */
  readonly base: string;
  readonly pointerDepth: number;
  readonly volatile: boolean;
}

export interface Param {
  readonly pos: SourcePos;
  readonly name: string;
  readonly type: CType;
}

export interface Process {
  readonly pos: SourcePos;
  /** The number of `Pn`. */
  readonly proc: number;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
}

export type Stmt =
  | { readonly kind: "decl"; readonly pos: SourcePos; readonly type: CType; readonly name: string; readonly init?: Expr }
  | { readonly kind: "assign"; readonly pos: SourcePos; readonly target: Expr; readonly value: Expr }
  | { readonly kind: "expr"; readonly pos: SourcePos; readonly expr: Expr }
  | { readonly kind: "if"; readonly pos: SourcePos; readonly cond: Expr; readonly then: Stmt; readonly else?: Stmt }
  | { readonly kind: "block"; readonly pos: SourcePos; readonly body: readonly Stmt[] }
  | { readonly kind: "empty"; readonly pos: SourcePos };

export type UnaryOperator = "-" | "+" | "!" | "~";

export type BinaryOperator =
  | "*" | "/" | "%"
  | "+" | "-"
  | "<<" | ">>"
  | "<" | "<=" | ">" | ">="
  | "==" | "!="
  | "&" | "^" | "|"
  | "&&" | "||";

export type Expr =
  | { readonly kind: "int"; readonly pos: SourcePos; readonly value: number }
  | { readonly kind: "name"; readonly pos: SourcePos; readonly name: string }
  | { readonly kind: "unary"; readonly pos: SourcePos; readonly op: UnaryOperator; readonly operand: Expr }
  | { readonly kind: "deref"; readonly pos: SourcePos; readonly operand: Expr }
  | { readonly kind: "addressOf"; readonly pos: SourcePos; readonly operand: Expr }
  | { readonly kind: "cast"; readonly pos: SourcePos; readonly type: CType; readonly operand: Expr }
  | { readonly kind: "binary"; readonly pos: SourcePos; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr }
  /** A kernel primitive from linux-kernel.def (checked by the parser). */
  | { readonly kind: "call"; readonly pos: SourcePos; readonly name: string; readonly args: readonly Expr[] };

// ---------------------------------------------------------------- final section

/** A register `P:r` or a shared location `x` / `[x]` in `locations`, `filter` or the condition. */
export type LocationRef =
  | { readonly kind: "register"; readonly pos: SourcePos; readonly proc: number; readonly name: string }
  | { readonly kind: "memory"; readonly pos: SourcePos; readonly name: string };

/** A value in a condition: an integer, or a location name standing for its address. */
export type CondValue = InitValue;

export type Atom =
  /** `loc = value` (also `==`); `!=` parses as `not` of this. */
  | { readonly kind: "equals"; readonly pos: SourcePos; readonly loc: LocationRef; readonly value: CondValue }
  /** `loc = loc'`: both hold the same value (`[x]=[y]`, `0:r1=1:r2`). */
  | { readonly kind: "sameValue"; readonly pos: SourcePos; readonly loc: LocationRef; readonly other: LocationRef };

export type Prop =
  | { readonly kind: "true" }
  | { readonly kind: "false" }
  | { readonly kind: "atom"; readonly atom: Atom }
  | { readonly kind: "not"; readonly prop: Prop }
  | { readonly kind: "and"; readonly left: Prop; readonly right: Prop }
  | { readonly kind: "or"; readonly left: Prop; readonly right: Prop }
  | { readonly kind: "implies"; readonly left: Prop; readonly right: Prop };

export type Quantifier = "exists" | "~exists" | "forall";

export interface Condition {
  readonly quantifier: Quantifier;
  readonly prop: Prop;
  /** Where the condition starts; the end of the file when the test has none (herd's default `forall (true)`). */
  readonly pos: SourcePos;
}

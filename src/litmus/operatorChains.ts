// A run of binary operators (`a + b - c + ...`, `x /\ y /\ z ...`) parses
// as a left-deep tree: each operator node's left child is the run so far.
// Its depth is the run's length, which the nesting limit does not bound
// (nestingLimit.ts), so every pass over the tree — compiling, collecting
// names, evaluating, printing — walks such a run as a list, with a loop,
// instead of recursing down its left side once per operator.

import type { Expr, Prop } from "./ast.ts";

export type BinaryExpr = Extract<Expr, { kind: "binary" }>;

/** `a op1 b op2 c`: `first` is `a`; `links` are the operator nodes from the innermost (`op1`, right `b`) out. */
export interface ExprChain {
  readonly first: Expr;
  readonly links: readonly BinaryExpr[];
}

/** The binary operators down the left side of `e`, whatever they are (C evaluates each left side first). */
export function exprChain(e: BinaryExpr): ExprChain {
  const links: BinaryExpr[] = [];
  let at: Expr = e;
  while (at.kind === "binary") {
    links.push(at);
    at = at.left;
  }
  return { first: at, links: links.reverse() };
}

export type ConnectiveProp = Extract<Prop, { kind: "and" | "or" }>;

/**
 * `p /\ q /\ r` as its operands in order, `[p, q, r]`: the left side of
 * `p` while it is the same connective. A different connective on the left
 * came from parentheses, which the nesting limit bounds.
 */
export function propChain(p: ConnectiveProp): Prop[] {
  const rights: Prop[] = [];
  let at: Prop = p;
  while (at.kind === p.kind) {
    const link = at as ConnectiveProp;
    rights.push(link.right);
    at = link.left;
  }
  rights.push(at);
  return rights.reverse();
}

// What the names in one process's code mean. As in herd, parameters and
// locals are registers of the process (a parameter `int *x` holds the
// address of shared x), and so is any other name the code uses without
// declaring it (herd's C has no undeclared-variable error: such a register
// starts at 0). The exception: a name that is no parameter or declared
// local but a shared location of the test denotes that location itself, as
// a C global would.

import type { Expr, Process, Stmt } from "./ast.ts";
import { exprChain } from "./operatorChains.ts";
import type { Loc } from "../program/value.ts";

export interface ProcessScope {
  readonly fileName: string;
  readonly proc: number;
  /** The registers of this process: parameters, locals, and registers set by the initial state. */
  readonly registers: ReadonlySet<string>;
  /** The locals among them (what the thread returns as its final registers). */
  readonly locals: readonly string[];
  readonly locations: ReadonlyMap<string, Loc>;
}

export type NameBinding = { readonly kind: "register"; readonly name: string } | { readonly kind: "global"; readonly loc: Loc };

export function resolveName(scope: ProcessScope, name: string): NameBinding {
  if (scope.registers.has(name)) return { kind: "register", name };
  const loc = scope.locations.get(name);
  if (loc !== undefined) return { kind: "global", loc };
  throw new Error(`processScope: '${name}' was not collected`);
}

export function processScope(
  fileName: string,
  process: Process,
  initRegisters: Iterable<string>,
  locations: ReadonlyMap<string, Loc>,
): ProcessScope {
  const params = new Set(process.params.map((p) => p.name));
  const locals = new Set<string>(initRegisters);
  const declared = (name: string): boolean => params.has(name) || locals.has(name);
  // Declarations first: a declared local shadows a shared location of the same name wherever it is used.
  const declare = (s: Stmt): void => {
    if (s.kind === "decl") locals.add(s.name);
    else if (s.kind === "if") {
      declare(s.then);
      if (s.else) declare(s.else);
    } else if (s.kind === "block") s.body.forEach(declare);
  };
  process.body.forEach(declare);
  const use = (e: Expr): void => {
    switch (e.kind) {
      case "name":
        if (!declared(e.name) && !locations.has(e.name)) locals.add(e.name);
        return;
      case "int":
        return;
      case "unary":
      case "deref":
      case "addressOf":
      case "cast":
        return use(e.operand);
      case "binary": {
        // A long `a + b + ...` is a loop here, not a recursion per operator (operatorChains.ts).
        const chain = exprChain(e);
        use(chain.first);
        return chain.links.forEach((link) => use(link.right));
      }
      case "call":
        return e.args.forEach(use);
    }
  };
  const visit = (s: Stmt): void => {
    switch (s.kind) {
      case "decl":
        if (s.init) use(s.init);
        return;
      case "assign":
        use(s.target);
        return use(s.value);
      case "expr":
        return use(s.expr);
      case "if":
        use(s.cond);
        visit(s.then);
        if (s.else) visit(s.else);
        return;
      case "block":
        return s.body.forEach(visit);
      case "empty":
        return;
    }
  };
  process.body.forEach(visit);
  return {
    fileName,
    proc: process.proc,
    registers: new Set([...params, ...locals]),
    locals: [...locals].sort(),
    locations,
  };
}

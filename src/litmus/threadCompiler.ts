// Lowers one process's statements and expressions to generator closures
// that yield pagerace operations. Every value carries the set of this
// thread's reads it was computed from, which gives each operation its
// syntactic dependencies the way herd computes them: addr (the address),
// data (the value written, or an RMW's operands) and ctrl (the reads that
// the conditions of the enclosing `if`s depended on: as in herd's C
// semantics, a control dependency covers the accesses inside the branches
// of an `if`, not those after it).

import type { Expr, Stmt } from "./ast.ts";
import { applyBinary, applyUnary, isTrue, requireLoc } from "./cArithmetic.ts";
import { LitmusSyntaxError, LitmusUnsupportedError } from "./errors.ts";
import { compilePrimitiveCall, type OperandCompiler } from "./primitiveOps.ts";
import { findPrimitive } from "./primitives.ts";
import { exprChain, type BinaryExpr } from "./operatorChains.ts";
import { resolveName, type ProcessScope } from "./processScope.ts";
import { NO_DEPS, unionDeps, untracked, ZERO, type Evaluator, type Executor, type ThreadFrame, type ThreadGen, type Tracked } from "./threadFrame.ts";
import type { ReadOp, WriteOp } from "../program/operation.ts";
import type { Value } from "../program/value.ts";
import { excerptForTerminal, quoteForTerminal } from "../report/terminalText.ts";

/** Where an assignment or a primitive's `lvalue` argument puts its value. */
export type Target = { readonly kind: "register"; readonly name: string } | { readonly kind: "memory"; readonly address: Evaluator };

export class ThreadCompiler implements OperandCompiler {
  constructor(readonly scope: ProcessScope) {}

  statements(body: readonly Stmt[]): Executor {
    const steps = body.map((s) => this.statement(s));
    return function* (f) {
      for (const step of steps) yield* step(f);
    };
  }

  statement(s: Stmt): Executor {
    switch (s.kind) {
      case "empty":
        return function* () {};
      case "block":
        return this.statements(s.body);
      case "decl": {
        const name = s.name;
        if (s.init === undefined) {
          // A declaration without initialiser keeps a value set by the initial state (`0:r1=1`), else 0.
          return function* (f) {
            if (!f.registers.has(name)) f.registers.set(name, ZERO);
          };
        }
        const init = this.value(s.init);
        return function* (f) {
          f.registers.set(name, yield* init(f));
        };
      }
      case "assign":
        return this.assignment(this.target(s.target, "an assignable location (a variable or '*pointer')"), this.value(s.value), s.pos);
      case "expr": {
        // A call whose value is dropped may return nothing, also under a cast: `(void)spin_trylock(s);`.
        let e = s.expr;
        while (e.kind === "cast") e = e.operand;
        const run = e.kind === "call" ? this.call(e, false) : this.value(s.expr);
        return function* (f) {
          yield* run(f);
        };
      }
      case "if": {
        const cond = this.value(s.cond);
        const then = this.statement(s.then);
        const otherwise = s.else === undefined ? undefined : this.statement(s.else);
        return function* (f) {
          const c = yield* cond(f);
          const outside = f.branchOn(c.deps);
          if (isTrue(c.value)) yield* then(f);
          else if (otherwise) yield* otherwise(f);
          f.endBranch(outside);
        };
      }
    }
  }

  private assignment(target: Target, value: Evaluator, pos: Expr["pos"]): Executor {
    if (target.kind === "register") {
      const name = target.name;
      return function* (f) {
        f.registers.set(name, yield* value(f));
      };
    }
    const { address } = target;
    const site = { fileName: this.scope.fileName, pos };
    return function* (f) {
      const a = yield* address(f);
      const v = yield* value(f);
      const op: WriteOp = { kind: "write", loc: requireLoc(a.value, site, "store"), value: v.value, mode: "plain", deps: f.dependencies(a.deps, v.deps) };
      yield* f.emit(op);
    };
  }

  /** Where `e` designates: a register, or memory at a computed address. */
  target(e: Expr, what: string): Target {
    switch (e.kind) {
      case "name": {
        const b = resolveName(this.scope, e.name);
        if (b.kind === "register") return b;
        const address = untracked(b.loc);
        return { kind: "memory", address: function* () { return address; } };
      }
      case "deref":
        return { kind: "memory", address: this.value(e.operand) };
      case "cast":
        return this.target(e.operand, what);
      default:
        throw new LitmusSyntaxError(this.scope.fileName, e.pos, what, describeExpr(e));
    }
  }

  /** The address of the memory `e` designates (for `READ_ONCE(*x)`-style arguments). */
  memory(e: Expr, primitive: string): Evaluator {
    const t = this.target(e, `a shared location such as '*x' as the argument of ${primitive}`);
    if (t.kind === "register") throw new LitmusUnsupportedError(this.scope.fileName, e.pos, `${primitive} of the register ${quoteForTerminal(t.name)} (write ${primitive}(*${excerptForTerminal(t.name)}) to access what it points to)`);
    return t.address;
  }

  value(e: Expr): Evaluator {
    const site = { fileName: this.scope.fileName, pos: e.pos };
    switch (e.kind) {
      case "int": {
        const v = untracked(e.value);
        return function* () {
          return v;
        };
      }
      case "name": {
        const b = resolveName(this.scope, e.name);
        if (b.kind === "register") {
          const name = b.name;
          return function* (f) {
            return f.register(name);
          };
        }
        return plainRead(function* () { return untracked(b.loc); }, site);
      }
      case "deref":
        return plainRead(this.value(e.operand), site);
      case "addressOf":
        return this.addressOf(e);
      case "cast":
        return this.value(e.operand);
      case "unary": {
        const operand = this.value(e.operand);
        const op = e.op;
        return function* (f) {
          const v = yield* operand(f);
          return { value: applyUnary(op, v.value, site), deps: v.deps };
        };
      }
      case "binary":
        return this.binary(e);
      case "call":
        return this.call(e, true);
    }
  }

  private addressOf(e: Extract<Expr, { kind: "addressOf" }>): Evaluator {
    const operand = e.operand.kind === "cast" ? e.operand.operand : e.operand;
    if (operand.kind === "deref") return this.value(operand.operand);
    // `&x` names shared x, as herd's symbolic addresses do, also when a parameter `int *x` stands for it.
    const loc = operand.kind === "name" && !this.scope.locals.includes(operand.name) ? this.scope.locations.get(operand.name) : undefined;
    if (loc !== undefined) {
      const v = untracked(loc);
      return function* () {
        return v;
      };
    }
    throw new LitmusUnsupportedError(this.scope.fileName, e.pos, `taking the address of ${describeExpr(operand)}`);
  }

  /**
   * A run of binary operators (operatorChains.ts), evaluated by one loop:
   * the left side, then each right side in turn, so a long `a + b + ...`
   * neither compiles nor runs as one nested generator per operator.
   */
  private binary(e: BinaryExpr): Evaluator {
    const chain = exprChain(e);
    // A leading run of constants (`1 + 2 * 3 - ...`) is folded now rather than on every re-run of the thread;
    // an operation that fails (division by zero) is left to fail at run time, at its own position.
    let start: Expr = chain.first;
    let folded = 0;
    if (start.kind === "int") {
      let value = start.value;
      for (const link of chain.links) {
        if (link.right.kind !== "int") break;
        let next: Value;
        try {
          next = applyBinary(link.op, value, link.right.value, { fileName: this.scope.fileName, pos: link.pos });
        } catch {
          break;
        }
        if (typeof next !== "number") break;
        value = next;
        folded++;
      }
      start = { kind: "int", pos: start.pos, value };
    }
    const first = this.value(start);
    const links = chain.links.slice(folded).map((link) => ({
      op: link.op,
      right: this.value(link.right),
      pure: this.pureValue(link.right),
      site: { fileName: this.scope.fileName, pos: link.pos },
      // C evaluates the right side of && and || only when needed: a branch on the left side, hence a control
      // dependency when skipping it is observable. The dependency covers the right side only, as an `if` covers its branches.
      branches: (link.op === "&&" || link.op === "||") && touchesMemory(link.right, this.scope),
    }));
    return function* (f) {
      let l = yield* first(f);
      for (const link of links) {
        if (link.branches) {
          if (isTrue(l.value) === (link.op === "||")) {
            l = { value: link.op === "||" ? 1 : 0, deps: l.deps };
            continue;
          }
          const outside = f.branchOn(l.deps);
          const r = yield* link.right(f);
          f.endBranch(outside);
          l = { value: isTrue(r.value) ? 1 : 0, deps: unionDeps(l.deps, r.deps) };
        } else {
          const r = link.pure !== undefined ? link.pure(f) : yield* link.right(f);
          l = { value: applyBinary(link.op, l.value, r.value, link.site), deps: unionDeps(l.deps, r.deps) };
        }
      }
      return l;
    };
  }

  /**
   * `e` as a plain function when it reads no shared memory (a constant, a
   * register, a unary operator or cast of one). Thread code is re-run for
   * every execution, and a generator per operand made a chain of a few
   * thousand constants cost seconds to explore.
   */
  private pureValue(e: Expr): ((f: ThreadFrame) => Tracked) | undefined {
    switch (e.kind) {
      case "int": {
        const v = untracked(e.value);
        return () => v;
      }
      case "name": {
        const b = resolveName(this.scope, e.name);
        if (b.kind !== "register") return undefined;
        const name = b.name;
        return (f) => f.register(name);
      }
      case "cast":
        return this.pureValue(e.operand);
      case "unary": {
        const operand = this.pureValue(e.operand);
        if (operand === undefined) return undefined;
        const op = e.op;
        const site = { fileName: this.scope.fileName, pos: e.pos };
        return (f) => {
          const v = operand(f);
          return { value: applyUnary(op, v.value, site), deps: v.deps };
        };
      }
      default:
        return undefined;
    }
  }

  private call(e: Extract<Expr, { kind: "call" }>, needValue: boolean): Evaluator {
    const primitive = findPrimitive(e.name);
    if (primitive === undefined) throw new LitmusUnsupportedError(this.scope.fileName, e.pos, e.name);
    if (needValue && !primitive.returnsValue) {
      throw new LitmusSyntaxError(this.scope.fileName, e.pos, "an expression with a value", `'${e.name}(...)', which returns nothing`);
    }
    return compilePrimitiveCall(e, primitive, this.scope.fileName, this);
  }
}

/** A plain C load (`*p`, or a shared location named directly). */
function plainRead(address: Evaluator, site: { fileName: string; pos: Expr["pos"] }): Evaluator {
  return function* (f: ThreadFrame): ThreadGen<Tracked> {
    const a = yield* address(f);
    const op: ReadOp = { kind: "read", loc: requireLoc(a.value, site, "load"), mode: "plain", deps: f.dependencies(a.deps, NO_DEPS) };
    const { index, result } = yield* f.emit(op);
    return { value: result ?? 0, deps: [index] };
  };
}

/** Whether evaluating `e` may access memory (so skipping it is observable). */
function touchesMemory(e: Expr, scope: ProcessScope): boolean {
  switch (e.kind) {
    case "int":
      return false;
    case "name":
      return !scope.registers.has(e.name);
    case "deref":
    case "call":
      return true;
    case "addressOf":
      return false;
    case "cast":
    case "unary":
      return touchesMemory(e.operand, scope);
    case "binary": {
      const chain = exprChain(e);
      return touchesMemory(chain.first, scope) || chain.links.some((link) => touchesMemory(link.right, scope));
    }
  }
}

export function describeExpr(e: Expr): string {
  switch (e.kind) {
    case "int":
      return `'${e.value}'`;
    case "name":
      return quoteForTerminal(e.name);
    case "call":
      return `'${e.name}(...)'`;
    default:
      return `an expression (${e.kind})`;
  }
}

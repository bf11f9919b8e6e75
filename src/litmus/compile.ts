// Compiles a parsed litmus test to a pagerace Model: one location per
// shared variable (initial-state declarations, names used as initial
// pointer values, process parameters), one thread per process, and the
// final condition, plus what a litmus runner needs to report like herd7.

import type { InitValue, LitmusTest, Process, Quantifier } from "./ast.ts";
import { compileProp, displayedLocations, formatCondition, formatState, type ConditionContext, type ObservedLocation } from "./condition.ts";
import { LitmusSyntaxError } from "./errors.ts";
import { processScope } from "./processScope.ts";
import { ThreadCompiler } from "./threadCompiler.ts";
import { ThreadFrame, untracked, type Tracked } from "./threadFrame.ts";
import { ModelBuilder, type FinalState, type Model } from "../program/model.ts";
import type { Loc, Value } from "../program/value.ts";
import { quoteForTerminal } from "../report/terminalText.ts";

export interface CompiledLitmus {
  readonly name: string;
  readonly test: LitmusTest;
  readonly model: Model;
  /** Shared locations by name. */
  readonly locations: ReadonlyMap<string, Loc>;
  /** The thread name of each process number (`0` -> `P0`). */
  readonly threads: ReadonlyMap<number, string>;
  readonly quantifier: Quantifier;
  /** herd's verdict word for the quantifier: Allowed (exists), Forbidden (~exists), Required (forall). */
  readonly expectation: "Allowed" | "Forbidden" | "Required";
  /** Whether the condition's proposition holds in a final state (whatever the quantifier). */
  evaluate(state: FinalState): boolean;
  /** Whether herd keeps a final state (the `filter`; always true without one). */
  filter(state: FinalState): boolean;
  readonly hasFilter: boolean;
  /** What herd prints in each `States` line, in herd's order. */
  readonly observed: readonly ObservedLocation[];
  /** One `States` line: `0:r1=0; 1:r1=1; [x]=2;`. */
  formatState(state: FinalState): string;
  /** The condition as herd's `Condition` line prints it: `exists (0:r1=1 /\ [x]=2)`. */
  readonly conditionText: string;
}

const EXPECTATION = { exists: "Allowed", "~exists": "Forbidden", forall: "Required" } as const;

export function compileLitmus(test: LitmusTest): CompiledLitmus {
  const builder = new ModelBuilder(test.name);
  const locations = declareLocations(test, builder);
  const initial = new Map<Loc, Value>();
  const registerInit = new Map<number, Map<string, Tracked>>();
  for (const entry of test.init) {
    const value = initValue(entry.value, locations, test.fileName);
    if (entry.target.kind === "global") initial.set(locations.get(entry.target.name)!, value);
    else {
      const regs = registerInit.get(entry.target.proc) ?? new Map<string, Tracked>();
      regs.set(entry.target.name, untracked(value));
      registerInit.set(entry.target.proc, regs);
    }
  }

  const threads = new Map<number, string>();
  for (const p of test.processes) {
    const name = `P${p.proc}`;
    threads.set(p.proc, name);
    builder.thread(name, compileProcess(test.fileName, p, registerInit.get(p.proc) ?? new Map(), locations));
  }
  for (const [proc, regs] of registerInit) {
    if (!threads.has(proc)) {
      const entry = test.init.find((e) => e.target.kind === "register" && e.target.proc === proc)!;
      throw new LitmusSyntaxError(test.fileName, entry.pos, "a register of one of the test's processes", quoteForTerminal(`${proc}:${[...regs.keys()][0]}`));
    }
  }

  const ctx: ConditionContext = { fileName: test.fileName, threads, locations };
  const holds = compileProp(test.condition.prop, ctx);
  const filter = test.filter ? compileProp(test.filter, ctx) : () => true;
  const observed = displayedLocations(test.locations, test.condition, ctx);
  const conditionText = formatCondition(test.condition);
  // The model's own check, for runners that know nothing of litmus: filtered-out states never count.
  if (test.condition.quantifier === "forall") builder.forall(conditionText, (s) => !filter(s) || holds(s));
  else builder.exists(conditionText, (s) => filter(s) && holds(s));

  const built = builder.build();
  const model: Model = { ...built, initial: built.locations.map((loc) => initial.get(loc) ?? 0), dependenciesNamed: true };
  return {
    name: test.name,
    test,
    model,
    locations,
    threads,
    quantifier: test.condition.quantifier,
    expectation: EXPECTATION[test.condition.quantifier],
    evaluate: holds,
    filter,
    hasFilter: test.filter !== undefined,
    observed,
    formatState: (s) => formatState(observed, s),
    conditionText,
  };
}

/**
 * Creates every shared location: initial-state declarations in order,
 * then names that initial values point to, then process parameters.
 * Initial values are filled in after `build()`, once every Loc exists.
 */
function declareLocations(test: LitmusTest, builder: ModelBuilder): Map<string, Loc> {
  const locations = new Map<string, Loc>();
  const declare = (name: string): void => {
    if (!locations.has(name)) locations.set(name, builder.location(name));
  };
  const declaredAt = new Map<string, number>();
  for (const e of test.init) {
    if (e.target.kind !== "global") continue;
    const previous = declaredAt.get(e.target.name);
    if (previous !== undefined) {
      throw new LitmusSyntaxError(test.fileName, e.pos, `one initialisation of ${quoteForTerminal(e.target.name)} (already initialised at line ${previous})`, `${quoteForTerminal(e.target.name)} again`);
    }
    declaredAt.set(e.target.name, e.pos.line);
    declare(e.target.name);
  }
  for (const e of test.init) if (e.value.kind === "location") declare(e.value.name);
  for (const p of test.processes) for (const param of p.params) declare(param.name);
  return locations;
}

function initValue(v: InitValue, locations: ReadonlyMap<string, Loc>, fileName: string): Value {
  if (v.kind === "int") return v.value;
  const loc = locations.get(v.name);
  if (loc === undefined) throw new LitmusSyntaxError(fileName, v.pos, "a shared location", quoteForTerminal(v.name));
  return loc;
}

function compileProcess(fileName: string, p: Process, registerInit: ReadonlyMap<string, Tracked>, locations: ReadonlyMap<string, Loc>) {
  const scope = processScope(fileName, p, registerInit.keys(), locations);
  const body = new ThreadCompiler(scope).statements(p.body);
  const initialRegisters = new Map<string, Tracked>(registerInit);
  // A parameter `int *x` holds the address of shared x.
  for (const param of p.params) if (!initialRegisters.has(param.name)) initialRegisters.set(param.name, untracked(locations.get(param.name)!));
  const locals = scope.locals;
  return function* () {
    const frame = new ThreadFrame(initialRegisters);
    yield* body(frame);
    // Register names are the test's: with no prototype, `__proto__` or `constructor` is a register like any other.
    const result: Record<string, Value> = Object.create(null);
    for (const name of locals) result[name] = frame.register(name).value;
    return result;
  };
}

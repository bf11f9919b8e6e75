// A model: named shared locations with initial values, threads written as
// generator functions, and the checks over finished executions.

import { Loc, type Value } from "./value.ts";
import type { ThreadBody } from "./operation.ts";
import type { ThreadContext } from "./threadContext.ts";

/** What a finished (or stuck) execution looks like to final checks. */
export interface FinalState {
  /** The coherence-last value of a location. */
  value(loc: Loc): Value;
  /** The same, as an integer (throws for a location reference). */
  int(loc: Loc): number;
  /** What a thread's generator returned (its "registers"), or undefined if it did not finish. */
  result(thread: string): Readonly<Record<string, Value>> | undefined;
}

export interface FinalCheck {
  readonly name: string;
  /** `forall`: a violation when false on some execution. `exists`: counts the executions where it holds. */
  readonly kind: "forall" | "exists";
  readonly holds: (s: FinalState) => boolean;
}

export interface ThreadSpec {
  readonly name: string;
  readonly body: (t: ThreadContext) => ThreadBody<unknown>;
}

/** What running the model should show: catalogue variants say whether they are the buggy or the fixed protocol. */
export type Expectation = "verified" | "violation";

export interface Model {
  readonly name: string;
  readonly expect?: Expectation;
  readonly locations: readonly Loc[];
  readonly initial: readonly Value[];
  readonly threads: readonly ThreadSpec[];
  readonly checks: readonly FinalCheck[];
}

export class ModelBuilder {
  private readonly locations: Loc[] = [];
  private readonly initial: Value[] = [];
  private readonly threads: ThreadSpec[] = [];
  private readonly checks: FinalCheck[] = [];
  private readonly names = new Set<string>();
  private expectation: Expectation | undefined;

  constructor(readonly name: string) {}

  location(name: string, init: Value = 0): Loc {
    if (this.names.has(name)) throw new Error(`model ${this.name}: location '${name}' is declared twice`);
    this.names.add(name);
    const loc = new Loc(this.locations.length, name);
    this.locations.push(loc);
    this.initial.push(init);
    return loc;
  }

  /** Changes a declared location's initial value (for builders that learn it after declaring the location). */
  initialize(loc: Loc, init: Value): void {
    if (this.locations[loc.id] !== loc) throw new Error(`model ${this.name}: ${loc.name} is not a location of this model`);
    this.initial[loc.id] = init;
  }

  /** The initial value a location was declared with. */
  initialValue(loc: Loc): Value {
    return this.initial[loc.id]!;
  }

  /** `name[0..length)`, one location each. */
  array(name: string, length: number, init: Value | ((i: number) => Value) = 0): Loc[] {
    return Array.from({ length }, (_, i) => this.location(`${name}[${i}]`, typeof init === "function" ? init(i) : init));
  }

  /** A struct of locations: `name.field` for each field, with its initial value. */
  struct<K extends string>(name: string, fields: Record<K, Value>): Record<K, Loc> {
    const out = {} as Record<K, Loc>;
    for (const field of Object.keys(fields) as K[]) out[field] = this.location(`${name}.${field}`, fields[field]);
    return out;
  }

  thread(name: string, body: (t: ThreadContext) => ThreadBody<unknown>): void {
    if (this.threads.some((t) => t.name === name)) throw new Error(`model ${this.name}: thread '${name}' is declared twice`);
    this.threads.push({ name, body });
  }

  /** A condition every finished execution must satisfy. */
  forall(name: string, holds: (s: FinalState) => boolean): void {
    this.checks.push({ name, kind: "forall", holds });
  }

  /** A condition whose reachability is reported (herd7's `exists`); not a violation by itself. */
  exists(name: string, holds: (s: FinalState) => boolean): void {
    this.checks.push({ name, kind: "exists", holds });
  }

  /** Declares the expected verdict: `violation` for a buggy variant, `verified` for a fixed one. */
  expect(verdict: Expectation): void {
    this.expectation = verdict;
  }

  build(): Model {
    if (this.threads.length === 0) throw new Error(`model ${this.name}: no threads`);
    return {
      name: this.name,
      expect: this.expectation,
      locations: [...this.locations],
      initial: [...this.initial],
      threads: [...this.threads],
      checks: [...this.checks],
    };
  }
}

/** Declares a model: `export default model("SB", (m) => { ... })`. */
export function model(name: string, define: (m: ModelBuilder) => void): Model {
  const b = new ModelBuilder(name);
  define(b);
  return b.build();
}

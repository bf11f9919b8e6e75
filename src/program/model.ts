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
  /** What a violation of the check says after its name, when it is judged on more than the execution drawn (symmetricChecks.ts). */
  readonly failureDetail?: (s: FinalState) => string | undefined;
}

export interface ThreadSpec {
  readonly name: string;
  readonly body: (t: ThreadContext) => ThreadBody<unknown>;
  /**
   * Threads declared with the same key run the same code on the same
   * locations and values: exchanging them maps every execution to another
   * one. The optimal explorer then explores one execution per class of
   * executions equal up to such an exchange (threadSymmetry.ts).
   */
  readonly identical?: string;
}

/** How a thread is declared beyond its name and code. */
export interface ThreadOptions {
  /** A key naming a class of interchangeable threads (see ThreadSpec.identical). */
  readonly identical?: string;
}

/** What running the model should show: catalogue variants say whether they are the buggy or the fixed protocol. */
export type Expectation = "verified" | "violation";

/** The memory models a model can be checked under (see src/models/registry.ts). */
export type MemoryModelName = "sc" | "tso" | "lkmm";

/** In the order `check` runs them: the strongest model first. */
export const MEMORY_MODEL_NAMES: readonly MemoryModelName[] = ["sc", "tso", "lkmm"];

/** An expectation per memory model: `{ sc: "verified", lkmm: "violation" }`. */
export type ExpectationByModel = Readonly<Partial<Record<MemoryModelName, Expectation>>>;

/**
 * What an LKMM data race (two unordered accesses to one location from
 * different threads, one of them plain) means for this model: a warning
 * beside the verdict, or a violation like a broken check.
 */
export type DataRacePolicy = "warning" | "violation";

export interface Model {
  readonly name: string;
  /** One expectation for every memory model the model is checked under (`m.expect("violation")`). */
  readonly expect?: Expectation;
  /** An expectation per memory model (`m.expect({ sc: "verified", lkmm: "violation" })`); names those models too. */
  readonly expectByModel?: ExpectationByModel;
  /** The memory models to check the model under, as declared (`m.memoryModels("sc", "lkmm")`, or the keys of `expectByModel`). */
  readonly memoryModels?: readonly MemoryModelName[];
  readonly dataRaces?: DataRacePolicy;
  readonly locations: readonly Loc[];
  readonly initial: readonly Value[];
  readonly threads: readonly ThreadSpec[];
  readonly checks: readonly FinalCheck[];
  /** How traces name the values of some locations, by location id (declared with `m.describe`). */
  readonly valueNames?: ReadonlyMap<number, ValueNamer>;
  /**
   * Every operation names each earlier read its address, value and control
   * flow depend on (the litmus front end does): an operation is then fixed
   * by its thread's code and the values of the reads it names.
   */
  readonly dependenciesNamed?: boolean;
}

/** Names a location's value for people ("P1 of F", "2 readers"), or undefined to print the number. */
export type ValueNamer = (v: Value) => string | undefined;

export class ModelBuilder {
  private readonly locations: Loc[] = [];
  private readonly initial: Value[] = [];
  private readonly threads: ThreadSpec[] = [];
  private readonly checks: FinalCheck[] = [];
  private readonly names = new Set<string>();
  private expectation: Expectation | undefined;
  private expectationByModel: ExpectationByModel | undefined;
  private readonly declaredModels: MemoryModelName[] = [];
  private dataRacePolicy: DataRacePolicy | undefined;
  private readonly valueNamers = new Map<number, ValueNamer>();
  /** Set once the model is built: what is declared later (from a thread's body, a check) would not be in it. */
  private built = false;

  constructor(readonly name: string) {}

  private stillBuilding(what: string): void {
    if (this.built)
      throw new Error(
        `model ${this.name}: m.${what}() after the model was built (from a thread's body or a check?): declare locations, threads and checks in the function given to model()`,
      );
  }

  location(name: string, init: Value = 0): Loc {
    this.stillBuilding("location");
    if (this.names.has(name)) throw new Error(`model ${this.name}: location '${name}' is declared twice`);
    this.names.add(name);
    const loc = new Loc(this.locations.length, name);
    this.locations.push(loc);
    this.initial.push(init);
    return loc;
  }

  /** Changes a declared location's initial value (for builders that learn it after declaring the location). */
  initialize(loc: Loc, init: Value): void {
    this.stillBuilding("initialize");
    if (this.locations[loc.id] !== loc) throw new Error(`model ${this.name}: ${loc.name} is not a location of this model`);
    this.initial[loc.id] = init;
  }

  /** The initial value a location was declared with. */
  initialValue(loc: Loc): Value {
    return this.initial[loc.id]!;
  }

  /** `name[0..length)`, one location each. */
  array(name: string, length: number, init: Value | ((i: number) => Value) = 0): Loc[] {
    this.stillBuilding("array");
    return Array.from({ length }, (_, i) => this.location(`${name}[${i}]`, typeof init === "function" ? init(i) : init));
  }

  /** A struct of locations: `name.field` for each field, with its initial value. */
  struct<K extends string>(name: string, fields: Record<K, Value>): Record<K, Loc> {
    const out = {} as Record<K, Loc>;
    for (const field of Object.keys(fields) as K[]) out[field] = this.location(`${name}.${field}`, fields[field]);
    return out;
  }

  /**
   * Says what the values of `locs` mean, for traces only: a pte holding a
   * page id prints as that page, a lock word as its holders. Exploration
   * never calls it. A later declaration for a location replaces an earlier one.
   */
  describe(locs: Loc | readonly Loc[], name: ValueNamer): void {
    this.stillBuilding("describe");
    for (const loc of locs instanceof Loc ? [locs] : locs) {
      if (this.locations[loc.id] !== loc) throw new Error(`model ${this.name}: describe(): ${loc.name} is not a location of this model`);
      this.valueNamers.set(loc.id, name);
    }
  }

  /**
   * A thread. `{ identical: key }` declares it interchangeable with every
   * other thread declared with the same key: same code, same locations, same
   * values, its name aside. Checks then must not tell them apart either (a
   * check that reads their results is judged for every exchange of them).
   */
  thread(name: string, body: (t: ThreadContext) => ThreadBody<unknown>, options: ThreadOptions = {}): void {
    this.stillBuilding("thread");
    if (this.threads.some((t) => t.name === name)) throw new Error(`model ${this.name}: thread '${name}' is declared twice`);
    const identical = options.identical;
    if (identical !== undefined && (typeof identical !== "string" || identical === ""))
      throw new Error(`model ${this.name}: thread '${name}': identical must be a non-empty string key`);
    this.threads.push(identical === undefined ? { name, body } : { name, body, identical });
  }

  /** A condition every finished execution must satisfy. */
  forall(name: string, holds: (s: FinalState) => boolean): void {
    this.stillBuilding("forall");
    this.checks.push({ name, kind: "forall", holds });
  }

  /** A condition whose reachability is reported (herd7's `exists`); not a violation by itself. */
  exists(name: string, holds: (s: FinalState) => boolean): void {
    this.stillBuilding("exists");
    this.checks.push({ name, kind: "exists", holds });
  }

  /**
   * Declares the expected verdict: `violation` for a buggy variant,
   * `verified` for a fixed one — under every memory model the model is
   * checked under, or, given one per memory model, under each of them
   * (which also names the models to check it under):
   * `m.expect({ sc: "verified", tso: "verified", lkmm: "violation" })`.
   */
  expect(verdict: Expectation | ExpectationByModel): void {
    this.stillBuilding("expect");
    if (this.expectation !== undefined || this.expectationByModel !== undefined)
      throw new Error(`model ${this.name}: expect() is declared twice (give one verdict, or one per memory model in a single call)`);
    if (typeof verdict === "string") {
      checkExpectation(this.name, verdict);
      this.expectation = verdict;
      return;
    }
    const names = Object.keys(verdict);
    if (names.length === 0) throw new Error(`model ${this.name}: expect({}) names no memory model`);
    for (const name of names) {
      checkMemoryModelName(this.name, name);
      checkExpectation(this.name, verdict[name as MemoryModelName]);
    }
    this.expectationByModel = { ...verdict };
  }

  /** The memory models to check the model under when the command line names none (default: SC). */
  memoryModels(...names: MemoryModelName[]): void {
    this.stillBuilding("memoryModels");
    if (names.length === 0) throw new Error(`model ${this.name}: memoryModels() needs at least one of ${MEMORY_MODEL_NAMES.join(", ")}`);
    for (const name of names) {
      checkMemoryModelName(this.name, name);
      if (!this.declaredModels.includes(name)) this.declaredModels.push(name);
    }
  }

  /** Whether an LKMM data race is a warning (the default) or a violation of this model. */
  dataRaces(policy: DataRacePolicy): void {
    this.stillBuilding("dataRaces");
    if (policy !== "warning" && policy !== "violation") throw new Error(`model ${this.name}: dataRaces() expects "warning" or "violation", got ${JSON.stringify(policy)}`);
    this.dataRacePolicy = policy;
  }

  /** Named through memoryModels() or expect({...}), in the order sc, tso, lkmm; undefined when none is. */
  private declaredMemoryModels(): readonly MemoryModelName[] | undefined {
    const named = new Set<MemoryModelName>([...this.declaredModels, ...(Object.keys(this.expectationByModel ?? {}) as MemoryModelName[])]);
    return named.size === 0 ? undefined : MEMORY_MODEL_NAMES.filter((n) => named.has(n));
  }

  build(): Model {
    if (this.threads.length === 0) throw new Error(`model ${this.name}: no threads`);
    this.built = true;
    return {
      name: this.name,
      expect: this.expectation,
      expectByModel: this.expectationByModel,
      memoryModels: this.declaredMemoryModels(),
      dataRaces: this.dataRacePolicy,
      locations: [...this.locations],
      initial: [...this.initial],
      threads: [...this.threads],
      checks: [...this.checks],
      ...(this.valueNamers.size > 0 ? { valueNames: new Map(this.valueNamers) } : {}),
    };
  }
}

function checkExpectation(model: string, verdict: unknown): void {
  if (verdict !== "verified" && verdict !== "violation")
    throw new Error(`model ${model}: expect() takes "verified" or "violation", got ${JSON.stringify(verdict)}`);
}

function checkMemoryModelName(model: string, name: string): void {
  if (!(MEMORY_MODEL_NAMES as readonly string[]).includes(name))
    throw new Error(`model ${model}: unknown memory model '${name}' (expected one of: ${MEMORY_MODEL_NAMES.join(", ")})`);
}

/** One run of `check`: a memory model, and what the model expects under it (if it says). */
export interface DeclaredRun {
  readonly memoryModel: MemoryModelName;
  readonly expect?: Expectation;
}

/**
 * The runs a model asks for: each memory model it names (through
 * `memoryModels()` or `expect({...})`), SC when it names none; `override`
 * (the command line's `--model`) replaces them with that one model. The
 * expectation of a run is the one declared for its memory model, else the
 * model-wide one.
 */
export function declaredRuns(model: Model, override?: MemoryModelName): DeclaredRun[] {
  const names = override !== undefined ? [override] : model.memoryModels !== undefined && model.memoryModels.length > 0 ? model.memoryModels : ["sc" as const];
  return names.map((memoryModel) => {
    const expect = model.expectByModel?.[memoryModel] ?? model.expect;
    return expect === undefined ? { memoryModel } : { memoryModel, expect };
  });
}

/** Declares a model: `export default model("SB", (m) => { ... })`. */
export function model(name: string, define: (m: ModelBuilder) => void): Model {
  const b = new ModelBuilder(name);
  define(b);
  return b.build();
}

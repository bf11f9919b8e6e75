// A catalogue scenario: one race from a seed thread, as a family of model
// variants (the buggy protocol, the merged fix, the almost-fixes discussed on
// the list), each with the verdict it must get and the memory model it needs.

import type { Model } from "../program/model.ts";

export type ScenarioModel = "sc" | "tso" | "lkmm";

/** What exploring a variant must show. `race`: some execution breaks a check or deadlocks. `verified`: none does, every execution explored. */
export type VariantVerdict = "race" | "verified";

/** How a race shows itself: a broken final check or assertion (invariant, misuse) or a waits-for cycle. */
export type RaceKind = "invariant" | "deadlock";

export interface Variant {
  /** Short name used on the command line: `buggy`, `fixed`, `rfc`, `rwlock-dropped-early`. */
  readonly name: string;
  /** One line: which protocol this is (proposal, commit id and subject, kernel version). */
  readonly summary: string;
  readonly expect: VariantVerdict;
  /** For a race: which kind it must be. */
  readonly raceKind?: RaceKind;
  readonly memoryModel: ScenarioModel;
  /** `smallest` runs in the default table; `larger` only with `--larger`. */
  readonly size: "smallest" | "larger";
  readonly build: () => Model;
}

export interface Scenario {
  /** `000-B1`: seed number and the race's label (B1, B2, ...) within that seed's thread. */
  readonly id: string;
  readonly seed: string;
  readonly title: string;
  /** The named check it is about: I-TRUNC, I-FREE, I-BLOCK, I-LRU, I-HEAD, I-DEADLOCK, or a scenario-specific one. */
  readonly invariant: string;
  readonly variants: readonly Variant[];
}

/**
 * What a variant must show, from whether its protocol races: `race` of the
 * kind given (a broken check unless said otherwise), or `verified`, which
 * has no kind.
 */
export function expectRace(race: boolean, kind: RaceKind = "invariant"): Pick<Variant, "expect" | "raceKind"> {
  return race ? { expect: "race", raceKind: kind } : { expect: "verified" };
}

// What the GenMC benchmark runs: each family under SC at its default size
// and under TSO at its TSO size, with GenMC's count where GenMC publishes
// one for that size and model.

import type { GenmcFamily } from "./families.ts";
import { publishedCount, type ComparedModel, type PublishedCount } from "./publishedCounts.ts";

export interface GenmcCase {
  readonly family: GenmcFamily;
  readonly model: ComparedModel;
  readonly size: number;
  /** GenMC's count, when published. */
  readonly genmc: PublishedCount | undefined;
}

export function genmcCases(families: readonly GenmcFamily[]): GenmcCase[] {
  return families.flatMap((family) =>
    (["sc", "tso"] as const).map((model) => {
      const size = model === "sc" ? family.defaultSize : family.tsoSize;
      return { family, model, size, genmc: publishedCount(family.name, size, model) };
    }),
  );
}

/** "OK", "MISMATCH", or "-" when GenMC publishes no count to compare with. */
export function verdictAgainstGenmc(c: GenmcCase, executions: number): "OK" | "MISMATCH" | "-" {
  if (c.genmc === undefined) return "-";
  return executions === c.genmc.executions ? "OK" : "MISMATCH";
}

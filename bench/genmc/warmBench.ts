// GenMC's benchmarks explored in process, after a warm-up run: executions
// against GenMC's count, blocked explorations and deadlocks (GenMC's failed
// assumes), the median wall time and executions per second.

import { explore, sc, type MemoryModel } from "../../src/index.ts";
import { tso } from "../../src/models/tso.ts";
import { median, pad } from "../figures.ts";
import { genmcCases, verdictAgainstGenmc } from "./benchCases.ts";
import type { GenmcFamily } from "./families.ts";
import type { ComparedModel } from "./publishedCounts.ts";

const memoryModels: Record<ComparedModel, MemoryModel> = { sc, tso };

/** Runs the families in process; returns how many cases found a count other than GenMC's. */
export function runGenmcWarm(families: readonly GenmcFamily[], runs: number): number {
  console.log(`GenMC benchmarks, in process: a warm-up and ${runs} run${runs === 1 ? "" : "s"} each, median wall time\n`);
  console.log(
    `${"program".padEnd(16)} ${"model".padEnd(5)} ${pad("executions", 10)} ${pad("GenMC", 9)} ${"".padEnd(8)} ${pad("blocked", 8)} ${pad("deadlocks", 9)} ${pad("dup", 4)} ${pad("ms", 9)} ${pad("exec/s", 9)}`,
  );
  let mismatches = 0;
  for (const c of genmcCases(families)) {
    const program = c.family.build(c.size);
    const options = { memoryModel: memoryModels[c.model], stopOnViolation: false, keepViolations: 0 };
    let last = explore(program, options); // warm-up
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      last = explore(program, options);
      times.push(last.elapsedMs);
    }
    const ms = median(times);
    const verdict = verdictAgainstGenmc(c, last.executions);
    if (verdict === "MISMATCH" || last.duplicates !== 0) mismatches++;
    console.log(
      `${`${c.family.name}(${c.size})`.padEnd(16)} ${c.model.padEnd(5)} ${pad(last.executions, 10)} ${pad(c.genmc?.executions ?? "-", 9)} ${verdict.padEnd(8)} ${pad(last.blocked, 8)} ${pad(last.deadlocks, 9)} ${pad(last.duplicates, 4)} ${pad(ms.toFixed(1), 9)} ${pad(Math.round((last.executions * 1000) / ms), 9)}`,
    );
  }
  return mismatches;
}

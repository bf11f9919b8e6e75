// The benchmarks: the engine's own families, and GenMC's benchmarks (in
// process, and with --cold also as whole `pagerace check` processes).
//
//   npm run bench [-- --quick] [-- --cold] [engine] [genmc] [parallel] [redis] [symmetry] [GENMC-FAMILY...]
//
// With no section named, the engine families, GenMC's in-process table and
// the two-worker speed-up (parallelSpeedup.ts) run; `redis` (redisThroughput.ts,
// which starts its own redis-server) and `symmetry` (symmetryBench.ts: executions and CPU time with symmetry
// reduction off and on) run when named. A GenMC family name (lastzero, CoA, ...) selects that family of the
// GenMC section. Exit 1 when a count differs from the known one.

import { runEngineBench } from "./engineBench.ts";
import { genmcFamilies } from "./genmc/families.ts";
import { runGenmcWarm } from "./genmc/warmBench.ts";
import { runGenmcCold } from "./genmc/coldBench.ts";
import { runParallelBench } from "./parallelSpeedup.ts";
import { runRedisBench } from "./redisThroughput.ts";
import { runSymmetryBench } from "./symmetryBench.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const cold = args.includes("--cold");
const unknownFlag = args.find((a) => a.startsWith("-") && a !== "--quick" && a !== "--cold");
const words = args.filter((a) => !a.startsWith("-"));
const familyNames = new Set(genmcFamilies.map((f) => f.name.toLowerCase()));
const SECTIONS = ["engine", "genmc", "parallel", "redis", "symmetry"];
/** The sections that run when none is named. */
const DEFAULT_SECTIONS = ["engine", "genmc", "parallel"];
const unknownWord = words.find((w) => !SECTIONS.includes(w) && !familyNames.has(w.toLowerCase()));
if (unknownFlag !== undefined || unknownWord !== undefined) {
  console.error(`bench: unknown ${unknownFlag ?? unknownWord}; expected --quick, --cold, engine, genmc, parallel, redis, symmetry or one of: ${genmcFamilies.map((f) => f.name).join(", ")}`);
  process.exit(2);
}

const chosenFamilies = words.filter((w) => familyNames.has(w.toLowerCase())).map((w) => w.toLowerCase());
const families = chosenFamilies.length > 0 ? genmcFamilies.filter((f) => chosenFamilies.includes(f.name.toLowerCase())) : genmcFamilies;
const named = words.filter((w) => SECTIONS.includes(w));
const sections = words.length === 0 ? DEFAULT_SECTIONS : [...named, ...(chosenFamilies.length > 0 && !named.includes("genmc") ? ["genmc"] : [])];

console.log(`pagerace bench: node ${process.version}\n`);
let wrong = 0;
if (sections.includes("engine")) wrong += runEngineBench(quick);
if (sections.includes("genmc")) {
  if (sections.includes("engine")) console.log("");
  wrong += runGenmcWarm(families, quick ? 1 : 3);
  if (cold) {
    console.log("");
    wrong += runGenmcCold(families, quick ? 1 : 3);
  }
}
if (sections.includes("parallel")) {
  console.log("");
  wrong += await runParallelBench(quick);
}
if (sections.includes("redis")) {
  console.log("");
  wrong += await runRedisBench(quick);
}
if (sections.includes("symmetry")) {
  if (sections.length > 1) console.log("");
  wrong += runSymmetryBench(quick);
}
console.log(`\n${wrong === 0 ? "all counts as known" : `${wrong} cases with unexpected counts`}`);
process.exitCode = wrong === 0 ? 0 : 1;

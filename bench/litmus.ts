// Litmus speed: the whole visible corpus (../shared/litmus) in one process,
// once to warm up, then timed. Prints the total wall time, the total per
// folder next to herd7's reference times, the slowest tests with their
// execution counts, SB with N spinlocked processes, and the generated chains
// of 9 to 16 processes that herd7 does not finish in 60 s
// (bench/generatedChains.ts), each with its time, verdict and strategy.
//
//   node --import tsx bench/litmus.ts [--model lkmm] [--runs 3] [--slowest 10]
//                                     [--chains 9-16] [--chain-handoff conditional|always] [--chains-only]

import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadLitmusFile } from "../src/litmus/run/loadLitmusFile.ts";
import { litmusMemoryModel } from "../src/litmus/run/litmusMemoryModels.ts";
import { LitmusTimeout, runLitmus, type LitmusRun } from "../src/litmus/run/runLitmus.ts";
import type { CompiledLitmus } from "../src/litmus/compile.ts";
import { compileLitmus, parseLitmus } from "../src/litmus/index.ts";
import { lockedStoreBuffering } from "./lockedStoreBuffering.ts";
import { generatedChains, type Handoff } from "./generatedChains.ts";
import { litmusFilesUnder } from "../src/litmus/run/litmusFiles.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const corpus = path.resolve(repoRoot, "../shared/litmus");

/** herd7 7.58, one process per test, summed over each folder (from the task's reference runs). */
const HERD_SECONDS: Readonly<Record<string, { seconds: number; tests: number }>> = {
  kernel: { seconds: 0.97, tests: 47 },
  "herdtools7-catalogue-linux": { seconds: 2.45, tests: 79 },
};

const { values: opts } = parseArgs({
  options: {
    model: { type: "string", default: "lkmm" },
    runs: { type: "string", default: "3" },
    slowest: { type: "string", default: "10" },
    "limit-seconds": { type: "string", default: "60" },
    chains: { type: "string", default: "9-16" },
    "chain-handoff": { type: "string", default: "conditional" },
    "chains-only": { type: "boolean", default: false },
  },
});

interface Timed {
  readonly rel: string;
  readonly ms: number;
  readonly run?: LitmusRun;
  readonly note?: string;
}

const model = litmusMemoryModel(opts.model!);
if (model === undefined) throw new Error(`unknown memory model '${opts.model}'`);
const memoryModel = model;
const runs = Math.max(1, Number(opts.runs));
const limitMs = Number(opts["limit-seconds"]) * 1000;

// Parsing and compiling are part of what herd's times include, so they are timed too.
const tests = opts["chains-only"] ? [] : litmusFilesUnder(corpus).map((file) => ({ file, rel: path.relative(corpus, file) }));

function runOnce(file: string, rel: string): Timed {
  const started = performance.now();
  const load = loadLitmusFile(file, rel);
  if (load.kind !== "compiled") return { rel, ms: performance.now() - started, note: load.kind };
  const compiled: CompiledLitmus = load.compiled;
  try {
    const run = runLitmus(compiled, { memoryModel, deadline: started + limitMs });
    return { rel, ms: performance.now() - started, run };
  } catch (e) {
    return { rel, ms: performance.now() - started, note: e instanceof LitmusTimeout ? "timeout" : `failed: ${(e as Error).message}` };
  }
}

for (const t of tests) runOnce(t.file, t.rel); // warm-up

// The median of several passes for each test, so one GC pause does not decide.
const timed: Timed[] = tests.map((t) => {
  const samples = Array.from({ length: runs }, () => runOnce(t.file, t.rel)).sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(samples.length / 2)]!;
});

// --chains-only: no corpus, so nothing of it to print.
if (tests.length > 0) {
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const total = timed.reduce((s, t) => s + t.ms, 0);
  console.log(`pagerace litmus bench: node ${process.version}, model ${opts.model}, ${tests.length} tests, median of ${runs} after a warm-up\n`);
  console.log(`total ${seconds(total)} s\n`);

  const byTop = new Map<string, Timed[]>();
  const byFolder = new Map<string, Timed[]>();
  for (const t of timed) {
    const top = t.rel.split(path.sep)[0]!;
    byTop.set(top, [...(byTop.get(top) ?? []), t]);
    const folder = path.dirname(t.rel);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), t]);
  }
  console.log(`${"folder".padEnd(40)} ${"tests".padStart(5)} ${"pagerace s".padStart(10)} ${"herd7 s".padStart(8)}`);
  for (const [top, ts] of byTop) {
    const herd = HERD_SECONDS[top];
    const herdText = herd !== undefined && herd.tests === ts.length ? herd.seconds.toFixed(2) : "-";
    console.log(`${top.padEnd(40)} ${String(ts.length).padStart(5)} ${seconds(ts.reduce((s, t) => s + t.ms, 0)).padStart(10)} ${herdText.padStart(8)}`);
  }
  console.log("");
  for (const [folder, ts] of byFolder) console.log(`  ${folder.padEnd(38)} ${String(ts.length).padStart(5)} ${seconds(ts.reduce((s, t) => s + t.ms, 0)).padStart(10)}`);

  const slowest = [...timed].sort((a, b) => b.ms - a.ms).slice(0, Number(opts.slowest));
  console.log(`\nslowest ${slowest.length}:`);
  // counted: executions herd would count; ended: every execution that reached an end (counted or not).
  console.log(`  ${"ms".padStart(8)} ${"counted".padStart(8)} ${"ended".padStart(9)}  test`);
  for (const t of slowest) {
    const r = t.run;
    const counted = r === undefined ? "-" : String(r.holds + r.fails);
    const ended = r === undefined ? "-" : String(r.holds + r.fails + Object.values(r.uncounted).reduce((s, n) => s + n, 0));
    console.log(`  ${t.ms.toFixed(1).padStart(8)} ${counted.padStart(8)} ${ended.padStart(9)}  ${t.rel}${t.note ? ` (${t.note})` : ""}`);
  }
  const problems = timed.filter((t) => t.note !== undefined);
  if (problems.length > 0) console.log(`\n${problems.length} tests did not run: ${problems.map((t) => `${t.rel} (${t.note})`).join(", ")}`);
}

// Many processes and one lock: herd7 enumerates every coherence order of the
// lock's writes; the explorer only builds consistent graphs.
if (!opts["chains-only"]) console.log(`\nSB with N spinlocked processes (herd7 7.58: 12.3 s for N = 5):`);
if (!opts["chains-only"]) console.log(`  ${"N".padStart(3)} ${"ms".padStart(9)} ${"counted".padStart(8)}`);
for (const n of opts["chains-only"] ? [] : [3, 4, 5, 6]) {
  const compiled = compileLitmus(parseLitmus(lockedStoreBuffering(n), `SB+${n}-spinlocked.litmus`));
  runLitmus(compiled, { memoryModel }); // warm-up
  const started = performance.now();
  const r = runLitmus(compiled, { memoryModel });
  console.log(`  ${String(n).padStart(3)} ${(performance.now() - started).toFixed(1).padStart(9)} ${String(r.holds + r.fails).padStart(8)}`);
}

// Chains herd7 does not finish: their expected verdicts are LKMM's, so they
// run under LKMM only. One timed run each (the corpus above warmed the code
// up); a run past --limit-seconds is reported as a timeout, as herd7's are.
if (opts.model === "lkmm") {
  const [lo, hi] = opts.chains!.split("-").map(Number);
  const sizes = Array.from({ length: (hi ?? lo!) - lo! + 1 }, (_, i) => lo! + i);
  const handoff = opts["chain-handoff"] as Handoff;
  if (handoff !== "conditional" && handoff !== "always") throw new Error(`--chain-handoff: conditional or always, not '${handoff}'`);
  console.log(`\ngenerated chains, ${handoff} hand-off (herd7 7.58: no answer within 60 s at 9 processes or more):`);
  console.log(`  ${"procs".padStart(5)} ${"ms".padStart(9)} ${"counted".padStart(8)} ${"verdict".padEnd(9)} ${"expected".padEnd(9)} ${"strategy".padEnd(10)}    test`);
  let mismatches = 0;
  for (const chain of generatedChains(sizes, handoff)) {
    const started = performance.now();
    let line: string;
    try {
      const r = runLitmus(compileLitmus(parseLitmus(chain.text, `${chain.name}.litmus`)), { memoryModel, deadline: started + limitMs });
      const ms = performance.now() - started;
      const verdict = r.incomplete !== undefined ? "partial" : r.verdict.observation;
      const ok = verdict === chain.expected;
      if (!ok) mismatches++;
      line = `${ms.toFixed(1).padStart(9)} ${String(r.holds + r.fails).padStart(8)} ${verdict.padEnd(9)} ${chain.expected.padEnd(9)} ${r.strategy.padEnd(10)} ${ok ? "OK" : "!!"}`;
    } catch (e) {
      mismatches++;
      const note = e instanceof LitmusTimeout ? "timeout" : `failed: ${(e as Error).message}`;
      line = `${(performance.now() - started).toFixed(1).padStart(9)} ${"-".padStart(8)} ${note.padEnd(9)} ${chain.expected.padEnd(9)} ${"".padEnd(10)} !!`;
    }
    console.log(`  ${String(chain.processes).padStart(5)} ${line} ${chain.name}`);
  }
  console.log(mismatches === 0 ? "  every chain answered with its LKMM verdict" : `  ${mismatches} chains without their LKMM verdict`);
}

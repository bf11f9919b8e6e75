// The speed-up of `check --workers 2` (parallelExplore.ts) over one thread,
// on FT(4,7) and on a catalogue variant of the larger configurations: the
// median wall time of each over several runs, the CPU time all threads
// used (on a shared machine, CPU over wall says how much of the two cores
// the run got), and the counts, which must be the single run's.
//
// The pool's threads are started (and have loaded the model) before the
// timed runs: the figure is exploration, as a long check spends its time.

import { Worker } from "node:worker_threads";
import { explore } from "../src/index.ts";
import type { Model } from "../src/program/model.ts";
import { memoryModelNamed } from "../src/models/registry.ts";
import { SubtreePool } from "../src/explore/parallelExplore.ts";
import type { ModelSource } from "../src/cli/modelSource.ts";
import { loadModelSource } from "../src/cli/modelSource.ts";
import { median, pad } from "./figures.ts";

interface Case {
  readonly name: string;
  readonly source: ModelSource;
  readonly memoryModel: string;
}

const CASES = (quick: boolean): Case[] => [
  { name: quick ? "FT(4,6)" : "FT(4,7)", source: { kind: "module", module: new URL("../examples/faultTruncate.ts", import.meta.url).href, export: "faultTruncate", args: [4, quick ? 6 : 7, "fixed"] }, memoryModel: "sc" },
  { name: "s7-07b fixed-larger", source: { kind: "catalogue", scenario: "s7-07b", variant: "fixed-larger" }, memoryModel: "sc" },
];

/** Runs the cases; returns how many gave other counts with two workers than with one thread. */
export async function runParallelBench(quick: boolean): Promise<number> {
  const runs = quick ? 1 : 3;
  const workers = 2;
  // The workers load the sources through the command line's loader, run from the sources as this benchmark is.
  process.env.PAGERACE_FROM_SOURCE = "1";
  const pool = new SubtreePool(workers, (control) => new Worker(new URL("../bin/worker.mjs", import.meta.url), { workerData: { kind: "subtrees", control } }));
  console.log(`parallel exploration: ${workers} worker threads against one thread, ${runs} run(s) each, median wall time; CPU: all threads\n`);
  console.log(`${"model".padEnd(22)} ${pad("executions", 11)} ${pad("1 thread ms", 12)} ${pad("CPU ms", 9)} ${pad(`${workers} workers ms`, 13)} ${pad("CPU ms", 9)} ${pad("speed-up", 9)}`);
  let wrong = 0;
  for (const c of CASES(quick)) {
    const model: Model = await loadModelSource(c.source);
    const run = { memoryModel: c.memoryModel, stopOnViolation: false, keepViolations: 20 };
    const single: number[] = [];
    const singleCpu: number[] = [];
    const parallel: number[] = [];
    const parallelCpu: number[] = [];
    let expected = { executions: -1, blocked: -1 };
    let found = { executions: -2, blocked: -2 };
    // Warm-up: the workers load the model, both sides compile the explorer.
    await pool.explore(model, { run, source: c.source });
    for (let i = 0; i < runs; i++) {
      let cpu = process.cpuUsage();
      let t = performance.now();
      const s = explore(model, { memoryModel: memoryModelNamed(c.memoryModel), stopOnViolation: false });
      single.push(performance.now() - t);
      singleCpu.push(cpuMs(process.cpuUsage(cpu)));
      expected = { executions: s.executions, blocked: s.blocked };
      cpu = process.cpuUsage();
      t = performance.now();
      const p = await pool.explore(model, { run, source: c.source });
      parallel.push(performance.now() - t);
      parallelCpu.push(cpuMs(process.cpuUsage(cpu)));
      found = { executions: p.executions, blocked: p.blocked };
    }
    const same = found.executions === expected.executions && found.blocked === expected.blocked;
    if (!same) wrong++;
    const speedup = median(single) / median(parallel);
    console.log(
      `${c.name.padEnd(22)} ${pad(expected.executions, 11)} ${pad(median(single).toFixed(0), 12)} ${pad(median(singleCpu).toFixed(0), 9)} ${pad(median(parallel).toFixed(0), 13)} ${pad(median(parallelCpu).toFixed(0), 9)} ${pad(speedup.toFixed(2) + "x", 9)}${same ? "" : `  <-- ${workers} workers counted ${found.executions} executions, ${found.blocked} blocked`}`,
    );
  }
  await pool.close();
  return wrong;
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

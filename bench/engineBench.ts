// Exploration speed on the engine's own families with known execution
// counts. Prints, per family, the executions found (checked against the
// known count), blocked explorations, the median wall time over several runs
// and executions per second.

import { explore, sc, type MemoryModel, type Model } from "../src/index.ts";
import { tso } from "../src/models/tso.ts";
import { faultTruncate } from "../examples/faultTruncate.ts";
import { fetchAdders, readersWriter, sbRing } from "./families.ts";
import { median, pad } from "./figures.ts";

export interface Case {
  readonly name: string;
  readonly model: Model;
  /** Known number of complete executions. */
  readonly known: number;
  /** Where the known count comes from. */
  readonly source: string;
  /** SC unless given. */
  readonly memoryModel?: MemoryModel;
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/** Runs the engine families; returns how many found a count other than the known one. */
export function runEngineBench(quick: boolean): number {
  const cases: Case[] = [
    ...[5, 6, 7, ...(quick ? [] : [8])].map((n) => ({ name: `fetch-adders N=${n}`, model: fetchAdders(n), known: factorial(n), source: "N!" })),
    ...[3, 4, 5].map((n) => ({ name: `SB ring N=${n}`, model: sbRing(n), known: 2 ** n - 1, source: "2^N - 1" })),
    ...[3, 5, ...(quick ? [] : [7])].map((n) => ({ name: `readers-writer N=${n}`, model: readersWriter(n), known: 3 ** n, source: "3^N" })),
    { name: "FT(2,2)", model: faultTruncate(2, 2, "fixed"), known: 18, source: "pagerace oracle" },
    { name: "FT(4,4)", model: faultTruncate(4, 4, "fixed"), known: 648, source: "GenMC" },
    ...(quick ? [] : [{ name: "FT(4,6)", model: faultTruncate(4, 6, "fixed"), known: 19152, source: "GenMC" }]),
    // Under TSO FT has SC's executions (GenMC counts 648 for FT(4,4) under both): the only reads that follow a
    // thread's own plain stores are lock_page's locked RMWs, which drain the store buffer, so no read passes a store.
    ...ftUnderTso(quick),
  ];
  const runs = quick ? 3 : 5;

  console.log(`engine families: ${runs} runs each, median wall time\n`);
  console.log(`${"family".padEnd(22)} ${pad("known", 8)} ${pad("found", 8)} ${pad("blocked", 8)} ${pad("dup", 4)} ${pad("ms", 9)} ${pad("exec/s", 9)} ${pad("explor./s", 10)}`);
  let wrong = 0;
  for (const c of cases) {
    const run = () => explore(c.model, { memoryModel: c.memoryModel ?? sc });
    run(); // warm-up
    const times: number[] = [];
    let last = run();
    for (let i = 0; i < runs; i++) {
      last = run();
      times.push(last.elapsedMs);
    }
    const ms = median(times);
    const ok = last.executions === c.known && last.duplicates === 0;
    if (!ok) wrong++;
    console.log(
      `${c.name.padEnd(22)} ${pad(c.known, 8)} ${pad(last.executions, 8)} ${pad(last.blocked, 8)} ${pad(last.duplicates, 4)} ${pad(ms.toFixed(1), 9)} ${pad(Math.round((last.executions * 1000) / ms), 9)} ${pad(Math.round(((last.executions + last.blocked) * 1000) / ms), 10)}${ok ? "" : "  <-- count differs"}`,
    );
  }
  return wrong;
}

/** FT(4,4) and, unless quick, FT(4,6) under TSO: the same counts as under SC. */
export function ftUnderTso(quick: boolean): Case[] {
  return [
    { name: "FT(4,4) TSO", model: faultTruncate(4, 4, "fixed"), known: 648, source: "GenMC", memoryModel: tso },
    ...(quick ? [] : [{ name: "FT(4,6) TSO", model: faultTruncate(4, 6, "fixed"), known: 19152, source: "SC's count", memoryModel: tso }]),
  ];
}

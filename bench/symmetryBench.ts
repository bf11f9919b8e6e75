// Symmetry reduction on families whose threads are identical by
// construction: per family, the explorations (executions and blocked) and
// the CPU time of the optimal explorer with the reduction off and on. With
// it on the counts are of classes of executions; where the number of
// classes is known it is checked.

import { explore, type Model } from "../src/index.ts";
import { faultTruncate } from "../examples/faultTruncate.ts";
import { fetchAdders, readersWriter } from "./families.ts";
import { chaseLev } from "./genmc/chaseLev.ts";
import { median, pad } from "./figures.ts";

interface Case {
  readonly name: string;
  readonly model: Model;
  /** Known number of classes of complete executions, where there is a formula. */
  readonly classes?: number;
}

/** CPU milliseconds (user and system) of one run, and its result. */
function timed(model: Model, symmetry: boolean) {
  const before = process.cpuUsage();
  const r = explore(model, { symmetry, stopOnViolation: false });
  const used = process.cpuUsage(before);
  return { r, cpuMs: (used.user + used.system) / 1000 };
}

/** Runs the families; returns how many found a number of classes other than the known one. */
export function runSymmetryBench(quick: boolean): number {
  const cases: Case[] = [
    ...[6, 7, ...(quick ? [] : [8])].map((n) => ({ name: `fetch-adders N=${n}`, model: fetchAdders(n, { identical: true }), classes: 1 })),
    ...[5, 7].map((n) => ({ name: `readers-writer N=${n}`, model: readersWriter(n, { identical: true }), classes: ((n + 1) * (n + 2)) / 2 })),
    { name: "FT(2,4)", model: faultTruncate(2, 4, "fixed", true) },
    { name: "FT(3,6)", model: faultTruncate(3, 6, "fixed", true) },
    ...(quick ? [] : [{ name: "FT(4,6)", model: faultTruncate(4, 6, "fixed", true) }]),
    { name: "chase-lev(2)", model: chaseLev(2) },
  ];
  const runs = quick ? 1 : 3;
  console.log(`symmetry reduction: ${runs} run(s) each, median CPU time (user + system)\n`);
  console.log(`${"family".padEnd(22)} ${pad("execs off", 10)} ${pad("blocked", 8)} ${pad("ms off", 8)} ${pad("execs on", 9)} ${pad("blocked", 8)} ${pad("ms on", 8)} ${pad("CPU on/off", 10)}`);
  let wrong = 0;
  for (const c of cases) {
    const off = Array.from({ length: runs }, () => timed(c.model, false));
    const on = Array.from({ length: runs }, () => timed(c.model, true));
    const offMs = median(off.map((x) => x.cpuMs));
    const onMs = median(on.map((x) => x.cpuMs));
    const a = off[0]!.r;
    const b = on[0]!.r;
    const ok = (c.classes === undefined || b.executions === c.classes) && b.duplicates === 0 && b.symmetry?.reduced === true;
    if (!ok) wrong++;
    console.log(
      `${c.name.padEnd(22)} ${pad(a.executions, 10)} ${pad(a.blocked, 8)} ${pad(offMs.toFixed(0), 8)} ${pad(b.executions, 9)} ${pad(b.blocked, 8)} ${pad(onMs.toFixed(0), 8)} ${pad((onMs / offMs).toFixed(2), 10)}${ok ? "" : "  <-- count differs"}`,
    );
  }
  return wrong;
}

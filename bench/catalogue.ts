// The catalogue's cost, the larger configurations included: verified
// variants explored to completion, race variants up to their first
// counterexample (as the catalogue runs them; `--all` explores those to
// completion too), several runs, median wall time and median CPU time (the
// figure to compare on a shared machine). The figures quoted in
// issue notes come from here. Run: npm run bench:catalogue [-- --runs N] [--all] [id prefix...]

import { explore } from "../src/index.ts";
import { scenarios } from "../src/catalogue/index.ts";
import { selectVariants } from "../src/catalogue/runScenarios.ts";
import { memoryModelNamed } from "../src/models/registry.ts";
import { median, pad } from "./figures.ts";
import type { Model } from "../src/program/model.ts";
import { faultVsInvalidate } from "../src/catalogue/seed001/faultVsInvalidate.ts";
import { cowFaultVsTruncate } from "../src/catalogue/seed001/cowFaultVsTruncate.ts";
import { mapcountFullPath } from "../src/catalogue/seed000/mapcountFullPath.ts";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const filters = args.filter((a, i) => !a.startsWith("--") && (runsAt < 0 || i !== runsAt + 1));
const all = args.includes("--all");

console.log(`pagerace catalogue bench: node ${process.version}, ${runs} runs each, median wall and CPU time; ${all ? "every execution explored" : "races up to the first counterexample"}\n`);
console.log(`${"scenario variant".padEnd(40)} ${"size".padEnd(8)} ${"model".padEnd(5)} ${pad("executions", 10)} ${pad("blocked", 8)} ${pad("violating", 9)} ${pad("ms", 9)} ${pad("cpu ms", 9)} ${pad("exec/s", 8)}`);
for (const s of selectVariants(scenarios, { filters, larger: true })) {
  const memoryModel = memoryModelNamed(s.variant.memoryModel);
  const model = s.variant.build();
  const stopOnViolation = !all && s.variant.expect === "race";
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let last = explore(model, { memoryModel, stopOnViolation, keepViolations: 1 });
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    last = explore(model, { memoryModel, stopOnViolation, keepViolations: 1 });
    cpuTimes.push(cpuMs(process.cpuUsage(cpu)));
    times.push(last.elapsedMs);
  }
  const ms = median(times);
  const violating = last.violationCount;
  console.log(
    `${`${s.scenario.id} ${s.variant.name}`.padEnd(40)} ${s.variant.size.padEnd(8)} ${s.variant.memoryModel.padEnd(5)} ${pad(last.executions, 10)} ${pad(last.blocked, 8)} ${pad(violating, 9)} ${pad(ms.toFixed(1), 9)} ${pad(median(cpuTimes).toFixed(1), 9)} ${pad(Math.round((last.executions * 1000) / Math.max(ms, 1e-3)), 8)}`,
  );
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

// Whole mm paths under LKMM in configurations larger than the catalogue's:
// more pages and more faults on the paths of the 000-B2 and 001-B1 whole-path
// variants. Each is explored once (they take tens of seconds), to completion
// or to a two-minute limit, which the line then reports as bounded.
const LKMM_LIMIT_MS = 120_000;
const lkmmLarger: readonly { readonly name: string; readonly build: () => Model }[] = [
  {
    name: "fixed fault vs truncate(1), 2 pages, 2 faults",
    build: () => faultVsInvalidate("fault vs truncate, 2 faults", { fault: "2.6.23", removers: ["truncate"], pages: 2, faults: [{ vma: 0, index: 0 }, { vma: 0, index: 1 }], truncateTo: 1 }, "verified"),
  },
  { name: "do_wp_page vs truncate(0), 2 pages", build: () => cowFaultVsTruncate("do_wp_page, 2 pages", { path: "do_wp_page", pages: 2 }, "verified") },
  {
    name: "000-B2 fixed map_pages vs truncate, 2 pages",
    build: () => mapcountFullPath("000-B2 fixed, 2 pages", { fault: { increment: "atomic_inc+mb", rmbBeforeRecheck: true, recheck: "after-inc" }, trunc: { mbAfterLock: true }, pages: 2 }, "verified"),
  },
];
if (filters.length === 0 || filters.some((f) => "lkmm".startsWith(f))) {
  console.log(`\nWhole paths under LKMM, larger configurations (one run each, limit ${LKMM_LIMIT_MS / 1000} s)\n`);
  console.log(`${"configuration".padEnd(48)} ${pad("executions", 10)} ${pad("blocked", 8)} ${pad("violating", 9)} ${pad("ms", 9)} ${pad("cpu ms", 9)} ${pad("exec/s", 8)}  verdict`);
  for (const c of lkmmLarger) {
    const cpu = process.cpuUsage();
    const r = explore(c.build(), { memoryModel: memoryModelNamed("lkmm"), stopOnViolation: false, keepViolations: 1, timeLimitMs: LKMM_LIMIT_MS });
    const cpuUsed = cpuMs(process.cpuUsage(cpu));
    const verdict = r.violationCount > 0 ? "RACE" : r.exhaustive ? "verified" : `bounded (${r.bounded ?? r.incomplete})`;
    console.log(
      `${c.name.padEnd(48)} ${pad(r.executions, 10)} ${pad(r.blocked, 8)} ${pad(r.violationCount, 9)} ${pad(r.elapsedMs.toFixed(1), 9)} ${pad(cpuUsed.toFixed(1), 9)} ${pad(Math.round((r.executions * 1000) / Math.max(r.elapsedMs, 1e-3)), 8)}  ${verdict}`,
    );
  }
}

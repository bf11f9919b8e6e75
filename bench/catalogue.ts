// The catalogue's cost, the larger configurations included: verified
// variants explored to completion, race variants up to their first
// counterexample (as the catalogue runs them; `--all` explores those to
// completion too), several runs, median wall time. The figures quoted in
// issue notes come from here. Run: npm run bench:catalogue [-- --runs N] [--all] [id prefix...]

import { explore } from "../src/index.ts";
import { scenarios } from "../src/catalogue/index.ts";
import { selectVariants } from "../src/catalogue/runScenarios.ts";
import { memoryModelNamed } from "../src/models/registry.ts";
import { median, pad } from "./figures.ts";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const filters = args.filter((a, i) => !a.startsWith("--") && (runsAt < 0 || i !== runsAt + 1));
const all = args.includes("--all");

console.log(`pagerace catalogue bench: node ${process.version}, ${runs} runs each, median wall time; ${all ? "every execution explored" : "races up to the first counterexample"}\n`);
console.log(`${"scenario variant".padEnd(40)} ${"size".padEnd(8)} ${"model".padEnd(5)} ${pad("executions", 10)} ${pad("blocked", 8)} ${pad("violating", 9)} ${pad("ms", 9)} ${pad("exec/s", 8)}`);
for (const s of selectVariants(scenarios, { filters, larger: true })) {
  const memoryModel = memoryModelNamed(s.variant.memoryModel);
  const model = s.variant.build();
  const stopOnViolation = !all && s.variant.expect === "race";
  const times: number[] = [];
  let last = explore(model, { memoryModel, stopOnViolation, keepViolations: 1 });
  for (let i = 0; i < runs; i++) {
    last = explore(model, { memoryModel, stopOnViolation, keepViolations: 1 });
    times.push(last.elapsedMs);
  }
  const ms = median(times);
  const violating = last.violationCount;
  console.log(
    `${`${s.scenario.id} ${s.variant.name}`.padEnd(40)} ${s.variant.size.padEnd(8)} ${s.variant.memoryModel.padEnd(5)} ${pad(last.executions, 10)} ${pad(last.blocked, 8)} ${pad(violating, 9)} ${pad(ms.toFixed(1), 9)} ${pad(Math.round((last.executions * 1000) / Math.max(ms, 1e-3)), 8)}`,
  );
}

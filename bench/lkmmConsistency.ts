// What the LKMM consistency check costs the explorer: the graphs the
// default strategy asks lkmm about while exploring some litmus tests are
// recorded (copies, as the explorer changes its graph in place), then
// judged again in the same order and timed on their own, in CPU time, from
// empty caches (what lkmm keeps per program shape, and its verdicts). With
// --reference the verdicts are also compared with the reference
// evaluation's.
//
//   node --import tsx bench/lkmmConsistency.ts [--reference] [--samples N] [--repeat K] [test.litmus ...]

import { readFileSync } from "node:fs";
import { compileLitmus, parseLitmus } from "../src/litmus/index.ts";
import { runLitmus } from "../src/litmus/run/runLitmus.ts";
import { lkmm, lkmmReference } from "../src/models/lkmm/index.ts";
import { forgetShapes } from "../src/models/lkmm/programShape.ts";
import type { ExecutionGraph } from "../src/graph/executionGraph.ts";
import type { MemoryModel } from "../src/models/memoryModel.ts";

const args = process.argv.slice(2);
const reference = args.includes("--reference");
const samplesAt = args.indexOf("--samples");
const samples = samplesAt >= 0 ? Number(args[samplesAt + 1]) : 20000;
const repeatAt = args.indexOf("--repeat");
const repeat = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 1;
const files = args.filter((a, i) => !a.startsWith("--") && i !== samplesAt + 1 && (repeatAt < 0 || i !== repeatAt + 1));
const corpus = "/tmp/corpus/perfbook";
const tests =
  files.length > 0
    ? files
    : [`${corpus}/C-SB+l-o-o-u+l-o-o-u+l-o-o-u+l-o-o-u-CE.litmus`, `${corpus}/C-SB+l-o-o-u+l-o-o-u+l-o-o-u-X.litmus`];

/** Ends a run once enough graphs are recorded. */
class EnoughGraphs extends Error {}

/** The graphs lkmm is asked about while the default strategy explores `file`, at most `limit` of them. */
function recordedGraphs(file: string, limit: number): ExecutionGraph[] {
  const graphs: ExecutionGraph[] = [];
  const recording: MemoryModel = {
    ...lkmm,
    isConsistent(g) {
      if (graphs.length === limit) throw new EnoughGraphs();
      graphs.push(g.clone());
      return lkmm.isConsistent(g);
    },
  };
  const program = compileLitmus(parseLitmus(readFileSync(file, "utf8"), file));
  try {
    runLitmus(program, { memoryModel: recording });
  } catch (e) {
    if (!(e instanceof EnoughGraphs)) throw e;
  }
  return graphs;
}

function cpuMs<T>(f: () => T): [T, number] {
  const start = process.cpuUsage();
  const result = f();
  const used = process.cpuUsage(start);
  return [result, (used.user + used.system) / 1000];
}

let disagreements = 0;
for (const file of tests) {
  const graphs = recordedGraphs(file, samples);
  const name = file.split("/").pop();
  // One warm-up pass, then the timed one.
  for (const g of graphs) lkmm.isConsistent(g);
  const [consistent, ms] = cpuMs(() => {
    let count = 0;
    for (let k = 0; k < repeat; k++) {
      forgetShapes();
      count = graphs.filter((g) => lkmm.isConsistent(g)).length;
    }
    return count;
  });
  const each = (1000 * ms) / (graphs.length * repeat);
  console.log(`${name}: ${graphs.length} graphs, ${consistent} consistent, ${ms.toFixed(0)} ms CPU for ${repeat} pass(es) (${each.toFixed(1)} µs a graph)`);
  if (reference) {
    for (const g of graphs) {
      if (lkmm.isConsistent(g) !== lkmmReference.isConsistent(g)) disagreements++;
      if (g.holes === 0 && lkmm.violatedAxiom(g) !== lkmmReference.violatedAxiom(g)) disagreements++;
    }
    console.log(`  against the reference evaluation: ${disagreements} disagreements`);
  }
}
process.exit(disagreements === 0 ? 0 : 1);

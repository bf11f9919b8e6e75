// Memory over a long run: an exploration of at least 50 million executions,
// every one of them violating (as `check --all` meets a model that is always
// wrong), sampling the process's RSS and heap at 1M, 2M, 5M, 10M, 20M and
// 50M executions. The optimal explorer's memory is linear in the graph, not
// in the number of executions: duplicate counting past its capacity and
// violations past the kept ones must not grow it either. The figure that
// matters is the growth from 1M to the last sample; the goal is flat (10%).
//
//   npm run bench:memory [-- --max-executions N] [-- --readers R]
//
// Run with `node --expose-gc` (the script does) so each sample follows a full GC.

import { model, type Model } from "../src/index.ts";
import { explore } from "../src/explore/explore.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const maxExecutions = option("max-executions", 50_000_000);
const readers = option("readers", 17);

/** R readers and a writer of two locations (3^R executions), with a check that every execution breaks. */
function alwaysWrong(r: number): Model {
  return model(`${r} readers, 1 writer, always wrong`, (m) => {
    const x = m.location("x");
    const y = m.location("y");
    m.thread("W", function* (t) {
      yield* t.write(x, 1);
      yield* t.write(y, 1);
    });
    for (let i = 0; i < r; i++)
      m.thread(`R${i}`, function* (t) {
        const a = yield* t.read(y);
        return { a, b: yield* t.read(x) };
      });
    m.forall("never holds", () => false);
  });
}

const gc = (globalThis as { gc?: () => void }).gc;
const milestones = [1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8].filter((n) => n <= maxExecutions);
if (!milestones.includes(maxExecutions)) milestones.push(maxExecutions);
interface Sample {
  readonly executions: number;
  readonly seconds: number;
  readonly rssMb: number;
  readonly heapMb: number;
  /** Memory outside the JS heap that the run's typed arrays hold (the duplicate counter's table). */
  readonly arrayBuffersMb: number;
}
const samples: Sample[] = [];
const started = performance.now();
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

function sample(executions: number): void {
  gc?.();
  const m = process.memoryUsage();
  const s = { executions, seconds: Math.round((performance.now() - started) / 100) / 10, rssMb: mb(m.rss), heapMb: mb(m.heapUsed), arrayBuffersMb: mb(m.arrayBuffers) };
  samples.push(s);
  console.log(`${s.executions.toLocaleString("en-US").padStart(12)} executions  ${String(s.seconds).padStart(7)} s  rss ${String(s.rssMb).padStart(7)} MB  heap ${String(s.heapMb).padStart(7)} MB  array buffers ${String(s.arrayBuffersMb).padStart(5)} MB`);
}

console.log(`pagerace bench:memory: node ${process.version}, ${readers} readers and a writer, every execution violating, --all, up to ${maxExecutions.toLocaleString("en-US")} executions${gc ? "" : " (no --expose-gc: samples without a GC first)"}`);
let next = 0;
let executions = 0;
const r = explore(alwaysWrong(readers), {
  stopOnViolation: false,
  maxExecutions,
  // Sampled inside the run, with everything the run keeps still alive (after it, the recorder is garbage).
  onExecution: () => {
    if (++executions === milestones[next]) sample(milestones[next++]!);
  },
});

console.log(
  `\n${(r.executions + r.blocked).toLocaleString("en-US")} explorations (${r.bounded ?? "all"}), ${r.violationCount.toLocaleString("en-US")} violations, ` +
    `${r.violations.length} kept; duplicates ${r.duplicates} (${r.duplicateSampling === 1 ? "exact" : `one execution in ${r.duplicateSampling} checked`})`,
);
const first = samples[0];
const last = samples[samples.length - 1];
if (first !== undefined && last !== undefined && last !== first) {
  const growth = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)}%`;
  const perMillion = (((last.rssMb - first.rssMb) / (last.executions - first.executions)) * 1e6).toFixed(2);
  console.log(
    `growth from ${first.executions.toLocaleString("en-US")} to ${last.executions.toLocaleString("en-US")} executions: ` +
      `rss ${growth(first.rssMb, last.rssMb)} (${perMillion} MB per million), heap ${growth(first.heapMb, last.heapMb)}, array buffers ${growth(first.arrayBuffersMb, last.arrayBuffersMb)}`,
  );
}

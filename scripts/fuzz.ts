// `npm run fuzz -- --count N --seed S`: pagerace's litmus front end against
// hostile input. Inputs are corpus tests (the shared corpus, when present)
// and grammar-generated tests, mutated as a careless or hostile user would
// (test/litmus/fuzz/litmusMutations.ts). Two parts:
//
//   in-process  N inputs parsed, compiled and briefly explored in a worker
//               thread; an input that gives no answer within --hang-seconds
//               is a hang: the worker is stopped and a new one goes on after it.
//   CLI sample  --cli inputs (default 300) written to files and run through
//               `node bin/pagerace.mjs litmus --json --timeout ...` in batches,
//               each answer compared with the in-process one; the rejected
//               ones again without --timeout (the main-thread path), which
//               must give the same messages.
//
// Prints the counts; exits 1 if any input was rejected without a location,
// crashed, hung, printed non-printing characters or got different answers
// on different paths. Options: --count N (100000), --seed S (1), --cli N
// (300), --hang-seconds S (30), --exploration-ms MS (100). An accepted test
// whose exploration outlasts the hang limit is stopped and counted apart:
// exploring is exponential, and the CLI bounds it with --timeout.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { fuzzInput } from "../test/litmus/fuzz/fuzzInput.ts";
import { FuzzTally } from "../test/litmus/fuzz/fuzzTally.ts";
import { judgeLitmusInput } from "../test/litmus/fuzz/judgeLitmusInput.ts";
import { loadLitmusCorpus } from "../test/litmus/fuzz/litmusCorpus.ts";
import type { FuzzWorkerData, FuzzWorkerMessage } from "../test/litmus/fuzz/fuzzWorker.ts";
import { EXPLORING } from "../test/litmus/fuzz/fuzzPhase.ts";
import { isTerminalSafe } from "../src/report/terminalText.ts";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    cli: { type: "string", default: "300" },
    "hang-seconds": { type: "string", default: "30" },
    "exploration-ms": { type: "string", default: "100" },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
const cliCount = Number(values.cli);
const hangSeconds = Number(values["hang-seconds"]);
const explorationMs = Number(values["exploration-ms"]);

const corpus = loadLitmusCorpus();
console.log(
  corpus.texts.length > 0
    ? `corpus: ${corpus.folder}, ${corpus.texts.length} tests (half the inputs start from one)`
    : `corpus: none at ${corpus.folder}: grammar-generated inputs only`,
);
console.log(`seed ${seed}, ${count} inputs in-process, ${cliCount} through the CLI\n`);

/** A worker does not inherit tsx's loader: it registers it, then loads the TypeScript worker. */
const WORKER_BOOT = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(new URL("../test/litmus/fuzz/fuzzWorker.ts", import.meta.url).href)}); });`;

interface Stuck {
  readonly index: number;
  readonly exploring: boolean;
}

/** Judges inputs [from, count) in a worker; resolves with the input it was stuck on, or undefined when all are done. */
function judgeInWorker(from: number, tally: FuzzTally): Promise<Stuck | undefined> {
  const progress = new SharedArrayBuffer(8);
  const shared = new Int32Array(progress);
  Atomics.store(shared, 0, from);
  const data: FuzzWorkerData = { seed, from, to: count, explorationMs, progress };
  const worker = new Worker(WORKER_BOOT, { eval: true, workerData: data });
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let current = from;
    let since = Date.now();
    // Stopping a hung worker fires "exit" too: that exit is not the end of the inputs.
    let hung = false;
    const timer = setInterval(() => {
      const now = Atomics.load(shared, 0);
      if (now !== current) {
        current = now;
        since = Date.now();
      } else if (Date.now() - since > hangSeconds * 1000) {
        clearInterval(timer);
        hung = true;
        const exploring = Atomics.load(shared, 1) === EXPLORING;
        void worker.terminate().then(() => resolve({ index: current, exploring }));
      }
    }, 250);
    worker.on("message", (m: FuzzWorkerMessage) => {
      tally.add(m.index, m.outcome);
      // The worker may finish an input just after the index moved: reset the clock on every answer.
      since = Date.now();
      if (tally.inputs % 10000 === 0) process.stderr.write(`  ${tally.inputs} inputs (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    });
    worker.on("error", (e) => {
      clearInterval(timer);
      reject(e);
    });
    worker.on("exit", () => {
      clearInterval(timer);
      if (!hung) resolve(undefined);
    });
  });
}

async function inProcess(): Promise<FuzzTally> {
  const tally = new FuzzTally();
  let from = 0;
  for (;;) {
    const stuck = await judgeInWorker(from, tally);
    if (stuck === undefined) return tally;
    if (stuck.exploring) tally.addSlowExploration(stuck.index, hangSeconds);
    else tally.addHang(stuck.index, hangSeconds);
    from = stuck.index + 1;
    if (from >= count) return tally;
  }
}

interface CliTally {
  files: number;
  accepted: number;
  rejectedLocated: number;
  rejectedUnlocated: number;
  crashes: number;
  hangs: number;
  /** Answers that differ between the in-process judge, the CLI's worker path and its main-thread path. */
  mismatches: number;
  unsafeOutput: number;
  readonly examples: string[];
}

const BATCH = 50;
const NODE = process.execPath;
const BIN = new URL("../bin/pagerace.mjs", import.meta.url).pathname;

interface LitmusJsonResult {
  readonly file: string;
  readonly status: string;
  readonly message?: string;
  readonly line?: number;
  readonly column?: number;
}

function cliSample(): CliTally {
  const t: CliTally = { files: 0, accepted: 0, rejectedLocated: 0, rejectedUnlocated: 0, crashes: 0, hangs: 0, mismatches: 0, unsafeOutput: 0, examples: [] };
  const note = (text: string): void => void (t.examples.length < 20 && t.examples.push(text));
  const dir = mkdtempSync(join(tmpdir(), "pagerace-fuzz-"));
  try {
    // A stream of inputs of its own, so the sample is not the first inputs of the in-process run again.
    const cliSeed = (seed ^ 0x5eed) >>> 0;
    const files: { path: string; expected: string | undefined }[] = [];
    for (let i = 0; i < cliCount; i++) {
      const path = join(dir, `fuzz-${i}.litmus`);
      writeFileSync(path, fuzzInput(cliSeed, i, corpus.texts).text);
      // Judged as the CLI reads it: UTF-8 turns a lone surrogate into U+FFFD.
      const text = readFileSync(path, "utf8");
      const judged = judgeLitmusInput(text, path, { explorationMs: 1 });
      files.push({ path, expected: judged.verdict === "accepted" ? undefined : judged.detail });
    }
    for (let b = 0; b < files.length; b += BATCH) {
      const batch = files.slice(b, b + BATCH);
      const run = spawnSync(NODE, [BIN, "litmus", "--json", "--timeout", "10", "-q", ...batch.map((f) => f.path)], { encoding: "utf8", timeout: 900_000, maxBuffer: 1 << 28 });
      t.files += batch.length;
      if (run.error !== undefined || run.status === null) {
        t.hangs += batch.length;
        note(`batch ${b / BATCH}: ${run.error?.message ?? `killed by ${run.signal}`}`);
        continue;
      }
      if (!run.stderr.split("\n").every(isTerminalSafe)) {
        t.unsafeOutput++;
        note(`batch ${b / BATCH}: stderr has non-printing characters`);
      }
      let results: LitmusJsonResult[];
      try {
        results = (JSON.parse(run.stdout) as { results: LitmusJsonResult[] }).results;
      } catch {
        t.crashes += batch.length;
        note(`batch ${b / BATCH}: exit ${run.status}, stdout is not JSON: ${run.stderr.slice(0, 200)}`);
        continue;
      }
      if (![0, 2, 3].includes(run.status) || results.length !== batch.length) {
        t.crashes++;
        note(`batch ${b / BATCH}: exit ${run.status}, ${results.length} results for ${batch.length} files`);
      }
      results.forEach((r, k) => {
        const f = batch[k]!;
        if (r.status === "failed") {
          t.crashes++;
          note(`${r.file}: failed: ${r.message?.slice(0, 200)}`);
        } else if (r.status === "malformed" || r.status === "unsupported") {
          if (r.line === undefined || r.column === undefined || !r.message?.startsWith(`${r.file}:${r.line}:${r.column}: `)) {
            t.rejectedUnlocated++;
            note(`${r.file}: rejected without location: ${r.message?.slice(0, 200)}`);
          } else t.rejectedLocated++;
          if (r.message !== f.expected) {
            t.mismatches++;
            note(`${r.file}: CLI says ${JSON.stringify(r.message?.slice(0, 120))}, in-process ${JSON.stringify(f.expected?.slice(0, 120) ?? "accepted")}`);
          }
        } else {
          t.accepted++;
          if (f.expected !== undefined) {
            t.mismatches++;
            note(`${r.file}: CLI ran it (${r.status}), in-process rejected it: ${f.expected.slice(0, 120)}`);
          }
        }
      });
    }
    // The main-thread path (no --timeout) on the rejected files: no exploration, so no time limit is needed.
    const rejected = files.filter((f) => f.expected !== undefined);
    for (let b = 0; b < rejected.length; b += BATCH) {
      const batch = rejected.slice(b, b + BATCH);
      const run = spawnSync(NODE, [BIN, "litmus", "-q", ...batch.map((f) => f.path)], { encoding: "utf8", timeout: 300_000, maxBuffer: 1 << 28 });
      if (run.status !== 2) {
        t.mismatches++;
        note(`main-thread batch ${b / BATCH}: exit ${run.status} (expected 2)`);
        continue;
      }
      const lines = new Set(run.stderr.split("\n"));
      for (const f of batch) {
        if (!lines.has(f.expected!)) {
          t.mismatches++;
          note(`${f.path}: main-thread CLI does not print ${JSON.stringify(f.expected!.slice(0, 120))}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return t;
}

const started = Date.now();
const tally = await inProcess();
console.log(`in-process (${((Date.now() - started) / 1000).toFixed(0)} s, exploration budget ${explorationMs} ms, hang limit ${hangSeconds} s)`);
for (const line of tally.lines()) console.log(`  ${line}`);
for (const e of tally.examples) console.log(`    ${e}`);

const cliStarted = Date.now();
const cli = cliSample();
console.log(`\nCLI sample: node bin/pagerace.mjs litmus --json --timeout 10, batches of ${BATCH} (${((Date.now() - cliStarted) / 1000).toFixed(0)} s)`);
console.log(`  files                        ${cli.files}`);
console.log(`  accepted                     ${cli.accepted}`);
console.log(`  rejected with location       ${cli.rejectedLocated}`);
console.log(`  rejected without location    ${cli.rejectedUnlocated}`);
console.log(`  crashes                      ${cli.crashes}`);
console.log(`  hangs                        ${cli.hangs}`);
console.log(`  unsafe output                ${cli.unsafeOutput}`);
console.log(`  answers differing by path    ${cli.mismatches}`);
for (const e of cli.examples) console.log(`    ${e}`);

const failures = tally.failures + cli.rejectedUnlocated + cli.crashes + cli.hangs + cli.unsafeOutput + cli.mismatches;
console.log(failures === 0 ? "\nno failures" : `\n${failures} failures`);
process.exitCode = failures === 0 ? 0 : 1;

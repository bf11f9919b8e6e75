// How many jobs a distributed run's Redis sustains (check --redis, src/distributed/),
// and from it how many workers an FT-family run could keep busy before the
// coordination becomes the bottleneck.
//
// 1. Tiny subtrees: a tree of jobs that do no exploring (each commits a
//    one-execution tally and two children, down to a fixed depth), through
//    the real job processing (the stop and done checks, the accounting
//    script, enqueueing the children, BullMQ's fetch and completion), by
//    several BullMQ workers in this process. The end-to-end jobs/s is what
//    this machine's cores give clients and server together; Redis's own CPU
//    time per job is what bounds many machines' clients, since one Redis
//    runs its commands on one core.
// 2. A real run: FT(4,7) by `check --redis` with two `pagerace worker`
//    processes at the default job time slice: the jobs it takes per second
//    of a worker's CPU.
//
// The projection: Redis saturates at 1 / (its CPU per job) jobs/s; a worker
// asks for (jobs per worker CPU second) jobs/s; their ratio is the number of
// workers at which Redis is fully busy.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, Worker, type Job } from "bullmq";
import { emptyTally } from "../src/explore/explorationTally.ts";
import { processSubtreeJob } from "../src/distributed/jobProcessing.ts";
import { connectionOptions, jobOptions } from "../src/distributed/redisConnection.ts";
import { rootJobId, runKeys, type SubtreeJob } from "../src/distributed/subtreeJob.ts";
import { redisMissing, startRedis, type PrivateRedis } from "../test/parallel/privateRedis.ts";

const QUEUE = "pagerace-bench-tiny";

/** Redis's CPU time so far (ms), from INFO. */
async function redisCpuMs(info: () => Promise<string>): Promise<number> {
  const text = await info();
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, "m").exec(text)?.[1] ?? 0);
  return (field("used_cpu_user") + field("used_cpu_sys")) * 1000;
}

interface TinyFigures {
  readonly jobs: number;
  readonly wallMs: number;
  readonly clientCpuMs: number;
  readonly redisCpuMs: number;
}

/** A binary tree of 2^(depth+1)-1 jobs that explore nothing, through `workers` BullMQ workers of `concurrency` each. */
async function tinyJobs(redis: PrivateRedis, depth: number, workers: number, concurrency: number): Promise<TinyFigures> {
  const connection = connectionOptions(redis.url);
  const queue = new Queue(QUEUE, { connection });
  const client = await queue.client;
  const run = `tiny-${depth}-${Date.now()}`;
  const keys = runKeys(run);
  const one = emptyTally(0, false);
  const tally = { ...one, counts: { ...one.counts, complete: 1 } };
  const pool = Array.from(
    { length: workers },
    () =>
      new Worker(
        QUEUE,
        async (job: Job<SubtreeJob>) => {
          await processSubtreeJob(job.id!, job.data, {
            redis: client,
            enqueue: async (jobs) => {
              if (jobs.length > 0) await queue.addBulk(jobs.map((j) => ({ name: "subtree", data: j.data, opts: { ...jobOptions, jobId: j.id } })));
            },
            explore: async (d) => {
              const p = d.subtrees[0]!.prefix;
              const children = p.length < depth ? [0, 1].map((c) => [{ prefix: [...p, c], from: 0, to: null }]) : [];
              return { tally, children, halted: children.length > 0 ? ("yielded" as const) : null, stoppedAtViolation: false, bounded: null };
            },
          });
        },
        { connection, concurrency, drainDelay: 1 },
      ),
  );
  await Promise.all(pool.map((w) => w.waitUntilReady()));
  const info = () => client.info();
  const redisBefore = await redisCpuMs(info);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await client.set(keys.alive, 1);
  await client.set(keys.open, 1);
  const root: SubtreeJob = {
    run,
    version: "bench",
    model: { file: "-", name: "-", index: 0, hash: "-" },
    options: { memoryModel: "sc", stopOnViolation: false, keepViolations: 20 },
    sliceMs: 0,
    subtrees: [{ prefix: [], from: 0, to: null }],
  };
  await queue.add("subtree", root, { ...jobOptions, jobId: rootJobId(run) });
  while ((await client.get(keys.open)) !== "0") await new Promise((r) => setTimeout(r, 20));
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const figures = { jobs: Number((await client.hgetall(keys.totals)).complete), wallMs, clientCpuMs: (used.user + used.system) / 1000, redisCpuMs: (await redisCpuMs(info)) - redisBefore };
  await Promise.all(pool.map((w) => w.close()));
  await queue.close();
  return figures;
}

/** utime + stime of a process and its threads (ms), from /proc. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface RealFigures {
  readonly executions: number;
  readonly jobs: number;
  readonly workerCpuMs: number;
  readonly wallMs: number;
}

/** FT(pages, faulters) by `check --redis` and `workers` worker processes, from the sources. */
async function realRun(redis: PrivateRedis, pages: number, faulters: number, workers: number): Promise<RealFigures> {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-bench-redis-"));
  const file = join(dir, `ft${pages}${faulters}.ts`);
  writeFileSync(file, `import { faultTruncate } from ${JSON.stringify(new URL("../examples/faultTruncate.ts", import.meta.url).pathname)};\nexport default faultTruncate(${pages}, ${faulters}, "fixed");\n`);
  const env = { ...process.env, PAGERACE_FROM_SOURCE: "1" };
  const bin = new URL("../bin/pagerace.mjs", import.meta.url).pathname;
  const queue = new Queue("pagerace-subtrees", { connection: connectionOptions(redis.url) });
  const client = await queue.client;
  // Only this run's jobs are counted below.
  await client.runCommand("flushdb", []);
  const pool = Array.from({ length: workers }, () => spawn(process.execPath, [bin, "worker", "--redis", redis.url, "--quiet"], { env, stdio: "ignore" }));
  try {
    const started = performance.now();
    const check = spawn(process.execPath, [bin, "check", file, "--redis", redis.url, "--json", "--quiet"], { env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    check.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    await new Promise((r) => check.on("exit", r));
    const wallMs = performance.now() - started;
    const workerCpuMs = pool.reduce((sum, w) => sum + processCpuMs(w.pid!), 0);
    const executions = (JSON.parse(out) as { results: { executions: number }[] }).results[0]!.executions;
    let jobs = 0;
    let cursor = "0";
    do {
      const [next, found] = await client.scan(cursor, { MATCH: "pagerace:*:done", COUNT: 100 });
      cursor = next;
      // HLEN through the client's command dispatch (not among BullMQ's typed commands).
      for (const k of found) jobs += Number(await client.runCommand("hlen", [k]));
    } while (cursor !== "0");
    return { executions, jobs, workerCpuMs, wallMs };
  } finally {
    await queue.close();
    for (const w of pool) w.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRedisBench(quick: boolean): Promise<number> {
  const missing = redisMissing();
  if (missing !== undefined) {
    console.log(`redis: skipped: ${missing}`);
    return 0;
  }
  const redis = await startRedis();
  try {
    const depth = quick ? 9 : 12;
    const tiny = await tinyJobs(redis, depth, 4, 8);
    const expectedJobs = 2 ** (depth + 1) - 1;
    const redisMsPerJob = tiny.redisCpuMs / tiny.jobs;
    const capacity = 1000 / redisMsPerJob;
    console.log(`redis coordination: ${tiny.jobs} tiny jobs (no exploring; 4 BullMQ workers x 8 in one process)`);
    console.log(`  end to end: ${((tiny.jobs * 1000) / tiny.wallMs).toFixed(0)} jobs/s (wall ${tiny.wallMs.toFixed(0)} ms; client CPU ${tiny.clientCpuMs.toFixed(0)} ms, ${(tiny.clientCpuMs / tiny.jobs).toFixed(2)} ms/job)`);
    console.log(`  redis-server CPU: ${tiny.redisCpuMs.toFixed(0)} ms, ${redisMsPerJob.toFixed(3)} ms/job: one Redis core saturates at ~${capacity.toFixed(0)} jobs/s`);
    const [pages, faulters] = quick ? [4, 6] : [4, 7];
    const real = await realRun(redis, pages, faulters, 2);
    const jobsPerWorkerSecond = (real.jobs * 1000) / real.workerCpuMs;
    console.log(`FT(${pages},${faulters}) by check --redis and 2 worker processes (job slice 2 s): ${real.executions} executions, ${real.jobs} jobs, worker CPU ${real.workerCpuMs.toFixed(0)} ms (wall ${real.wallMs.toFixed(0)} ms)`);
    console.log(`  ${jobsPerWorkerSecond.toFixed(2)} jobs per worker CPU second; 100 workers ask ~${(100 * jobsPerWorkerSecond).toFixed(0)} jobs/s, ${((100 * jobsPerWorkerSecond * 100) / capacity).toFixed(1)}% of Redis's capacity; Redis is saturated at ~${(capacity / jobsPerWorkerSecond).toFixed(0)} workers`);
    return tiny.jobs === expectedJobs ? 0 : 1;
  } finally {
    await redis.stop();
  }
}

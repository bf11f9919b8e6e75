// `check --redis URL` with `pagerace worker --redis URL` processes: a
// private redis-server, a coordinator and three workers; one worker is
// killed with SIGKILL while it explores a job, its job goes to another
// worker once its lock lapses (BullMQ's stalled-job recovery), and the
// result is the single-process result (the same counts, violations and
// verdict: the whole JSON document but its times). A worker given another
// model file refuses, and the run goes on with the others; a worker's
// watchdog stops thread code that never returns to the engine; a run whose
// coordinator died is abandoned once its lease lapses. Without the
// optional bullmq package, the commands say what to install.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pagerace } from "../cli/pagerace.ts";
import { redisMissing, startRedis, type PrivateRedis } from "./privateRedis.ts";

/** FT(4,7): long enough (121,296 executions) that a worker finishes jobs and is part-way into another while the run goes on. */
const FT47 = "test/parallel/fixtures/faultTruncate47.ts";
const FT_PAIR = "test/parallel/fixtures/faultTruncates.ts";
const skip = redisMissing();

function env(): NodeJS.ProcessEnv {
  const { PAGERACE_FROM_SOURCE: _, ...rest } = process.env;
  return rest;
}

interface Running {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[]): Running {
  const child = spawn(process.execPath, ["bin/pagerace.mjs", ...args], { env: env() });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, out: () => out, err: () => err, ended };
}

function startWorker(redis: PrivateRedis, ...extra: string[]): Running {
  return start(["worker", "--redis", redis.url, "--stalled-after", "2", "--verbose", ...extra]);
}

async function stopAll(workers: readonly Running[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.ended));
}

/** The JSON document without what differs from run to run (times). */
function withoutTimes(out: string): unknown {
  return JSON.parse(out, (k, v: unknown) => (k === "elapsedMs" || k === "preCheckMs" ? undefined : v));
}

/** The job a worker's log shows started and not ended, if any. */
function jobUnderWay(log: string): string | undefined {
  const started = [...log.matchAll(/^job (\S+): started$/gm)].map((m) => m[1]!);
  const last = started.at(-1);
  if (last === undefined) return undefined;
  return new RegExp(`^job ${last}: (?!started)`, "m").test(log) ? undefined : last;
}

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("three workers, one killed with SIGKILL mid-job and one stopped with SIGTERM: the totals of a single process", { skip }, async () => {
  const reference = pagerace("check", FT47, "--json", "--quiet");
  assert.equal(reference.code, 0, reference.err);
  const redis = await startRedis();
  const workers = [startWorker(redis), startWorker(redis), startWorker(redis)];
  try {
    const check = start(["check", FT47, "--redis", redis.url, "--job-seconds", "0.3", "--json", "--quiet"]);
    // Kill the first worker once it has finished a job and is part-way into another.
    let killed: string | undefined;
    await until(() => {
      const log = workers[0]!.err();
      const underWay = jobUnderWay(log);
      if (underWay === undefined || !/: committed$/m.test(log)) return false;
      killed = underWay;
      return true;
    }, "the first worker to be part-way into its second job");
    workers[0]!.child.kill("SIGKILL");
    // The second worker is stopped politely part-way: its job yields, committing what it explored and queueing the rest.
    let handed: string | undefined;
    await until(() => {
      handed = jobUnderWay(workers[1]!.err());
      return handed !== undefined || check.child.exitCode !== null;
    }, "the second worker to be part-way into a job");
    if (handed !== undefined) {
      workers[1]!.child.kill("SIGTERM");
      assert.equal((await workers[1]!.ended).code, 0, workers[1]!.err());
      assert.match(workers[1]!.err(), new RegExp(`^job ${handed}: (committed|stopped)$`, "m"));
    }
    const ended = await check.ended;
    assert.equal(ended.code, reference.code, check.err());
    assert.deepEqual(withoutTimes(check.out()), withoutTimes(reference.out));
    const retried = workers.slice(1).some((w) => w.err().split("\n").filter((l) => l === `job ${killed}: started`).length > 0);
    assert.ok(retried, `the killed worker's job ${killed} was explored again by another worker`);
  } finally {
    await stopAll(workers);
    await redis.stop();
  }
});

test("a model with violations: the same verdicts, counts and violations as a single process, --all or not", { skip }, async () => {
  const redis = await startRedis();
  const workers = [startWorker(redis), startWorker(redis), startWorker(redis)];
  try {
    const all = pagerace("check", FT_PAIR, "--all", "--json", "--quiet");
    assert.equal(all.code, 0, all.err);
    const distributed = start(["check", FT_PAIR, "--all", "--redis", redis.url, "--job-seconds", "0.1", "--json", "--quiet"]);
    assert.equal((await distributed.ended).code, 0, distributed.err());
    assert.deepEqual(withoutTimes(distributed.out()), withoutTimes(all.out));
    // Stopping at the first violation: which one is found first depends on timing, the verdict does not.
    const first = start(["check", FT_PAIR, "--redis", redis.url, "--job-seconds", "0.1", "--json", "--quiet"]);
    assert.equal((await first.ended).code, 0, first.err());
    const verdicts = (JSON.parse(first.out()) as { results: { model: string; verdict: string; violations: unknown[] }[] }).results.map((r) => [r.model, r.verdict, r.violations.length > 0]);
    assert.deepEqual(verdicts, [
      ["FT(4,5)-fixed", "verified", false],
      ["FT(3,4)-buggy", "violation", true],
    ]);
  } finally {
    await stopAll(workers);
    await redis.stop();
  }
});

test("a worker whose model file differs from the coordinator's refuses the job, and the run goes on with the others", { skip }, async () => {
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), "pagerace-other-model-"));
  const other = join(dir, "faultTruncates.ts");
  writeFileSync(other, readFileSync(FT_PAIR, "utf8") + "\n// edited\n");
  const workers: Running[] = [];
  try {
    const reference = pagerace("check", FT_PAIR, "--json", "--quiet");
    const check = start(["check", FT_PAIR, "--redis", redis.url, "--job-seconds", "0.2", "--json"]);
    const refusing = startWorker(redis, other);
    workers.push(refusing);
    const refused = await refusing.ended;
    assert.equal(refused.code, 2);
    assert.match(refusing.err(), /refused a job: .*faultTruncates\.ts has content hash [0-9a-f]+, the coordinator's .*faultTruncates\.ts has [0-9a-f]+: every worker must load the same model file/);
    workers.push(startWorker(redis));
    assert.equal((await check.ended).code, 0, check.err());
    assert.match(check.err(), /worker \S+ refused a job: .*content hash/);
    assert.deepEqual(withoutTimes(check.out()), withoutTimes(reference.out));
  } finally {
    await stopAll(workers);
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("thread code that never returns to the engine on a worker: the run is a model error, and the worker goes on with a new thread", { skip }, async () => {
  const redis = await startRedis();
  const workers = [startWorker(redis, "--timeout", "1")];
  try {
    const looping = start(["check", "test/parallel/fixtures/loopsAfterChoice.ts", "--redis", redis.url, "--quiet"]);
    assert.equal((await looping.ended).code, 2, looping.out());
    assert.match(looping.err(), /model 'loops after a choice' \[sc\]: looper did not return to the engine within 1 s \(after \d+ events? of its own\): a loop with no yield\?/);
    const reference = pagerace("check", FT_PAIR, "--json", "--quiet");
    const next = start(["check", FT_PAIR, "--redis", redis.url, "--json", "--quiet"]);
    assert.equal((await next.ended).code, 0, next.err());
    assert.deepEqual(withoutTimes(next.out()), withoutTimes(reference.out));
  } finally {
    await stopAll(workers);
    await redis.stop();
  }
});

test("a coordinator killed with SIGKILL: its lease lapses and the worker abandons the run's job", { skip }, async () => {
  const redis = await startRedis();
  const workers = [startWorker(redis)];
  try {
    const check = start(["check", "test/parallel/fixtures/faultTruncate48.ts", "--redis", redis.url, "--quiet"]);
    await until(() => jobUnderWay(workers[0]!.err()) !== undefined, "the worker to take the root job");
    check.child.kill("SIGKILL");
    await check.ended;
    const killedAt = Date.now();
    // Until the lease lapses the run goes on (its jobs yield and commit); then the job under way is abandoned.
    await until(() => /^job \S+: abandoned$/m.test(workers[0]!.err()), "the worker to abandon the run", 40_000);
    const after = (Date.now() - killedAt) / 1000;
    assert.ok(after < 30, `abandoned ${after.toFixed(1)} s after the coordinator died`);
    assert.equal(workers[0]!.child.exitCode, null, "the worker goes on, for other runs");
  } finally {
    await stopAll(workers);
    await redis.stop();
  }
});

test("a coordinator with no worker says so, and goes on when one comes", { skip }, async () => {
  const redis = await startRedis();
  const workers: Running[] = [];
  try {
    const check = start(["check", FT_PAIR, "--redis", redis.url, "--quiet"]);
    await until(() => check.err().includes("no worker has taken a job yet"), "the coordinator's hint", 30_000);
    assert.match(check.err(), new RegExp(`start \`pagerace worker --redis ${redis.url.replace(/\./g, "\\.")}\``));
    workers.push(startWorker(redis));
    assert.equal((await check.ended).code, 0, check.err());
  } finally {
    await stopAll(workers);
    await redis.stop();
  }
});

test("--redis with no Redis there, or with --workers: usage errors", { skip }, () => {
  const r = pagerace("check", FT_PAIR, "--redis", "redis://127.0.0.1:1", "--quiet");
  assert.equal(r.code, 2);
  assert.match(r.err, /--redis redis:\/\/127\.0\.0\.1:1: cannot reach Redis there/);
  const both = pagerace("check", FT_PAIR, "--redis", "redis://127.0.0.1:1", "--workers", "2");
  assert.equal(both.code, 2);
  assert.match(both.err, /--redis .* cannot be combined with --workers/);
});

test("without the optional bullmq package, worker says what to install", () => {
  // The package's own files, without its node_modules: as installed where bullmq is not.
  const dir = mkdtempSync(join(tmpdir(), "pagerace-no-bullmq-"));
  try {
    for (const part of ["bin", "dist", "package.json"]) cpSync(part, join(dir, part), { recursive: true });
    const range = (JSON.parse(readFileSync("package.json", "utf8")) as { peerDependencies: { bullmq: string } }).peerDependencies.bullmq;
    const r = spawnSync(process.execPath, [join(dir, "bin/pagerace.mjs"), "worker", "--redis", "redis://127.0.0.1:1"], { encoding: "utf8", env: env() });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), `pagerace: pagerace worker needs the bullmq package, which is not installed: npm install bullmq@'${range}' (beside pagerace)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

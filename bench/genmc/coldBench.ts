// GenMC's benchmarks checked as whole processes, the way a user runs them:
// `node bin/pagerace.mjs check [--model tso] bench/genmc/models/<family>.ts`.
// The wall time includes starting node, loading pagerace and the model, and
// the exploration. Each family has a model file at its default size and,
// where it differs, one at its TSO size.
//
// Then the same checks with a warm server (`pagerace server`) listening,
// each after one check that warms it: the client's process, plus the
// server's CPU for the check. GenMC's figure beside them is its start-up
// (clang included) plus the executions at its measured rate.

import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, pad } from "../figures.ts";
import { genmcCases, verdictAgainstGenmc, type GenmcCase } from "./benchCases.ts";
import type { GenmcFamily } from "./families.ts";
import { GENMC_START_UP_S } from "./publishedCounts.ts";

const checkout = fileURLToPath(new URL("../../", import.meta.url));

interface ProcessRun {
  readonly ms: number;
  /** The process's own CPU (user and system). */
  readonly cpuMs?: number;
  readonly executions?: number;
  readonly blocked?: number;
  readonly error?: string;
}

/** `times` after the command: the shell's children's CPU is the check's. */
const WITH_TIMES = '"$0" "$@"; code=$?; times >&2; exit $code';

function checkAsProcess(c: GenmcCase, env: NodeJS.ProcessEnv): ProcessRun {
  // --all: a model whose runs deadlock (szymanski's failed assumes) is explored to the end, not to its first deadlock.
  const file = c.model === "sc" ? c.family.modelFile : c.family.tsoModelFile;
  const args = ["bin/pagerace.mjs", "check", "--json", "--all", ...(c.model === "sc" ? [] : ["--model", c.model]), file];
  const started = performance.now();
  const p = spawnSync("sh", ["-c", WITH_TIMES, process.execPath, ...args], { cwd: checkout, encoding: "utf8", maxBuffer: 1 << 28, env });
  const ms = performance.now() - started;
  try {
    const result = (JSON.parse(p.stdout) as { results: { executions: number; blocked: number }[] }).results[0]!;
    return { ms, cpuMs: childrenCpuMs(p.stderr), executions: result.executions, blocked: result.blocked };
  } catch {
    return { ms, error: `exit ${p.status}: ${(p.stderr || p.stdout).trim().split("\n")[0] ?? ""}` };
  }
}

/** The children's user and system time from `times` (its last line: "0m0.052s 0m0.008s"). */
function childrenCpuMs(stderr: string): number | undefined {
  const last = stderr.trim().split("\n").at(-1) ?? "";
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(last);
  return m === null ? undefined : (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

/** GenMC's whole process, in ms: start-up plus the executions at its measured rate; undefined where not measured. */
function genmcMs(c: GenmcCase): number | undefined {
  const rate = c.genmc?.perSecond;
  return rate === undefined ? undefined : (GENMC_START_UP_S + c.genmc!.executions / rate) * 1000;
}

const HEADER = `${"program".padEnd(16)} ${"model".padEnd(5)} ${pad("executions", 10)} ${pad("GenMC", 9)} ${"".padEnd(8)} ${pad("wall ms", 8)} ${pad("CPU ms", 8)} ${pad("GenMC ms", 9)} ${pad("ratio", 6)}`;

/** One table: each case run `runs` times by `check`, which gives its run and the CPU it adds to the run's own; how many cases failed or found a count other than GenMC's. */
function table(families: readonly GenmcFamily[], runs: number, check: (c: GenmcCase) => ProcessRun & { extraCpuMs?: number }): number {
  console.log(HEADER);
  let failures = 0;
  for (const c of genmcCases(families)) {
    const done = Array.from({ length: runs }, () => check(c));
    const last = done[done.length - 1]!;
    const name = `${c.family.name}(${c.size})`.padEnd(16);
    if (last.executions === undefined) {
      failures++;
      console.log(`${name} ${c.model.padEnd(5)} ERROR ${last.error}`);
      continue;
    }
    const verdict = verdictAgainstGenmc(c, last.executions);
    if (verdict === "MISMATCH") failures++;
    const cpus = done.map((r) => (r.cpuMs === undefined ? NaN : r.cpuMs + (r.extraCpuMs ?? 0)));
    const cpu = cpus.some(Number.isNaN) ? undefined : median(cpus);
    const genmc = genmcMs(c);
    const ratio = cpu === undefined || genmc === undefined ? "-" : (cpu / genmc).toFixed(2);
    console.log(
      `${name} ${c.model.padEnd(5)} ${pad(last.executions, 10)} ${pad(c.genmc?.executions ?? "-", 9)} ${verdict.padEnd(8)} ${pad(median(done.map((r) => r.ms)).toFixed(0), 8)} ${pad(cpu?.toFixed(0) ?? "-", 8)} ${pad(genmc?.toFixed(0) ?? "-", 9)} ${pad(ratio, 6)}`,
    );
  }
  return failures;
}

/** Times the families as whole processes, without and with a warm server; returns how many cases failed or found a count other than GenMC's. */
export function runGenmcCold(families: readonly GenmcFamily[], runs: number): number {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const plain = { ...env, PAGERACE_NO_SERVER: "1" };
  console.log(`GenMC benchmarks, whole processes (pagerace check): ${runs} run${runs === 1 ? "" : "s"} each, medians; ratio: CPU / GenMC's\n`);
  let failures = table(families, runs, (c) => checkAsProcess(c, plain));

  const serverDir = mkdtempSync(join(tmpdir(), "pagerace-bench-server-"));
  chmodSync(serverDir, 0o700);
  const served = { ...env, PAGERACE_SERVER_DIR: serverDir };
  const server = (...args: string[]) => spawnSync(process.execPath, ["bin/pagerace.mjs", "server", ...args], { cwd: checkout, encoding: "utf8", env: served });
  const serverCpuMs = () => (JSON.parse(server("--status", "--json").stdout) as { cpuMs: number }).cpuMs;
  try {
    const started = server("--detach");
    if (started.status !== 0) throw new Error(`the server did not start: ${started.stderr}`);
    console.log(`\nThe same with a warm server (pagerace server), each case after one check that warms it: CPU is the client's and the server's\n`);
    failures += table(families, runs, (c) => {
      checkAsProcess(c, served);
      const before = serverCpuMs();
      const run = checkAsProcess(c, served);
      return { ...run, extraCpuMs: serverCpuMs() - before };
    });
  } finally {
    server("--stop");
    rmSync(serverDir, { recursive: true, force: true });
  }
  return failures;
}

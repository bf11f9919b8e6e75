// GenMC's benchmarks checked as whole processes, the way a user runs them:
// `node bin/pagerace.mjs check [--model tso] bench/genmc/models/<family>.ts`.
// The wall time includes starting node, loading pagerace and the model, and
// the exploration. Each family has a model file at its default size and,
// where it differs, one at its TSO size.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median, pad } from "../figures.ts";
import { genmcCases, verdictAgainstGenmc, type GenmcCase } from "./benchCases.ts";
import type { GenmcFamily } from "./families.ts";

const checkout = fileURLToPath(new URL("../../", import.meta.url));

interface ProcessRun {
  readonly ms: number;
  readonly executions?: number;
  readonly blocked?: number;
  readonly error?: string;
}

function checkInProcess(c: GenmcCase): ProcessRun {
  // --all: a model whose runs deadlock (szymanski's failed assumes) is explored to the end, not to its first deadlock.
  const file = c.model === "sc" ? c.family.modelFile : c.family.tsoModelFile;
  const args = ["bin/pagerace.mjs", "check", "--json", "--all", ...(c.model === "sc" ? [] : ["--model", c.model]), file];
  const started = performance.now();
  const p = spawnSync(process.execPath, args, { cwd: checkout, encoding: "utf8", maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  try {
    const result = (JSON.parse(p.stdout) as { results: { executions: number; blocked: number }[] }).results[0]!;
    return { ms, executions: result.executions, blocked: result.blocked };
  } catch {
    return { ms, error: `exit ${p.status}: ${(p.stderr || p.stdout).trim().split("\n")[0] ?? ""}` };
  }
}

/** Times the families as whole processes; returns how many cases failed or found a count other than GenMC's. */
export function runGenmcCold(families: readonly GenmcFamily[], runs: number): number {
  console.log(`GenMC benchmarks, whole processes (pagerace check): ${runs} run${runs === 1 ? "" : "s"} each, median wall time\n`);
  console.log(`${"program".padEnd(16)} ${"model".padEnd(5)} ${pad("executions", 10)} ${pad("GenMC", 9)} ${"".padEnd(8)} ${pad("blocked", 8)} ${pad("ms", 9)} ${pad("exec/s", 9)}`);
  let failures = 0;
  for (const c of genmcCases(families)) {
    const done = Array.from({ length: runs }, () => checkInProcess(c));
    const last = done[done.length - 1]!;
    const name = `${c.family.name}(${c.size})`.padEnd(16);
    if (last.executions === undefined) {
      failures++;
      console.log(`${name} ${c.model.padEnd(5)} ERROR ${last.error}`);
      continue;
    }
    const ms = median(done.map((r) => r.ms));
    const verdict = verdictAgainstGenmc(c, last.executions);
    if (verdict === "MISMATCH") failures++;
    console.log(
      `${name} ${c.model.padEnd(5)} ${pad(last.executions, 10)} ${pad(c.genmc?.executions ?? "-", 9)} ${verdict.padEnd(8)} ${pad(last.blocked ?? "-", 8)} ${pad(ms.toFixed(0), 9)} ${pad(Math.round((last.executions * 1000) / ms), 9)}`,
    );
  }
  return failures;
}

// Runs the command line as a user does: the compiled dist/ that
// scripts/run-tests.mjs builds before any test starts.

import { spawnSync } from "node:child_process";

export interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

export function pagerace(...args: string[]): Ran {
  const started = performance.now();
  const r = spawnSync(process.execPath, ["bin/pagerace.mjs", ...args], {
    encoding: "utf8",
    timeout: 120_000,
    env: withoutSourceMode(process.env),
  });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - started };
}

function withoutSourceMode(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PAGERACE_FROM_SOURCE: _, ...rest } = env;
  return rest;
}

/** The table's line for a model under a memory model. */
export function row(out: string, model: string, memoryModel: string): string {
  const line = out.split("\n").find((l) => l.startsWith(model + " ") && new RegExp(`\\s${memoryModel}\\s`).test(l.slice(model.length)));
  if (line === undefined) throw new Error(`no row for ${model} [${memoryModel}] in:\n${out}`);
  return line;
}

// Runs the command line as a user does: the compiled dist/ that
// scripts/run-tests.mjs builds before any test starts.

import { spawn, spawnSync } from "node:child_process";

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

export interface Interrupted {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs the compiled command line (with `env` beside the test's), sends `signal` when stderr first matches `ready`, and collects the rest. */
export function interrupt(args: readonly string[], ready: RegExp, signal: NodeJS.Signals, env: Record<string, string> = {}): Promise<Interrupted> {
  const child = spawn(process.execPath, ["bin/pagerace.mjs", ...args], { env: { ...withoutSourceMode(process.env), ...env } });
  let out = "";
  let err = "";
  let sent = false;
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    err += d;
    if (!sent && ready.test(err)) {
      sent = true;
      child.kill(signal);
    }
  });
  // Generous: a run that never reacts must fail the test, not hang it.
  const guard = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, out, err });
    });
  });
}

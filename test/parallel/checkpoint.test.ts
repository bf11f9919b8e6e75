// `check --checkpoint FILE` / `--resume FILE`: a run killed with SIGKILL
// part-way, several times, and resumed each time from its last checkpoint
// ends with exactly the counts of a run never interrupted; so does a run
// stopped by Ctrl-C, which says it was interrupted and leaves a checkpoint.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pagerace } from "../cli/pagerace.ts";

const MODEL = "test/parallel/fixtures/faultTruncate46.ts";

interface Counts {
  executions: number;
  blocked: number;
  deadlocks: number;
  assertionFailures: number;
  verdict: string;
}

function countsOf(out: string): Counts {
  const r = (JSON.parse(out) as { results: (Counts & Record<string, unknown>)[] }).results[0]!;
  return { executions: r.executions, blocked: r.blocked, deadlocks: r.deadlocks, assertionFailures: r.assertionFailures, verdict: r.verdict };
}

/**
 * Starts a check and stops it with `signal` once `ready()` holds (polled
 * ten times a second: the machine may be slow to start it); resolves with
 * its exit code or signal and its output.
 */
function runStopped(args: string[], signal: NodeJS.Signals, ready: () => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;
  const child = spawn(process.execPath, ["bin/pagerace.mjs", "check", MODEL, ...args], { env });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const timer = setInterval(() => {
    if (!ready()) return;
    clearInterval(timer);
    child.kill(signal);
  }, 100);
  return new Promise((resolve) =>
    child.on("exit", (code, sig) => {
      clearInterval(timer);
      resolve({ code, signal: sig, out, err });
    }),
  );
}

/** Executions the checkpoint counts as done, -1 before there is one. */
function checkpointed(file: string): number {
  if (!existsSync(file)) return -1;
  const doc = JSON.parse(readFileSync(file, "utf8")) as { runs: Record<string, { frontier: { tally: { counts: { complete: number } } } }> };
  return Object.values(doc.runs)[0]!.frontier.tally.counts.complete;
}

test("a run killed with SIGKILL three times and resumed counts exactly what an uninterrupted run counts", async () => {
  const reference = pagerace("check", MODEL, "--json", "--quiet");
  assert.equal(reference.code, 0, reference.err);
  const expected = countsOf(reference.out);
  const dir = mkdtempSync(join(tmpdir(), "pagerace-checkpoint-"));
  const file = join(dir, "run.checkpoint");
  try {
    let before = -1;
    for (let kill = 0; kill < 3; kill++) {
      const args = ["--workers", "2", "--quiet", "--json", "--checkpoint-every", "0.2", ...(kill === 0 ? ["--checkpoint", file] : ["--resume", file])];
      const from = before;
      const r = await runStopped(args, "SIGKILL", () => checkpointed(file) > from);
      if (r.signal !== "SIGKILL") break; // finished before the kill: the final resume below still has to agree
      assert.ok(existsSync(file), `no checkpoint after ${kill + 1} kill(s): ${r.err}`);
      const done = checkpointed(file);
      assert.ok(done >= before, `the checkpoint went back from ${before} to ${done} executions`);
      before = done;
    }
    assert.ok(before > 0 && before < expected.executions, `the kills came part-way (${before} of ${expected.executions} executions checkpointed)`);
    const resumed = pagerace("check", MODEL, "--json", "--quiet", "--workers", "2", "--resume", file);
    assert.equal(resumed.code, 0, resumed.err);
    assert.deepEqual(countsOf(resumed.out), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Ctrl-C prints a summary marked interrupted and leaves a checkpoint that resumes to the same totals", async () => {
  const expected = countsOf(pagerace("check", MODEL, "--json", "--quiet").out);
  const dir = mkdtempSync(join(tmpdir(), "pagerace-checkpoint-"));
  const file = join(dir, "run.checkpoint");
  try {
    const r = await runStopped(["--workers", "2", "--checkpoint", file, "--checkpoint-every", "0.2"], "SIGINT", () => checkpointed(file) > 0);
    assert.equal(r.code, 130, r.err);
    assert.match(r.out, /interrupted by SIGINT/);
    const done = checkpointed(file);
    assert.ok(done > 0 && done < expected.executions, `interrupted part-way (${done} of ${expected.executions})`);
    const resumed = pagerace("check", MODEL, "--json", "--quiet", "--resume", file);
    assert.equal(resumed.code, 0, resumed.err);
    assert.deepEqual(countsOf(resumed.out), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--resume refuses a checkpoint made with another version of the model file or other options, naming what changed, and a missing one", () => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-checkpoint-"));
  const model = join(dir, "ft.ts");
  const file = join(dir, "ft.checkpoint");
  const source = `import { faultTruncate } from ${JSON.stringify(join(process.cwd(), "examples/faultTruncate.ts"))};\nexport default faultTruncate(3, 3, "fixed");\n`;
  try {
    writeFileSync(model, source);
    assert.equal(pagerace("check", model, "--quiet", "--checkpoint", file).code, 0);
    assert.equal(pagerace("check", model, "--quiet", "--resume", file).code, 0, "the same file resumes");
    writeFileSync(model, `// edited\n${source}`);
    const changed = pagerace("check", model, "--quiet", "--resume", file);
    assert.equal(changed.code, 2);
    assert.match(changed.err, /was checkpointed with another model file's content: resume with the same file and options, or start again/);
    // Options that change what is counted are named.
    writeFileSync(model, source);
    const otherOptions = pagerace("check", model, "--quiet", "--all", "--resume", file);
    assert.equal(otherOptions.code, 2);
    assert.match(otherOptions.err, /was checkpointed with other options: --all: resume/);
    const missing = pagerace("check", model, "--resume", join(dir, "nothing"));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--resume .*nothing: no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

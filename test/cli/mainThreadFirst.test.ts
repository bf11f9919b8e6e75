// `check` runs in the main thread first, its explorations bounded to a
// fraction of a second, and moves to the watched worker when that is not
// enough (src/cli/mainThreadFirst.ts): the output must be the worker's, to
// the byte, either way; a thread that never yields must still be stopped and
// named; a signal must still stop the run with its summary.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { HandOver, runWithin } from "../../src/cli/boundedSlice.ts";
import { enterThreadCode, leaveStoppedThreadCode } from "../../src/runtime/determinismGuard.ts";
import { row } from "./pagerace.ts";

const { PAGERACE_FROM_SOURCE: _, ...env } = process.env;

/** The compiled command line; `nodeFlags` first (a heap under 1 GB keeps check in the worker). */
function check(nodeFlags: string[], args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...nodeFlags, "bin/pagerace.mjs", "check", ...args], { encoding: "utf8", env: { ...env, ...extraEnv }, timeout: 120_000 });
  // Times differ from run to run: the table's last number, the totals' seconds, the document's milliseconds.
  const untimed = (s: string) =>
    s
      .replace(/ +\d+( +(OK|MISMATCH|ERROR))?$/gm, " T$1")
      .replace(/\(\d+(\.\d+)? s\)/g, "(T)")
      .replace(/"(elapsedMs|preCheckMs)": [\d.]+/g, '"$1": T');
  return { code: r.status, out: untimed(r.stdout), err: untimed(r.stderr) };
}

const IN_WORKER = ["--max-old-space-size=512"];

/** The compiled command line started with `args`, what it prints as it comes, and its exit code once closed (killed after 90 s). */
function started(args: string[], extraEnv: Record<string, string>) {
  const child = spawn(process.execPath, ["bin/pagerace.mjs", ...args], { env: { ...env, ...extraEnv } });
  const printed = { out: "", err: "" };
  child.stdout.setEncoding("utf8").on("data", (d: string) => (printed.out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (printed.err += d));
  const guard = setTimeout(() => child.kill("SIGKILL"), 90_000);
  const closed = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve(code);
    }),
  );
  return { child, printed, closed };
}

test("a small check prints in the main thread what the worker prints", () => {
  for (const args of [
    ["--model", "tso", "examples/storeBuffering.ts"],
    ["--json", "--model", "tso", "examples/storeBuffering.ts"],
    // --all too: a run this small is never split.
    ["--all", "--json", "--model", "tso", "examples/storeBuffering.ts"],
    ["test/cli/fixtures/threadErrors.ts"],
    ["--json", "test/cli/fixtures/threadErrors.ts"],
    // Past the main thread's stack, which is smaller than the worker's: run again in the worker.
    ["test/cli/fixtures/eventBound.ts"],
  ]) {
    const here = check([], args);
    const there = check(IN_WORKER, args);
    assert.deepEqual(here, there, args.join(" "));
    assert.ok(here.code === 1 || here.code === 2, `${args.join(" ")}: exit ${here.code}\n${here.err}`);
  }
  assert.match(row(check([], ["test/cli/fixtures/whichThread.ts"]).out, "in the main thread", "sc"), /verified/);
  assert.match(row(check([], ["--all", "--no-symmetry", "test/cli/fixtures/whichThread.ts"]).out, "in the main thread", "sc"), /verified/);
  assert.match(row(check(IN_WORKER, ["test/cli/fixtures/whichThread.ts"]).out, "in the worker", "sc"), /verified/);
  // Options that start workers or write files keep check in the worker from the start.
  const dir = mkdtempSync(join(tmpdir(), "pagerace-first-"));
  try {
    assert.match(row(check([], ["--dot", dir, "test/cli/fixtures/whichThread.ts"]).out, "in the worker", "sc"), /verified/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a check that outlasts the main thread's time moves to the worker, and ends there as it would have", () => {
  // Seconds of arithmetic in one step: far past the main thread's fraction of a second.
  const long = check([], ["--quiet", "test/cli/fixtures/whichThread.ts"], { PAGERACE_TEST_STEPS: "200000000" });
  assert.equal(long.code, 0, long.err);
  assert.match(row(long.out, "in the worker", "sc"), /verified/);
  assert.equal(long.err, "");
});

test("a thread that never yields in the main thread is still stopped, and named, by the worker's watchdog", () => {
  const r = check([], ["--timeout", "1", "test/fixtures/loopsForever.ts"]);
  assert.equal(r.code, 2);
  assert.match(r.out, /^loops forever +sc +MODEL ERROR /m);
  assert.match(r.err, /^pagerace: test\/fixtures\/loopsForever\.ts: model '[^']+' \[sc\]: looper did not return to the engine within 1 s \(after 1 event of its own\)/);
});

test("SIGINT while the main thread explores: the worker stops at once with the run so far, exit 130", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-first-"));
  const marker = join(dir, "busy");
  const { child, printed, closed } = started(["check", "test/cli/fixtures/whichThread.ts"], { PAGERACE_TEST_BUSY: marker, PAGERACE_TEST_STEPS: "100000000000" });
  try {
    // The first marker is the main thread's; the signal comes while it is still busy there.
    while (!existsSync(marker)) await delay(20);
    child.kill("SIGINT");
    // The busy step never ends (not within the test): only a second signal stops the worker.
    await delay(1500);
    child.kill("SIGINT");
    assert.equal(await closed, 130, printed.err);
    assert.match(printed.err, /SIGINT again: stopped without waiting for the summary/);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("replay runs in the main thread first: what the worker prints; a thread that never yields is still stopped, and named, there", () => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-replay-"));
  const judged = join(dir, "judged");
  const replay = (nodeFlags: string[], args: string[], extraEnv: Record<string, string> = {}) => {
    rmSync(judged, { force: true });
    const r = spawnSync(process.execPath, [...nodeFlags, "bin/pagerace.mjs", "replay", ...args], { encoding: "utf8", env: { ...env, PAGERACE_TEST_JUDGED: judged, ...extraEnv }, timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr, judged: existsSync(judged) ? readFileSync(judged, "utf8") : "" };
  };
  try {
    const checked = spawnSync(process.execPath, ["bin/pagerace.mjs", "check", "--json", "test/cli/fixtures/replayedWhere.ts"], { encoding: "utf8", env, timeout: 120_000 });
    const found = JSON.parse(checked.stdout) as { results: { violations: { replayId: string }[] }[] };
    const id = found.results[0]!.violations[0]!.replayId;
    for (const args of [["test/cli/fixtures/replayedWhere.ts", id], ["--json", "test/cli/fixtures/replayedWhere.ts", id]]) {
      const here = replay([], args);
      const there = replay(IN_WORKER, args);
      assert.equal(here.code, 1, here.err);
      assert.deepEqual([here.out, here.err], [there.out, there.err]);
      assert.match(here.judged, /^M+$/, "replayed in the main thread");
      assert.match(there.judged, /^W+$/);
    }
    const stuck = replay([], ["--timeout", "1", "test/cli/fixtures/replayedWhere.ts", id], { PAGERACE_TEST_SPIN: "1" });
    assert.equal(stuck.code, 2, stuck.err);
    assert.match(stuck.err, /\b[ab] did not return to the engine within 1 s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bounded work: its value, its own errors unchanged, and HandOver when it does not return in time", () => {
  assert.equal(runWithin(1000, () => 42), 42);
  const own = new RangeError("the work's own");
  assert.throws(() => runWithin(1000, () => { throw own; }), (e) => e === own);
  assert.throws(() => runWithin(0, () => 1), HandOver);
  assert.throws(() => runWithin(50, () => { for (;;); }), HandOver);
});

test("thread code stopped from outside leaves the clock and Date as they were once left", () => {
  const RealDate = Date;
  assert.throws(
    () =>
      runWithin(50, () => {
        enterThreadCode({ name: "spinner", currentStep: undefined });
        enterThreadCode({ name: "inner", currentStep: undefined });
        for (;;);
      }),
    HandOver,
  );
  assert.throws(() => performance.now(), /thread inner called performance\.now/);
  leaveStoppedThreadCode();
  assert.equal(globalThis.Date, RealDate);
  assert.equal(typeof performance.now(), "number");
  assert.equal(typeof Date.now(), "number");
  leaveStoppedThreadCode();
  assert.equal(typeof new Date().getTime(), "number");
});

/** `check --json` of the fetch-adders fixture, and which thread judged each of its executions (M: main, W: worker). */
function judgedCheck(nodeFlags: string[], extraEnv: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-judged-"));
  const judged = join(dir, "judged");
  try {
    const r = check(nodeFlags, ["--json", "test/cli/fixtures/handedOver.ts"], { ...extraEnv, PAGERACE_TEST_JUDGED: judged });
    const marks = existsSync(judged) ? readFileSync(judged, "utf8") : "";
    const count = (c: string) => marks.split("").filter((m) => m === c).length;
    return { ...r, main: count("M"), worker: count("W") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The executions of each run in a check's JSON document. */
function executions(out: string): number[] {
  return (JSON.parse(out.replace(/": T\b/g, "\": 0")) as { results: { executions: number }[] }).results.map((r) => r.executions);
}

test("a run longer than the main thread's first slice goes on there, slice after slice, and ends as in the worker", () => {
  const here = judgedCheck([], {});
  const there = check(IN_WORKER, ["--json", "test/cli/fixtures/handedOver.ts"]);
  assert.equal(here.code, 0, here.err);
  assert.deepEqual({ code: here.code, out: here.out, err: here.err }, there);
  assert.deepEqual(executions(here.out), [5040]);
  assert.deepEqual([here.main, here.worker], [5040, 0], "every execution judged once, all in the main thread");
});

test("a run that fills the main thread's heap goes on in the worker from where it stood, and ends as it would have", () => {
  // A heap limit just large enough for check to start in the main thread; each execution judged there keeps 200 KB.
  const here = judgedCheck(["--max-old-space-size=1100"], { PAGERACE_TEST_HOARD_KB: "200" });
  const there = check(IN_WORKER, ["--json", "test/cli/fixtures/handedOver.ts"]);
  assert.equal(here.code, 0, here.err);
  assert.deepEqual({ code: here.code, out: here.out, err: here.err }, there);
  // Each execution judged once: some in the main thread, the rest in the worker, none twice.
  assert.ok(here.main > 0 && here.worker > 0, `${here.main} judged in the main thread, ${here.worker} in the worker`);
  assert.equal(here.main + here.worker, 5040, "an execution was judged twice: the worker started the run again");
});

test("a slice that does not yield is stopped, and the run goes on in the worker from where that slice began", () => {
  // Past its first slice, the main thread's check stops returning: V8's watchdog stops the slice a second past its end.
  const here = judgedCheck([], { PAGERACE_TEST_HANG_AFTER: "4000" });
  const there = check(IN_WORKER, ["--json", "test/cli/fixtures/handedOver.ts"]);
  assert.equal(here.code, 0, here.err);
  assert.deepEqual({ code: here.code, out: here.out, err: here.err }, there);
  // The stopped slice's executions are judged again in the worker; nothing before it is.
  assert.ok(here.main > 0 && here.worker > 0 && here.worker < 5040, `${here.main} judged in the main thread, ${here.worker} in the worker`);
  assert.ok(here.main + here.worker > 5040 && here.main <= 4001, `${here.main} + ${here.worker}`);
});

test("a run that ended in the main thread is handed over as it ended when a later one moves to the worker", () => {
  // The LKMM run cannot go on in slices: past the main thread's time, the check moves to the worker, which runs it from the start.
  const env = { PAGERACE_TEST_ALSO_LKMM: "1" };
  const here = judgedCheck([], env);
  const there = check(IN_WORKER, ["--json", "test/cli/fixtures/handedOver.ts"], env);
  assert.equal(here.code, 0, here.err);
  assert.deepEqual({ code: here.code, out: here.out, err: here.err }, there);
  assert.deepEqual(executions(here.out), [5040, 5040]);
  // The SC run was judged in the main thread only; the worker judged the LKMM run alone.
  assert.ok(here.main >= 5040, `${here.main} judged in the main thread`);
  assert.equal(here.worker, 5040, "the worker explored the SC run again");
});

/** Nine adders (362,880 executions, seconds of exploration) checked with `args`, once the main thread has judged executions for half a second. */
async function pastFirstSlice(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-slices-"));
  const judged = join(dir, "judged");
  const run = started(["check", ...args, "test/cli/fixtures/handedOver.ts"], { PAGERACE_TEST_JUDGED: judged, PAGERACE_TEST_ADDERS: "9" });
  while (!existsSync(judged) && run.child.exitCode === null) await delay(20);
  await delay(500);
  const marks = () => readFileSync(judged, "utf8");
  return { ...run, marks, done: () => (run.child.kill("SIGKILL"), rmSync(dir, { recursive: true, force: true })) };
}

test("SIGINT while a run goes on in the main thread's slices: it stops there with the run so far, exit 130", async () => {
  const run = await pastFirstSlice([]);
  try {
    run.child.kill("SIGINT");
    assert.equal(await run.closed, 130, run.printed.err);
    assert.match(run.printed.out, /interrupted by SIGINT/);
    const marks = run.marks();
    assert.ok(marks.length > 0 && marks.length < 362_880, `${marks.length} judged`);
    assert.ok(!marks.includes("W"), "the run moved to the worker");
  } finally {
    run.done();
  }
});

test("two SIGINTs in quick succession while a run goes on in the main thread's slices: one JSON document, exit 130", async () => {
  const run = await pastFirstSlice(["--json"]);
  try {
    run.child.kill("SIGINT");
    await delay(10);
    run.child.kill("SIGINT");
    assert.equal(await run.closed, 130);
    // Either the summary or the error document that replaces it: never both.
    const doc = JSON.parse(run.printed.out) as { interrupted?: unknown; error?: { kind: string } };
    assert.ok(doc.interrupted !== undefined || doc.error?.kind === "interrupted", run.printed.out);
  } finally {
    run.done();
  }
});

test("a time-limited run goes on in the main thread's slices to its limit, and one that moves takes the time it has left", () => {
  const limited = (seconds: string, nodeFlags: string[], extraEnv: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "pagerace-limited-"));
    const judged = join(dir, "judged");
    try {
      const args = ["--json", "--time-limit", seconds, "test/cli/fixtures/handedOver.ts"];
      const r = spawnSync(process.execPath, [...nodeFlags, "bin/pagerace.mjs", "check", ...args], { encoding: "utf8", env: { ...env, PAGERACE_TEST_ADDERS: "9", PAGERACE_TEST_JUDGED: judged, ...extraEnv }, timeout: 120_000 });
      const marks = readFileSync(judged, "utf8");
      const result = (JSON.parse(r.stdout) as { results: { verdict: string; bounded: string; executions: number; elapsedMs: number }[] }).results[0]!;
      return { code: r.status, result, main: marks.split("M").length - 1, worker: marks.split("W").length - 1 };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // Nine adders take seconds: the limit cuts the run short, in the main thread alone.
  const here = limited("1.5", [], {});
  assert.equal(here.code, 3);
  assert.match(here.result.bounded, /^--time-limit 1\.5 s reached$/);
  assert.ok(here.result.elapsedMs >= 1500 && here.result.elapsedMs < 3000, `${here.result.elapsedMs} ms`);
  assert.deepEqual([here.worker, here.main], [0, here.result.executions]);
  assert.ok(here.main > 0 && here.main < 362_880);
  // Moved to the worker by a full heap (filling half of it takes about a second, three on a loaded machine): the worker explores on from where the run stood, for what is left of the 5 s.
  const moved = limited("5", ["--max-old-space-size=1100"], { PAGERACE_TEST_HOARD_KB: "1000" });
  assert.equal(moved.code, 3);
  assert.match(moved.result.bounded, /^--time-limit 5 s reached$/);
  assert.ok(moved.main > 0 && moved.worker > 0, `${moved.main} judged in the main thread, ${moved.worker} in the worker`);
  assert.equal(moved.main + moved.worker, moved.result.executions, "an execution was judged twice: the worker started the run again");
  assert.ok(moved.result.elapsedMs >= 5000 && moved.result.elapsedMs < 8000, `${moved.result.elapsedMs} ms`);
});

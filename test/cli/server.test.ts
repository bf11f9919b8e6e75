// The warm server (`pagerace server`): a check run there prints, byte for
// byte, what the client's own process prints, with its exit code, from the
// client's folder and environment, with its models as edited and their
// modules fresh; and the server did run it (its count of checks grows).
// What it cannot run so, the client runs itself.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { interrupt } from "./pagerace.ts";
import { setTimeout as delay } from "node:timers/promises";

const BIN = resolve("bin/pagerace.mjs");
const serverDir = mkdtempSync(join(tmpdir(), "pagerace-server-test-"));
chmodSync(serverDir, 0o700);
const models = mkdtempSync(join(tmpdir(), "pagerace-server-models-"));

function environment(server: boolean, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { PAGERACE_FROM_SOURCE: _, PAGERACE_NO_SERVER: __, ...env } = process.env;
  return { ...env, PAGERACE_SERVER_DIR: serverDir, ...(server ? {} : { PAGERACE_NO_SERVER: "1" }), ...extra };
}

interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function run(args: readonly string[], server: boolean, options: { cwd?: string; env?: Record<string, string> } = {}): Ran {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000, cwd: options.cwd, env: environment(server, options.env) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Checks the server has run to their end. */
function served(): number {
  const status = run(["server", "--status"], true);
  assert.equal(status.code, 0, status.out + status.err);
  return Number(/(\d+) commands? served/.exec(status.out)![1]);
}

/** The check on the server and in its own process: the same output but for times, the same exit code, and one more check served. */
function sameOnServer(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Ran {
  const before = served();
  const there = run(args, true, options);
  assert.equal(served(), before + 1, `the server did not run ${args.join(" ")}: ${there.err}`);
  const here = run(args, false, options);
  assert.deepEqual(withoutTimes(there), withoutTimes(here));
  return there;
}

/** Output with what the clock decides taken out: the table's time column and total, a document's times. */
function withoutTimes(r: Ran): Ran {
  let out = r.out;
  try {
    out = JSON.stringify(JSON.parse(out), (key, value: unknown) => (/Ms$/.test(key) ? "time" : value));
  } catch {
    const header = out.split("\n")[0]!;
    const at = header.indexOf("time (ms)");
    const end = at + "time (ms)".length;
    const rows = out.split("\n\n")[0]!;
    out = out.replace(rows, rows.split("\n").map((line) => (at < 0 || line.length < end ? line : line.slice(0, at) + line.slice(at, end).replace(/^ *\d+$/, (t) => "t".padStart(t.length)) + line.slice(end))).join("\n"));
    out = out.replace(/\(\d+\.\d s\)/g, "(time)");
  }
  return { ...r, out };
}

before(() => {
  const started = run(["server", "--detach", "--idle-minutes", "10"], true);
  assert.equal(started.code, 0, started.out + started.err);
  assert.match(started.out, /^pagerace server: started \(pid \d+\), listening on /);
});

after(() => {
  const stopped = run(["server", "--stop"], true);
  assert.match(stopped.out, /stopped/);
  assert.equal(run(["server", "--status"], true).code, 1);
  rmSync(serverDir, { recursive: true, force: true });
  rmSync(models, { recursive: true, force: true });
});

test("a check on the server prints what it prints in its own process, exit code included", () => {
  assert.equal(sameOnServer(["check", "test/cli/fixtures/declarations.ts"]).code, 1);
  assert.equal(sameOnServer(["check", "--model", "tso", "--events", "--all", "test/cli/fixtures/declarations.ts"]).code, 1);
  const json = sameOnServer(["check", "--json", "examples/storeBuffering.ts"]);
  assert.equal(JSON.parse(json.out).format, "pagerace-result");
  assert.equal(sameOnServer(["check", "test/cli/fixtures/modelErrors.ts"]).code, 2);
  assert.equal(sameOnServer(["check", "no/such/model.ts"]).code, 2);
  assert.equal(sameOnServer(["check", "--model", "sc", "--max-executions", "50", "test/cli/fixtures/budgets.ts"]).code, 3);
});

test("a replay on the server prints what it prints in its own process, exit code included", () => {
  const ids = (file: string, model?: string) => {
    const r = run(["check", "--json", ...(model === undefined ? [] : ["--model", model]), file], false);
    const results = (JSON.parse(r.out) as { results: { replayId?: string | null; violations?: { replayId: string }[] }[] }).results;
    return results.flatMap((x) => [...(x.violations ?? []).map((v) => v.replayId), ...(x.replayId ? [x.replayId] : [])]);
  };
  const [violation] = ids("examples/storeBuffering.ts", "tso");
  assert.equal(sameOnServer(["replay", "examples/storeBuffering.ts", violation!]).code, 1);
  assert.equal(sameOnServer(["replay", "--json", "examples/storeBuffering.ts", violation!]).code, 1);
  const [threw] = ids("test/cli/fixtures/threadErrors.ts");
  assert.equal(sameOnServer(["replay", "test/cli/fixtures/threadErrors.ts", threw!]).code, 2);
  assert.equal(sameOnServer(["replay", "examples/storeBuffering.ts", "not-an-id"]).code, 2);
});

test("an edited model is checked as edited", () => {
  const file = join(models, "counted.ts");
  const write = (expected: number) =>
    writeFileSync(
      file,
      `import { model } from "pagerace";
export default model("two-adders", (m) => {
  const n = m.location("n");
  for (const name of ["a", "b"]) m.thread(name, function* (t) { yield* t.fetchAdd(n, 1, "relaxed"); });
  m.forall("both counted", (s) => s.int(n) === ${expected});
});
`,
    );
  write(2);
  const first = sameOnServer(["check", file]);
  assert.equal(first.code, 0, first.out + first.err);
  write(3);
  const edited = sameOnServer(["check", file]);
  assert.equal(edited.code, 1, edited.out);
  assert.match(edited.out, /^two-adders .*violation/m);
});

test("each check has the model's modules afresh, not as an earlier check left them", () => {
  const file = join(models, "evaluated.ts");
  writeFileSync(join(models, "evaluatedHelper.ts"), "export const stamp = `${process.pid}.${process.hrtime.bigint()}`;\n");
  writeFileSync(
    file,
    `import { model } from "pagerace";
import { stamp } from "./evaluatedHelper.ts";
// Named by when its helper module was evaluated.
export default model(\`at-\${stamp}\`, (m) => {
  const x = m.location("x");
  m.thread("a", function* (t) { yield* t.write(x, 1, "once"); });
});
`,
  );
  const before = served();
  const names = [run(["check", file], true), run(["check", file], true)].map((r) => /^(at-\S+)/m.exec(r.out)?.[1]);
  assert.equal(served(), before + 2);
  assert.ok(names[0] !== undefined && names[1] !== undefined, String(names));
  assert.notEqual(names[0], names[1]);
});

test("the check runs in the client's folder and environment", () => {
  const file = join(models, "sized.ts");
  writeFileSync(
    file,
    `import { model } from "pagerace";
const threads = Number(process.env.ADDERS ?? 2);
export default model(\`adders-\${threads}\`, (m) => {
  const n = m.location("n");
  for (let i = 0; i < threads; i++) m.thread(\`t\${i}\`, function* (t) { yield* t.fetchAdd(n, 1, "relaxed"); });
  m.forall("all counted", (s) => s.int(n) === threads);
});
`,
  );
  const three = sameOnServer(["check", "sized.ts"], { cwd: models, env: { ADDERS: "3" } });
  assert.match(three.out, /^adders-3 +sc +verified +6 /m);
  const two = sameOnServer(["check", "--json", "sized.ts"], { cwd: models });
  assert.equal(JSON.parse(two.out).results[0].executions, 2);
});

test("what the server cannot run as the client would, the client runs itself", () => {
  const file = join(models, "plain.mjs");
  writeFileSync(
    file,
    `import { model } from "pagerace";
export default model("plain", (m) => {
  const x = m.location("x");
  m.thread("a", function* (t) { yield* t.write(x, 1, "once"); });
  m.forall("stored", (s) => s.int(x) === 1);
});
`,
  );
  // A JavaScript model would stay loaded in the server as first imported, however it is edited.
  const handedBack = () => (JSON.parse(run(["server", "--status", "--json"], true).out) as { handedBack: number }).handedBack;
  const before = [served(), handedBack()];
  const there = run(["check", file], true);
  assert.deepEqual([served(), handedBack()], [before[0], before[1]! + 1], "begun on the server, and handed back");
  assert.match(run(["server", "--status"], true).out, /\d+ commands? served, \d+ handed back to (its client|their clients)/);
  assert.deepEqual(withoutTimes(there), withoutTimes(run(["check", file], false)));
  assert.equal(there.code, 0, there.err);
});

test("a run that outgrows the server's main thread goes on in the client's worker from where it stood", () => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-server-judged-"));
  const judged = join(dir, "judged");
  try {
    // Past its first slice the check stops returning (handedOver.ts): V8's watchdog stops the slice, and the run moves on.
    const there = run(["check", "--json", "test/cli/fixtures/handedOver.ts"], true, { env: { PAGERACE_TEST_JUDGED: judged, PAGERACE_TEST_HANG_AFTER: "4000" } });
    const here = run(["check", "--json", "test/cli/fixtures/handedOver.ts"], false);
    assert.equal(there.code, 0, there.err);
    assert.deepEqual(withoutTimes(there), withoutTimes(here));
    const marks = readFileSync(judged, "utf8");
    const count = (c: string) => marks.split("").filter((m) => m === c).length;
    // The server judged the first slices (as a main thread), the client's worker the rest, from where the stopped slice began.
    assert.ok(count("M") > 0 && count("W") > 0 && count("W") < 5040, `${count("M")} judged in the server, ${count("W")} in the worker`);
    assert.ok(count("M") <= 4001, `${count("M")} judged in the server`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a client does not wait for a server stuck in another check's module: it checks in its own process", async () => {
  const stuck = join(models, "slowToLoad.ts");
  writeFileSync(
    stuck,
    `import { model } from "pagerace";
// Holds the thread that imports it for 5 s.
const until = Date.now() + 5000;
while (Date.now() < until);
export default model("slow", (m) => {
  const x = m.location("x");
  m.thread("a", function* (t) { yield* t.write(x, 1, "once"); });
});
`,
  );
  const before = served();
  const first = spawn(process.execPath, [BIN, "check", stuck], { env: environment(true) });
  const firstClosed = new Promise<number | null>((resolve) => first.on("close", resolve));
  // Once the server has taken the slow check, another client's check runs in its own process.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const started = performance.now();
  const other = run(["check", "examples/storeBuffering.ts"], true);
  assert.equal(other.code, 0, other.err);
  assert.ok(performance.now() - started < 4500, "the client waited for the stuck server");
  assert.equal(await firstClosed, 0);
  assert.equal(served(), before + 1);
});

test("SIGINT to the client stops the check on the server, which prints the table so far", async () => {
  const before = served();
  const { code, out, err } = await interrupt(["check", "--model", "sc", "test/cli/fixtures/budgets.ts"], /eight-adders \[sc\]: [\d,]+ executions/, "SIGINT", {
    PAGERACE_SERVER_DIR: serverDir,
  });
  assert.equal(code, 130, err);
  assert.match(out, /^eight-adders +sc +NOT VERIFIED \(bounded: interrupted by SIGINT\)/m);
  assert.match(out, /^INTERRUPTED by SIGINT: 1 of 2 runs shown/m);
  assert.equal(served(), before + 1);
});

test("litmus on the server prints herd7's blocks, errors and exit codes as its own process does", () => {
  const tests = resolve("../shared/litmus/kernel/tools/memory-model/litmus-tests");
  const untimed = (r: Ran): Ran => ({ ...r, out: r.out.replace(/^Time (\S+) [\d.]+$/gm, "Time $1 T").replace(/"elapsedMs": ?[\d.]+/g, '"elapsedMs":0') });
  const malformed = join(models, "malformed.litmus");
  writeFileSync(malformed, "C malformed\n\n{}\n\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1\n}\n\nexists (x=1)\n");
  for (const args of [
    ["litmus", tests],
    ["litmus", "--json", "--model", "sc", join(tests, "SB+poonceonces.litmus"), join(tests, "MP+pooncerelease+poacquireonce.litmus")],
    ["litmus", "-q", "-cat", "lock.cat", malformed],
  ]) {
    const before = served();
    const there = run(args, true);
    assert.equal(served(), before + 1, `the server did not run ${args.join(" ")}`);
    assert.deepEqual(untimed(there), untimed(run(args, false)), args.join(" "));
  }
  assert.equal(run(["litmus", malformed], true).code, 2);
});

test("one server an installation: a second is refused while the first runs", () => {
  const second = run(["server"], true);
  assert.equal(second.code, 2);
  assert.match(second.err, /a server of this installation runs already \(pid \d+/);
});

test("a node with a heap too small for a check in its main thread: its server declines the check, and the client runs it in its worker", () => {
  const small = (args: readonly string[], server: boolean): Ran => {
    const r = spawnSync(process.execPath, ["--max-old-space-size=512", BIN, ...args], { encoding: "utf8", timeout: 120_000, env: environment(server) });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const started = small(["server", "--detach", "--idle-minutes", "5"], true);
  assert.equal(started.code, 0, started.out + started.err);
  try {
    const there = small(["check", "--json", "examples/storeBuffering.ts"], true);
    const status = small(["server", "--status", "--json"], true);
    assert.equal((JSON.parse(status.out) as { served: number }).served, 0, "the small heap's server ran the check");
    assert.deepEqual(withoutTimes(there), withoutTimes(small(["check", "--json", "examples/storeBuffering.ts"], false)));
  } finally {
    small(["server", "--stop"], true);
  }
});

test("servers started at the same moment, over a socket a killed server left: one keeps the name and serves, the others end", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-servers-at-once-"));
  chmodSync(dir, 0o700);
  const env = { ...environment(true), PAGERACE_SERVER_DIR: dir };
  const start = () => spawn(process.execPath, [BIN, "server", "--idle-minutes", "2"], { env, stdio: "ignore" });
  const listening = async () => {
    for (let waited = 0; waited < 30_000; waited += 100) {
      const status = spawnSync(process.execPath, [BIN, "server", "--status", "--json"], { encoding: "utf8", env });
      if (status.status === 0) return (JSON.parse(status.stdout) as { pid: number }).pid;
      await delay(100);
    }
    throw new Error("no server answered");
  };
  const killed = start();
  await listening();
  killed.kill("SIGKILL");
  await new Promise((resolve) => killed.on("exit", resolve));
  const servers = [start(), start(), start()];
  const ended = servers.map(() => false);
  servers.forEach((s, i) => s.on("exit", () => (ended[i] = true)));
  try {
    const pid = await listening();
    for (let waited = 0; waited < 15_000 && ended.filter(Boolean).length < servers.length - 1; waited += 100) await delay(100);
    assert.deepEqual(servers.filter((_, i) => !ended[i]).map((s) => s.pid), [pid], "one server runs, and it has the socket's name");
    const checked = spawnSync(process.execPath, [BIN, "check", "examples/storeBuffering.ts"], { encoding: "utf8", env });
    assert.equal(checked.status, 0, checked.stderr);
    assert.equal(await listening(), pid);
    assert.match(spawnSync(process.execPath, [BIN, "server", "--status"], { encoding: "utf8", env }).stdout, /1 command served/);
  } finally {
    for (const s of servers) s.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

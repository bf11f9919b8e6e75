// The command line: exit codes, clear errors for bad input, JSON output.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pagerace } from "./pagerace.ts";

test("a missing file is a usage error", () => {
  const r = pagerace("check", "no/such/model.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /no\/such\/model\.ts: no such file or folder/);
});

test("a file that exports no model says what to export", () => {
  const r = pagerace("check", "test/fixtures/noModel.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /exports no model/);
  // Named as the user named it: relative to the working folder.
  assert.match(r.err, /^pagerace: test\/fixtures\/noModel\.ts: exports no model/m);
});

test("a model that throws during exploration is a model error", () => {
  const r = pagerace("check", "test/fixtures/throwsInThread.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /thread A threw: broken model/);
});

test("thread code that never yields is stopped by the watchdog", () => {
  const r = pagerace("check", "--timeout", "1", "test/fixtures/loopsForever.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /looper did not return to the engine within 1 s/);
});

test("a check goes on past a run whose thread never yields: that run is a model error on its row, the others run as before", () => {
  // test/fixtures/spinsAmongOthers.ts: a thread that throws, one that never yields (under SC and TSO), and a model that verifies.
  const r = pagerace("check", "--timeout", "0.5", "test/fixtures/spinsAmongOthers.ts");
  assert.equal(r.code, 2, r.err);
  const rows = r.out.split("\n").filter((l) => /^(throws|spins|after) +(sc|tso) /.test(l));
  assert.deepEqual(
    rows.map((l) => l.split(/ {2,}/).slice(0, 3)),
    [
      ["throws", "sc", "MODEL ERROR"],
      ["spins", "sc", "MODEL ERROR"],
      ["spins", "tso", "MODEL ERROR"],
      ["after", "sc", "verified"],
    ],
  );
  // Each run's error said once, though the check started again past each run that never returned.
  assert.equal(r.err.match(/model 'throws' \[sc\]: thread P0 threw: broken/g)?.length, 1, r.err);
  for (const m of ["sc", "tso"]) {
    assert.equal(r.err.match(new RegExp(`model 'spins' \\[${m}\\]: P0 did not return to the engine within 0\\.5 s`, "g"))?.length, 1, r.err);
    // Below the table too, as a thread that throws is; its row's time is the half second it ran before the watchdog stopped it.
    assert.match(r.out, new RegExp(`^spins \\[${m}\\]: model error: P0 did not return to the engine within 0\\.5 s`, "m"));
    const time = Number(rows.find((l) => l.startsWith("spins") && l.includes(` ${m} `))!.trim().split(/ +/).at(-1));
    assert.ok(time >= 500, `${m}: ${time} ms`);
  }
  assert.match(r.out, /with model errors \((1\.[0-9]|[2-9]\.[0-9]) s\)/, "the total takes the runs the watchdog stopped");
});

test("unknown options are rejected, naming the ones there are", () => {
  const r = pagerace("check", "--frobnicate", "examples/storeBuffering.ts");
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option --frobnicate \(expected one of: --model, .*--time-limit, --max-executions/);
});

test("bad option values say what was expected", () => {
  const cases: [string[], RegExp][] = [
    [["--max-executions", "x"], /--max-executions expects a positive integer, got 'x'/],
    [["--max-executions", "0"], /--max-executions expects a positive integer, got '0'/],
    [["--time-limit", "soon"], /--time-limit expects a positive number of seconds, got 'soon'/],
    [["--model", "arm"], /--model expects sc, tso or lkmm, got 'arm'/],
    [["--json=yes"], /--json takes no value/],
    [["--model"], /--model expects a value/],
  ];
  for (const [args, message] of cases) {
    const r = pagerace("check", "examples/storeBuffering.ts", ...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, message);
  }
  const replay = pagerace("replay", "--frobnicate", "examples/lockOrder.ts", "x");
  assert.equal(replay.code, 2);
  assert.match(replay.err, /unknown option --frobnicate \(expected one of: --json, --width, --timeout, --max-events\)/);
  const scenarios = pagerace("scenarios", "--seed");
  assert.equal(scenarios.code, 2);
  assert.match(scenarios.err, /--seed expects a value/);
});

test("a verified model exits 0 with its row in the table", () => {
  const r = pagerace("check", "examples/storeBuffering.ts");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^model +memory model +expected +verdict +executions +blocked +time \(ms\)/);
  assert.match(r.out, /\nSB +sc +verified +verified +3 +0 +\d+ +OK\n/);
  assert.match(r.out, /all 1 run behaved as declared/);
});

test("--json emits a versioned result whose replay ids replay", () => {
  const r = pagerace("check", "--json", "examples/lockOrder.ts");
  assert.equal(r.code, 0, r.err); // these variants declare what they expect
  const json = JSON.parse(r.out);
  assert.equal(json.format, "pagerace-result");
  assert.equal(json.version, 2);
  const abba = json.results.find((x: { model: string }) => x.model === "ABBA");
  assert.equal(abba.memoryModel, "sc");
  assert.equal(abba.expected, "violation");
  assert.equal(abba.verdict, "violation");
  assert.equal(abba.judgement, "OK");
  assert.equal(abba.violations[0].kind, "deadlock");
  assert.match(abba.violations[0].replayId, /^[0-9a-z]{5}\.sc\./);
  const replayed = pagerace("replay", "examples/lockOrder.ts", abba.violations[0].replayId);
  assert.equal(replayed.code, 1);
  assert.ok(replayed.out.includes(abba.violations[0].trace));
});

test("the usage names pagerace worker and check's scaling options; worker --help describes it", () => {
  const help = pagerace("--help");
  assert.equal(help.code, 0);
  assert.match(help.out, /^ {2}pagerace worker --redis URL \[options\] \[MODEL_FILE\]$/m);
  assert.match(help.out, /--redis URL +coordinate: `pagerace worker --redis URL` processes/);
  const worker = pagerace("worker", "--help");
  assert.equal(worker.code, 0);
  assert.match(worker.out, /^pagerace worker --redis URL/);
  assert.match(worker.out, /--stalled-after S/);
  const missing = pagerace("worker");
  assert.equal(missing.code, 2);
  assert.match(missing.err, /worker needs --redis URL/);
});

test("a replay id made by a pagerace whose explorer took other paths is refused, not replayed into another execution", () => {
  // Printed for FT(2,2)-buggy by the version before awaits waited their turn and symmetry reduction.
  const r = pagerace("replay", "examples/faultTruncate.ts", "wewai.sc.~AQUEAQAEAQA");
  assert.equal(r.code, 2);
  assert.match(r.err, /replay id wewai\.sc\.~AQUEAQAEAQA was made for none of its models .* or by another version of pagerace, whose explorer takes other paths/);
});

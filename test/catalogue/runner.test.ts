// The catalogue runner and its commands, on the toy catalogue of
// test/fixtures/toyScenario.ts: selection, the judgement of each variant
// against its declaration, the table, and `pagerace scenarios` / `scenario`
// end to end (exit codes, JSON, replay, the watchdog).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { judge, runVariant, selectVariants, type ScenarioRun } from "../../src/catalogue/runScenarios.ts";
import { replay } from "../../src/explore/replay.ts";
import { renderColumns } from "../../src/report/columns.ts";
import { renderScenarioTable, renderScenarioTotals } from "../../src/report/scenarioTable.ts";
import { scenarios as toyCatalogue, mislabelled, throwsInThread, toyDeadlock, toyScenario } from "../fixtures/toyScenario.ts";

const TOY = ["--catalogue", "test/fixtures/toyScenario.ts"];

function pagerace(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/pagerace.mjs", ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const run = (id: string, variant: string): ScenarioRun => {
  const scenario = toyCatalogue.find((s) => s.id === id)!;
  return runVariant({ scenario, variant: scenario.variants.find((v) => v.name === variant)! });
};

test("selection: smallest variants by default, id prefixes, seeds written with or without leading zeros", () => {
  const names = (sel: ReturnType<typeof selectVariants>) => sel.map((s) => `${s.scenario.id} ${s.variant.name}`);
  assert.deepEqual(names(selectVariants(toyCatalogue, { filters: ["900-a1"] })), ["900-A1 buggy", "900-A1 buggy-assert", "900-A1 fixed", "900-A1 fixed-tso"]);
  assert.ok(names(selectVariants(toyCatalogue, { filters: ["900-A1"], larger: true })).includes("900-A1 fixed-3"));
  assert.deepEqual(names(selectVariants(toyCatalogue, { filters: ["900"] })), names(selectVariants(toyCatalogue, { seed: "900" })));
  assert.equal(selectVariants(toyCatalogue, { seed: "0900" }).length, 0);
  assert.equal(selectVariants(toyCatalogue, { seed: "903" })[0]!.scenario, throwsInThread);
});

test("every toy variant behaves as declared, each under its own memory model", () => {
  for (const s of [toyScenario, toyDeadlock])
    for (const v of s.variants) {
      const { row } = runVariant({ scenario: s, variant: v });
      assert.ok(row.asDeclared, `${s.id} ${v.name}: ${row.reason}`);
      assert.equal(row.memoryModel, v.memoryModel);
      assert.equal(row.found, v.expect === "race" ? "race" : "verified");
      if (v.expect === "verified") assert.ok(row.exhaustive);
    }
});

test("race kinds: an assertion counts as an invariant race, a waits-for cycle as a deadlock", () => {
  assert.equal(run("900-A1", "buggy-assert").row.violationKind, "assertion");
  assert.equal(run("900-A1", "buggy-assert").row.asDeclared, true);
  const deadlock = run("900-A2", "buggy").row;
  assert.equal(deadlock.violationKind, "deadlock");
  assert.equal(deadlock.message, "deadlock: T1 -> T2 -> T1"); // the first line; the waits follow in the trace
});

test("a race's replay id reproduces its execution", () => {
  const r = run("900-A1", "buggy");
  const id = r.row.replayId!;
  assert.match(id, /^[0-9a-z]{5}\.sc\./);
  const again = replay(r.model!, id);
  const first = r.result!.violations[0]!;
  assert.equal(renderColumns(r.model!, again.graph, again.outcome), renderColumns(r.model!, first.graph, first.outcome));
});

test("wrongly declared variants are mismatches, each with its reason", () => {
  const reasons = mislabelled.variants.map((v) => runVariant({ scenario: mislabelled, variant: v }).row);
  assert.ok(reasons.every((r) => !r.asDeclared));
  assert.match(reasons[0]!.reason!, /^expected verified, found a race: check failed: at most one thread attached the page$/);
  assert.match(reasons[1]!.reason!, /^expected a deadlock race, found an invariant violation: /);
  assert.match(reasons[2]!.reason!, /^expected a race, none in all 2 executions$/);
});

test("verified needs an exhaustive exploration with no thread cut off by the event bound", () => {
  const fixed = toyScenario.variants.find((v) => v.name === "fixed")!;
  const r = run("900-A1", "fixed").result!;
  assert.equal(judge(fixed, r).found, "verified");
  assert.deepEqual(judge(fixed, { ...r, exhaustive: false }).found, "incomplete");
  assert.equal(judge(fixed, { ...r, exhaustive: false }).asDeclared, false);
  const cutOff = run("900-A1", "buggy").result!;
  const v = cutOff.violations[0]!;
  const bounded = { ...cutOff, boundHits: 1, violations: [{ ...v, outcome: { ...v.outcome, violation: { kind: "bound" as const, message: "attach1 did not finish within 2000 events" } } }] };
  const buggy = toyScenario.variants.find((x) => x.name === "buggy")!;
  assert.deepEqual(judge(buggy, bounded), { found: "bound", asDeclared: false, reason: "attach1 did not finish within 2000 events" });
});

test("a verified variant whose witness never happens is vacuous, not verified", () => {
  const fixed = toyScenario.variants.find((v) => v.name === "fixed")!;
  const r = run("900-A1", "fixed");
  const model = r.model!;
  const witnessed = { ...model, checks: [...model.checks, { name: "something happens", kind: "exists" as const, holds: () => true }] };
  const never = { ...model, checks: [...model.checks, { name: "the page is attached twice", kind: "exists" as const, holds: () => false }] };
  assert.equal(judge(fixed, { ...r.result!, existsCounts: [r.result!.executions] }, witnessed).asDeclared, true);
  const vacuous = judge(fixed, { ...r.result!, existsCounts: [0] }, never);
  assert.equal(vacuous.asDeclared, false);
  assert.match(vacuous.reason!, /^vacuous: 'the page is attached twice' held in none of the \d+ executions$/);
});

test("a thread that throws makes an error row, not an abort", () => {
  const { row } = runVariant({ scenario: throwsInThread, variant: throwsInThread.variants[0]! });
  assert.equal(row.found, "error");
  assert.equal(row.asDeclared, false);
  assert.match(row.reason!, /^model error: thread thrower threw: broken model/);
});

test("the table: one aligned line per variant, OK or MISMATCH, and the totals", () => {
  const rows = [run("900-A1", "buggy").row, run("900-A2", "fixed").row];
  const lines = renderScenarioTable(rows).split("\n");
  assert.match(lines[0]!, /^scenario +seed +variant +model +expected +verdict +executions +blocked +time \(ms\) +as declared$/);
  assert.match(lines[2]!, /^900-A1 +900 +buggy +sc +race \(invariant\) +race found \(invariant\) +\d+ +\d+ +\d+ +OK$/);
  assert.match(lines[3]!, /^900-A2 +900 +fixed +sc +verified +verified +2 +\d+ +\d+ +OK$/);
  assert.equal(new Set(lines.slice(2).map((l) => l.indexOf("OK"))).size, 1, "the status column is aligned");
  assert.equal(lines[0]!.indexOf("as declared"), lines[2]!.indexOf("OK"), "under its header");
  assert.match(renderScenarioTotals(rows), /^2 variants, all as expected \(\d+\.\d s\)$/);
  const wrong = renderScenarioTotals([...rows, runVariant({ scenario: mislabelled, variant: mislabelled.variants[2]! }).row]);
  assert.match(wrong, /^3 variants, 1 not as expected .*:\n  901-M1 verified-called-race \[sc\]: expected a race, none in all 2 executions$/);
});

test("pagerace scenarios: the table, exit 0 when all behave as declared", () => {
  const r = pagerace("scenarios", ...TOY, "900");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^900-A1 +900 +fixed-tso +tso +verified +verified .* OK$/m);
  assert.doesNotMatch(r.out, /fixed-3/);
  assert.match(r.out, /\n6 variants, all as expected \(\d+\.\d s\)\n$/);
  const larger = pagerace("scenarios", ...TOY, "--larger", "--quiet", "900-A1");
  assert.equal(larger.code, 0, larger.err);
  assert.match(larger.out, /^900-A1 +900 +fixed-3 /m);
});

test("pagerace scenarios --list: every variant with what it models, nothing explored", () => {
  const r = pagerace("scenarios", ...TOY, "--list", "--larger", "900-A1");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^900-A1  /m);
  assert.match(r.out, /^  fixed-3 +sc +larger +verified /m);
  assert.doesNotMatch(r.out, /executions|all as expected/);
});

test("pagerace scenarios: exit 1 on a mismatch, with the timeline and the command that replays it", () => {
  const r = pagerace("scenarios", ...TOY, "--timeline", "901");
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /race-called-verified .* MISMATCH$/m);
  const replayLine = /^replay: pagerace (scenario 901-M1 --variant race-called-verified --replay (\S+) --catalogue \S+)$/m.exec(r.out);
  assert.ok(replayLine, r.out);
  assert.match(r.out, /✗ check failed: at most one thread attached the page\nreplay: /);
  assert.match(r.out, /3 variants, 3 not as expected/);
  const again = pagerace(...replayLine[1]!.split(" "));
  assert.equal(again.code, 1, again.err);
  assert.match(again.out, /✗ check failed: at most one thread attached the page/);
});

test("pagerace scenarios --json: versioned rows, each race with the replay id of its first violation", () => {
  const r = pagerace("scenarios", ...TOY, "--json", "900-A2");
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.equal(json.format, "pagerace-scenarios");
  assert.equal(json.version, 1);
  const [buggy, fixed] = json.rows;
  assert.deepEqual([buggy.variant, buggy.found, buggy.violationKind, buggy.asDeclared], ["buggy", "race", "deadlock", true]);
  assert.match(buggy.replayId, /^[0-9a-z]{5}\.sc\./);
  assert.deepEqual([fixed.variant, fixed.found, fixed.replayId, fixed.exhaustive], ["fixed", "verified", null, true]);
  const replayed = pagerace("scenario", ...TOY, "900-A2", "--replay", buggy.replayId);
  assert.equal(replayed.code, 1, replayed.err);
  assert.match(replayed.out, /^900-A2 buggy \[sc\], replay /);
  assert.match(replayed.out, /T1 waits in lock_page on B\.locked/);
});

test("pagerace scenario: every variant in full, larger ones too, with replay commands", () => {
  const r = pagerace("scenario", ...TOY, "900-a1", "--quiet");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^900-A1: toy check-then-act on page->mapping \(seed 900, invariant I-TOY\)/);
  assert.match(r.out, /^fixed-3 \[sc, larger\]: three attachers under the page lock\n  expected verified: OK$/m);
  assert.match(r.out, /replay: pagerace scenario 900-A1 --variant buggy --replay \S+ --catalogue test\/fixtures\/toyScenario\.ts/);
  assert.match(r.out, /5 variants, all as expected/);
  const one = pagerace("scenario", ...TOY, "900-A1", "--variant", "fixed", "--json");
  assert.equal(one.code, 0, one.err);
  const rows = JSON.parse(one.out).rows;
  assert.equal(rows.length, 1);
  assert.equal(rows[0].result.verdict, "verified");
});

test("unknown scenarios, variants, seeds and prefixes are usage errors that list the known ones", () => {
  const cases: [string[], RegExp][] = [
    [["scenario", ...TOY, "999-Z9"], /unknown scenario '999-Z9' \(known scenarios: 900-A1, 900-A2, 901-M1, 902-L1, 903-E1\)/],
    [["scenario", ...TOY, "900-A1", "--variant", "nope"], /scenario 900-A1 has no variant 'nope' \(its variants: buggy, buggy-assert, fixed, fixed-tso, fixed-3\)/],
    [["scenarios", ...TOY, "--seed", "7"], /no scenario of seed 007 \(known seeds: 900, 901, 902, 903\)/],
    [["scenarios", ...TOY, "77"], /no scenario has an id starting with '77'/],
    [["scenario", ...TOY, "900-A1", "--variant", "fixed", "--replay", "g3u1l.sc.AAAA"], /replay id g3u1l\.sc\.AAAA was made by none of 900-A1 fixed/],
    [["scenarios", "--catalogue", "examples/faultTruncate.ts"], /exports no scenarios/],
    [["scenario", "NO-SUCH-ID"], /unknown scenario 'NO-SUCH-ID'/],
  ];
  for (const [args, message] of cases) {
    const r = pagerace(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, message);
  }
});

test("model errors exit 2; a thread that never yields is stopped by the watchdog and named with its variant", () => {
  const thrown = pagerace("scenarios", ...TOY, "903");
  assert.equal(thrown.code, 2);
  assert.match(thrown.out, /903-E1 throws \[sc\]: model error: thread thrower threw: broken model/);
  const spun = pagerace("scenarios", ...TOY, "--timeout", "1", "902");
  assert.equal(spun.code, 2);
  assert.match(spun.err, /902-L1 spins: spinner did not return to the engine within 1 s/);
});

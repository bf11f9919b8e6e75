// `pagerace check`: runs per declared memory model in file order, the table
// with and without declarations, timelines with replay commands, the
// exploration budgets, and LKMM data races.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pagerace, row } from "./pagerace.ts";

test("each model runs under each memory model it declares, in file order, judged per model", () => {
  const r = pagerace("check", "test/cli/fixtures/declarations.ts");
  assert.equal(r.code, 1, r.err); // SB wrong about tso: declared verified, TSO shows store buffering
  const table = r.out.split("\n\n")[0]!;
  const models = table.split("\n").filter((l) => l.startsWith("SB ")).map((l) => l.split(/ {2,}/).slice(0, 2).join(" "));
  assert.deepEqual(models, ["SB per model sc", "SB per model tso", "SB per model lkmm", "SB wrong about tso sc", "SB wrong about tso tso", "SB single sc"]);
  assert.match(row(r.out, "SB per model", "tso"), /violation +violation \(invariant\) .* OK$/);
  assert.match(row(r.out, "SB per model", "sc"), /verified +verified .* OK$/);
  assert.match(row(r.out, "SB wrong about tso", "tso"), /verified +violation \(invariant\) .* MISMATCH$/);
  assert.match(r.out, /6 runs: 3 verified, 3 with violations; 5 of 6 declared behaved as declared/);
  assert.match(r.out, /SB wrong about tso \[tso\]: expected verified, found violation \(invariant\)/);
  assert.doesNotMatch(r.out, /all 6 runs behaved as declared/);
});

test("a violation is drawn one line per step with the command that replays it; --events draws every access", () => {
  const r = pagerace("check", "--model", "tso", "test/cli/fixtures/declarations.ts");
  const block = r.out.split("\n\n").find((b) => b.startsWith("SB per model [tso]:"));
  assert.ok(block, r.out);
  const lines = block.split("\n");
  assert.match(lines[1]!, /^P0 +\| P1$/);
  assert.ok(lines.includes("✗ check failed: SB: not both reads see 0"), block);
  const replay = /^replay: (pagerace replay (\S+) (\S+))$/m.exec(block);
  assert.ok(replay, block);
  assert.match(replay[3]!, /^[0-9a-z]{5}\.tso\./);
  // Only the tso run, with the expectation declared for tso.
  assert.equal(r.out.split("\n\n")[0]!.split("\n").filter((l) => /^SB per model /.test(l)).length, 1);
  const again = pagerace("replay", replay[2]!, replay[3]!);
  assert.equal(again.code, 1);
  assert.match(again.out, /\[tso\], replay/);
  assert.match(again.out, /✗ check failed: SB: not both reads see 0/);

  const events = pagerace("check", "--model", "tso", "--events", "test/cli/fixtures/declarations.ts");
  assert.match(events.out, /read y = 0 \[once\] {2}← init/);
  assert.doesNotMatch(r.out, /← init/);
});

test("without declarations there is no OK column and the closing line counts verdicts", () => {
  const r = pagerace("check", "test/cli/fixtures/undeclared.ts");
  assert.equal(r.code, 1);
  const header = r.out.split("\n")[0]!;
  assert.doesNotMatch(header, /expected/);
  assert.match(row(r.out, "lost update", "sc"), /violation \(invariant\) +\d+ +\d+ +\d+$/);
  assert.match(row(r.out, "atomic update", "sc"), /verified +2 +0 +\d+$/);
  assert.match(r.out, /\n2 runs: 1 verified, 1 with violations \(\d+\.\d s\)\n$/);
  assert.doesNotMatch(r.out, /behaved as declared/);
  assert.doesNotMatch(r.out, /OK|MISMATCH/);
});

test("--max-executions ends a huge exploration quickly as NOT VERIFIED (bounded), exit 3", () => {
  const r = pagerace("check", "--max-executions", "100", "--model", "sc", "test/cli/fixtures/budgets.ts");
  assert.equal(r.code, 3, r.err);
  assert.match(row(r.out, "eight-adders", "sc"), /NOT VERIFIED \(bounded: --max-executions 100 reached\) +100 +0 /);
  assert.match(r.out, /not verified/);
  assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
  const json = JSON.parse(pagerace("check", "--json", "--max-executions", "100", "--model", "sc", "test/cli/fixtures/budgets.ts").out);
  const adders = json.results.find((x: { model: string }) => x.model === "eight-adders");
  assert.equal(adders.verdict, "not verified");
  assert.equal(adders.bounded, "--max-executions 100 reached");
  assert.equal(adders.exhaustive, false);
  assert.equal(adders.executions, 100);
});

test("--time-limit stops exploration from inside, under SC and under LKMM", () => {
  const r = pagerace("check", "--time-limit", "1", "--json", "test/cli/fixtures/budgets.ts");
  assert.equal(r.code, 3, r.err);
  const json = JSON.parse(r.out);
  const adders = json.results.find((x: { model: string }) => x.model === "eight-adders");
  assert.equal(adders.bounded, "--time-limit 1 s reached");
  assert.ok(adders.executions > 0 && adders.elapsedMs >= 1000 && adders.elapsedMs < 3000, JSON.stringify(adders.elapsedMs));
  const lkmmAdders = json.results.find((x: { model: string }) => x.model === "lkmm-adders");
  assert.equal(lkmmAdders.memoryModel, "lkmm");
  assert.equal(lkmmAdders.verdict, "not verified");
  assert.equal(lkmmAdders.bounded, "--time-limit 1 s reached");
  assert.ok(lkmmAdders.executions > 0 && lkmmAdders.elapsedMs >= 1000 && lkmmAdders.elapsedMs < 3000, JSON.stringify(lkmmAdders));
  assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
});

test("a long run shows progress on a non-terminal stderr within seconds, under SC and under LKMM", () => {
  const r = pagerace("check", "--time-limit", "4", "--model", "sc", "test/cli/fixtures/budgets.ts");
  assert.equal(r.code, 3);
  assert.match(r.err, /^eight-adders \[sc\]: [\d,]+ executions, 0 blocked, [\d,]+\/s, [2-4]\.\d s$/m);
  const lkmm = pagerace("check", "--time-limit", "3", "test/cli/fixtures/budgets.ts");
  assert.match(lkmm.err, /^lkmm-adders \[lkmm\]: [\d,]+ executions, 0 blocked, [\d,]+\/s, [23]\.\d s$/m);
});

test("LKMM data races on plain accesses are a warning naming both accesses, marked in the trace", () => {
  const r = pagerace("check", "test/cli/fixtures/dataRaces.ts");
  assert.equal(r.code, 0, r.err);
  assert.match(row(r.out, "MP plain payload", "lkmm"), /verified, data race/);
  assert.match(row(r.out, "MP marked", "lkmm"), /verified +\d/);
  assert.match(
    r.out,
    /^warning: MP plain payload \[lkmm\]: data race in \d+ of \d+ executions: producer: write data = 42 \(plain\), in step "fill" and consumer: read data = \d+ \(plain\), in step "consume"$/m,
  );
  assert.doesNotMatch(r.out, /MP marked \[lkmm\]: data race/);
  const block = r.out.split("\n\n").find((b) => b.startsWith("warning: MP plain payload"))!;
  assert.match(block, /fill: data:=42 \[RACE\]/);
  assert.match(block, /consume: data=\d+ \[RACE\]/);
  const id = /^replay: pagerace replay \S+ (\S+)$/m.exec(block)![1]!;
  const replayed = pagerace("replay", "test/cli/fixtures/dataRaces.ts", id);
  assert.equal(replayed.code, 0);
  assert.match(replayed.out, /data := 42 \[RACE\]/);
  assert.match(replayed.out, /^data race: producer: write data = 42 \(plain\)/m);
});

test("--races-are-violations makes a data race a violation (exit 1); JSON carries the racing pair", () => {
  const r = pagerace("check", "--races-are-violations", "test/cli/fixtures/dataRaces.ts");
  assert.equal(r.code, 1);
  assert.match(row(r.out, "MP plain payload", "lkmm"), /violation \(data race\)/);
  assert.match(r.out, /^violation: MP plain payload \[lkmm\]: data race/m);
  const json = JSON.parse(pagerace("check", "--json", "--races-are-violations", "test/cli/fixtures/dataRaces.ts").out);
  const [plain, marked] = json.results;
  assert.equal(plain.verdict, "violation");
  assert.equal(plain.dataRaces.violation, true);
  assert.deepEqual(plain.dataRaces.first.accesses, [[{ thread: 0, index: 0 }, { thread: 1, index: 1 }]]);
  assert.match(plain.dataRaces.first.replayId, /\.lkmm\./);
  assert.equal(marked.verdict, "verified");
  assert.equal(marked.dataRaces.executions, 0);
  // Under SC there is no notion of a data race: nothing is looked for.
  const sc = JSON.parse(pagerace("check", "--json", "--model", "sc", "--races-are-violations", "test/cli/fixtures/dataRaces.ts").out);
  assert.equal(sc.results[0].verdict, "verified");
  assert.equal(sc.results[0].dataRaces, null);
});

test("a model that cannot be run is a row of its own; the file's other models still run, and the exit code is 2", () => {
  const r = pagerace("check", "test/cli/fixtures/modelErrors.ts");
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(row(r.out, "before", "sc"), /verified +verified .* OK$/);
  assert.match(row(r.out, "broken", "sc"), /MODEL ERROR +— +— /);
  assert.match(row(r.out, "after", "sc"), /violation \(invariant\)/);
  assert.match(r.err, /^pagerace: test\/cli\/fixtures\/modelErrors\.ts: model 'broken' \[sc\]: thread A created t\.write\(x, \.\.\.\) and never ran it/m);
  assert.match(r.out, /3 runs: 1 verified, 1 with violations, 1 with model errors/);

  const json = pagerace("check", "--json", "test/cli/fixtures/modelErrors.ts");
  assert.equal(json.code, 2);
  const results = (JSON.parse(json.out) as { results: { model: string; verdict: string; error?: string }[] }).results;
  assert.deepEqual(results.map((x) => [x.model, x.verdict]), [["before", "verified"], ["broken", "model error"], ["after", "violation"]]);
  assert.match(results[1]!.error!, /never ran it/);
});

test("check --estimate: each run's estimated size, without exploring, and no table", () => {
  const r = pagerace("check", "--estimate", "examples/storeBuffering.ts", "examples/lockOrder.ts");
  assert.equal(r.code, 0, r.err);
  // SB's tree is uniform enough that every descent finds its 3 explorations.
  assert.match(r.out, /^SB \[sc\]: about 3 explorations \(.*1000 descents\), about 3 executions$/m);
  assert.match(r.out, /^lock_page twice \[sc\]: about 1 exploration \(exact: every descent agreed, 1000 descents\), no complete execution/m);
  assert.doesNotMatch(r.out, /verdict|VERIFIED/);
});

// herd7's block, byte for byte: pagerace's block for a few corpus tests
// against the stored herd7 outputs (Time and Hash lines aside), and the
// position of the lines herd prints only sometimes (Flag, Hash, Time).

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadLitmusFile } from "../../../src/litmus/run/loadLitmusFile.ts";
import { runLitmus, type LitmusRun } from "../../../src/litmus/run/runLitmus.ts";
import { herdVerdict } from "../../../src/litmus/run/herdVerdict.ts";
import { compareHerdValues } from "../../../src/litmus/run/stateOrder.ts";
import { lkmm } from "../../../src/models/lkmm/index.ts";
import { Loc } from "../../../src/program/value.ts";
import { renderHerdBlock } from "../../../src/report/herd/herdBlock.ts";
import { parseHerdOutput } from "../../../src/report/herd/herdOutput.ts";

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../shared/litmus");

/** herd's stored block without the lines pagerace does not reproduce (Time, Hash), ending with its blank line. */
function storedBlock(answerFile: string): string {
  const text = readFileSync(answerFile, "utf8");
  const block = text.slice(0, text.indexOf("\n\n") + 2);
  return block
    .split("\n")
    .filter((l) => !l.startsWith("Time ") && !l.startsWith("Hash="))
    .join("\n");
}

const SAMPLES = [
  // pointer values and their order, `locations`, ten columns
  "herdtools7-catalogue-linux/C-RomanPenyaev-list-rcu-rr.litmus",
  // a filter that leaves nothing: States 0, Never 0 0
  "kernel/Documentation/litmus-tests/locking/RM-broken.litmus",
  // one state, two executions
  "kernel/Documentation/litmus-tests/atomic/Atomic-RMW-ops-are-atomic-WRT-atomic_set.litmus",
  "kernel/tools/memory-model/litmus-tests/SB+poonceonces.litmus",
  "kernel/tools/memory-model/litmus-tests/IRIW+fencembonceonces+OnceOnce.litmus",
];

for (const sample of SAMPLES) {
  const file = path.join(corpus, sample);
  const answer = [`${file}.herd7`, `${file}.expected`].find(existsSync);
  test(`herd block as herd7 prints it: ${path.basename(sample)}`, (t) => {
    if (answer === undefined) return t.skip(`corpus not found at ${corpus}`);
    const load = loadLitmusFile(file, sample);
    assert.equal(load.kind, "compiled");
    if (load.kind !== "compiled") return;
    const block = renderHerdBlock(runLitmus(load.compiled, { memoryModel: lkmm }), { time: false });
    assert.equal(block, storedBlock(answer));
  });
}

const RUN: LitmusRun = {
  name: "T",
  quantifier: "~exists",
  expectation: "Forbidden",
  conditionText: "~exists (0:r0=1)",
  states: ["0:r0=0;", "0:r0=1;"],
  holds: 1,
  fails: 2,
  flags: ["data-race"],
  verdict: herdVerdict("~exists", 1, 2),
  hash: "0123",
  memoryModel: "lkmm",
  strategy: "candidates",
  uncounted: { filtered: 0, blocked: 0, deadlock: 0, error: 0, bound: 0 },
  elapsedMs: 12.3,
};

test("Flag lines sit between the witnesses and the Condition; Time and Hash end the block", () => {
  assert.equal(
    renderHerdBlock(RUN),
    [
      "Test T Forbidden",
      "States 2",
      "0:r0=0;",
      "0:r0=1;",
      "No",
      "Witnesses",
      "Positive: 2 Negative: 1",
      "Flag data-race",
      "Condition ~exists (0:r0=1)",
      "Observation T Sometimes 1 2",
      "Time T 0.01",
      "Hash=0123",
      "",
      "",
    ].join("\n"),
  );
});

test("the block reads back as the same answer", () => {
  const parsed = parseHerdOutput(renderHerdBlock(RUN));
  assert.equal(parsed.kind, "answer");
  if (parsed.kind !== "answer") return;
  assert.deepEqual(parsed.answer, {
    name: "T",
    expectation: "Forbidden",
    states: RUN.states,
    ok: false,
    positive: 2,
    negative: 1,
    flags: ["data-race"],
    condition: "~exists (0:r0=1)",
    observation: "Sometimes",
    holds: 1,
    fails: 2,
    hash: "0123",
  });
});

test("herd's error output reads back as an error", () => {
  const parsed = parseHerdOutput('Warning: File "x.litmus": Cannot find the size of type spinlock_t\n');
  assert.deepEqual(parsed, { kind: "error", message: 'Warning: File "x.litmus": Cannot find the size of type spinlock_t' });
});

test("herd's verdict for each quantifier", () => {
  assert.deepEqual(herdVerdict("exists", 0, 0), { ok: false, witnesses: { positive: 0, negative: 0 }, observation: "Never" });
  assert.deepEqual(herdVerdict("exists", 2, 0), { ok: true, witnesses: { positive: 2, negative: 0 }, observation: "Always" });
  assert.deepEqual(herdVerdict("~exists", 2, 5), { ok: false, witnesses: { positive: 5, negative: 2 }, observation: "Sometimes" });
  assert.deepEqual(herdVerdict("~exists", 0, 5), { ok: true, witnesses: { positive: 5, negative: 0 }, observation: "Never" });
  assert.deepEqual(herdVerdict("forall", 4, 0), { ok: true, witnesses: { positive: 4, negative: 0 }, observation: "Always" });
  assert.deepEqual(herdVerdict("forall", 4, 1), { ok: false, witnesses: { positive: 4, negative: 1 }, observation: "Sometimes" });
});

test("value order: integers numerically, then locations by name", () => {
  const x = new Loc(0, "x");
  const y = new Loc(1, "y");
  const values = [y, 10, x, -1, 2, 0];
  assert.deepEqual(values.sort(compareHerdValues), [-1, 0, 2, 10, x, y]);
});

// The shared conformance corpus (../shared/litmus beside the repository):
// every test parses and compiles; every final state reachable under SC
// prints exactly as one of herd7's LKMM `States` lines; the `Condition`
// line matches herd's; the primitive table is linux-kernel.def's.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileLitmus, parseLitmus, PRIMITIVES } from "../../src/litmus/index.ts";
import { scOutcomes } from "./scOutcomes.ts";
import { litmusFilesUnder } from "../../src/litmus/run/litmusFiles.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = path.resolve(repoRoot, "../shared/litmus");

const files = existsSync(corpus) ? litmusFilesUnder(corpus) : [];

test("the corpus is there: 126 litmus tests", () => {
  assert.ok(existsSync(corpus), `corpus not found at ${corpus}`);
  assert.ok(files.length >= 126, `only ${files.length} .litmus files`);
});

/** herd7's answer for a test: its States lines, Condition line and verdict, when it produced them. */
function herdAnswer(file: string): { states: Set<string>; condition?: string; verdict?: string } | undefined {
  const answer = [`${file}.expected`, `${file}.herd7`].find(existsSync);
  if (answer === undefined) return undefined;
  const text = readFileSync(answer, "utf8");
  const states = /^States \d+\n([\s\S]*?)^(?:Ok|No)$/m.exec(text);
  if (!states) return undefined; // herd stopped with an error (spinlock_t in two kernel tests)
  return {
    states: new Set(states[1]!.split("\n").map((l) => l.trim()).filter((l) => l !== "")),
    condition: /^Condition (.*)$/m.exec(text)?.[1],
    verdict: /^Observation \S+ (\w+)/m.exec(text)?.[1],
  };
}

for (const file of files) {
  const rel = path.relative(corpus, file);
  test(`corpus: ${rel}`, () => {
    const compiled = compileLitmus(parseLitmus(readFileSync(file, "utf8"), rel));
    assert.ok(compiled.model.threads.length > 0);
    const herd = herdAnswer(file);
    if (herd === undefined) return;
    if (herd.condition !== undefined) assert.equal(compiled.conditionText, herd.condition);
    const sc = scOutcomes(compiled.model);
    assert.ok(!sc.exhausted, "SC exploration too large");
    const kept = sc.finals.filter((s) => compiled.filter(s));
    for (const s of kept) {
      const line = compiled.formatState(s);
      assert.ok(herd.states.has(line), `SC state not among herd's States: ${line}\nherd: ${[...herd.states].join("\n      ")}`);
    }
    if (herd.verdict === "Never") {
      assert.equal(kept.filter((s) => compiled.evaluate(s)).length, 0, "herd says Never, yet an SC execution satisfies the condition");
    }
  });
}

test("the spinlock_t tests herd7 cannot run still compile, with lock operations", () => {
  for (const name of ["ISA2+pooncelock+pooncelock+pombonce.litmus", "MP+polocks.litmus"]) {
    const file = path.join(corpus, "kernel/tools/memory-model/litmus-tests", name);
    const compiled = compileLitmus(parseLitmus(readFileSync(file, "utf8"), name));
    assert.equal(compiled.expectation, "Allowed");
    const sc = scOutcomes(compiled.model);
    assert.ok(sc.finals.length > 0);
    assert.equal(sc.finals.filter((s) => compiled.evaluate(s)).length, 0, `${name}: Result: Never`);
  }
});

test("the primitive table is exactly the macros of linux-kernel.def", () => {
  const def = readFileSync(path.join(corpus, "model/linux-kernel.def"), "utf8");
  const defined = new Set([...def.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)\(/gm)].map((m) => m[1]!));
  assert.ok(defined.size > 100);
  assert.deepEqual([...PRIMITIVES.keys()].filter((n) => !defined.has(n)), []);
  assert.deepEqual([...defined].filter((n) => !PRIMITIVES.has(n)), []);
  for (const line of def.split("\n")) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\(([^)]*)\)/.exec(line);
    if (!m) continue;
    const arity = m[2]!.trim() === "" ? 0 : m[2]!.split(",").length;
    assert.equal(PRIMITIVES.get(m[1]!)!.args.length, arity, `arity of ${m[1]}`);
  }
});

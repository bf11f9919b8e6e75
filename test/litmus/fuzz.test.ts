// A few thousand hostile litmus inputs through the front end, in this
// process: corpus tests and grammar-generated ones, mutated (flipped
// characters, edited tokens, truncation, huge numbers, unicode and escape
// sequences, megabyte identifiers, nesting to 20,000, 0 and 40 processes,
// 10,000-line bodies, chains of thousands of operators). Every input must
// be accepted or rejected at a real `file:line:col`, with a message that is
// safe to print and quotes little of the input; none may crash or take
// long. `npm run fuzz` runs 100,000 and the CLI (scripts/fuzz.ts).

import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzzInput } from "./fuzz/fuzzInput.ts";
import { FuzzTally } from "./fuzz/fuzzTally.ts";
import { judgeLitmusInput } from "./fuzz/judgeLitmusInput.ts";
import { loadLitmusCorpus } from "./fuzz/litmusCorpus.ts";
import type { MutationKind } from "./fuzz/litmusMutations.ts";

const SEED = 20261206;
const COUNT = 2000;
/** CPU per input, reading and a 20 ms exploration together; a hung parser would blow far past it. */
const SLOW_MS = 5000;

test(`${COUNT} fuzz inputs (seed ${SEED}): no crash, no rejection without location, no unsafe message, none slow`, () => {
  const corpus = loadLitmusCorpus();
  if (corpus.texts.length === 0) console.log(`# no corpus at ${corpus.folder}: grammar-generated inputs only`);
  const tally = new FuzzTally();
  const kinds = new Set<MutationKind>();
  for (let i = 0; i < COUNT; i++) {
    const input = fuzzInput(SEED, i, corpus.texts);
    input.mutations.forEach((k) => kinds.add(k));
    // CPU time, not wall time: on a shared machine a busy neighbour must not make an input look slow.
    const started = process.cpuUsage();
    tally.add(i, judgeLitmusInput(input.text, `fuzz-${i}.litmus`, { explorationMs: 20 }));
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    if (ms > SLOW_MS) tally.example(`#${i} took ${Math.round(ms)} ms of CPU (${input.mutations.join(", ")})`);
  }
  const report = [...tally.lines(), ...tally.examples].join("\n");
  assert.equal(tally.failures, 0, report);
  assert.deepEqual(tally.examples, [], report);
  // The inputs did their job: every kind of mutation was drawn, and both answers occur in numbers.
  assert.equal(kinds.size, 12, `mutation kinds drawn: ${[...kinds].join(", ")}`);
  assert.ok(tally.accepted > COUNT / 20 && tally.rejectedLocated > COUNT / 2, report);
});

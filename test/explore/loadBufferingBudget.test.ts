// When a program has too many thread runs to rule out load buffering, LKMM
// exploration still runs (optimally) but never calls the result verified.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { loadBufferingOf } from "../../src/explore/loadBuffering.ts";
import { ThreadReplayer } from "../../src/runtime/threadReplayer.ts";
import { verdictOf } from "../../src/report/verdict.ts";

/** The reader has 2^n runs to the analysis (each read 0 or 1), but coherence leaves n + 1 executions. */
const manyReads = (n: number) =>
  model(`${n}-reads`, (m) => {
    const x = m.location("x");
    m.thread("writer", function* (t) {
      yield* t.write(x, 1, "release");
    });
    m.thread("reader", function* (t) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += yield* t.read(x, "acquire");
      return { sum };
    });
  });

test("the load-buffering analysis answers unknown past its run budget", () => {
  const md = manyReads(8);
  assert.equal(loadBufferingOf(md, new ThreadReplayer(md, 2000)), "no");
  assert.equal(loadBufferingOf(md, new ThreadReplayer(md, 2000), 100), "unknown");
});

test("an undecided LKMM exploration is reported incomplete, not verified", () => {
  const md = manyReads(19); // 2^19 reader runs: past the default budget
  const r = explore(md, { memoryModel: memoryModelNamed("lkmm") });
  assert.equal(r.strategy, "optimal");
  assert.equal(r.violations.length, 0);
  assert.equal(r.executions, 20);
  assert.equal(r.exhaustive, false);
  assert.match(r.incomplete!, /load buffering/);
  const v = verdictOf(r);
  assert.equal(v.found, "not verified");
  assert.match(v.text, /^NOT VERIFIED/);
});

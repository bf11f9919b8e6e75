// Differential test of the exploration strategies on random LKMM litmus
// tests: the default (the optimal explorer, unless the load-buffering
// pre-check sends the program to candidates) against candidate enumeration,
// herd's own method and the brute-force oracle. Every figure of herd's
// answer must agree: the verdict, Positive and Negative, the states and the
// flags. A missed execution under the default shows here as fewer
// executions or a lost state. Every third program is also run with empty
// `if`s inserted after its reads, which must change nothing: the check on
// the front end's control dependencies, which both strategies share.
//
// PAGERACE_DIFFERENTIAL_PROGRAMS sets how many programs (default 300),
// PAGERACE_DIFFERENTIAL_SEED the first seed (default 1).

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomLkmmLitmus, withEmptyBranches } from "./randomLkmmLitmus.ts";
import { bothStrategies, figures, runLkmm } from "./lkmmStrategies.ts";

const PROGRAMS = Number(process.env.PAGERACE_DIFFERENTIAL_PROGRAMS ?? 300);
const FIRST_SEED = Number(process.env.PAGERACE_DIFFERENTIAL_SEED ?? 1);

test(`LKMM litmus: the default strategy = candidates on ${PROGRAMS} random tests`, () => {
  let optimal = 0;
  let sometimes = 0;
  for (let seed = FIRST_SEED; seed < FIRST_SEED + PROGRAMS; seed++) {
    const text = randomLkmmLitmus(seed);
    const { auto, oracle, chosen } = bothStrategies(text);
    assert.deepEqual(auto, oracle, `seed ${seed} (${chosen}):\n${text}`);
    if (chosen === "optimal") optimal++;
    if (seed % 3 === 0) {
      const branching = withEmptyBranches(text);
      assert.deepEqual(figures(runLkmm(branching)), oracle, `seed ${seed}, with empty branches:\n${branching}`);
    }
    if (auto.observation === "Sometimes") sometimes++;
  }
  // The comparison says something only if both strategies and both kinds of answer occur.
  assert.ok(optimal >= PROGRAMS / 3, `only ${optimal} programs explored optimally`);
  assert.ok(PROGRAMS - optimal >= PROGRAMS / 10, `only ${PROGRAMS - optimal} programs may load-buffer`);
  assert.ok(sometimes >= PROGRAMS / 10, `only ${sometimes} conditions are sometimes met`);
});

// Under LKMM, the optimal explorer (used when a program cannot load-buffer)
// finds the same executions as herd7-style candidate enumeration.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, formatValue } from "../../src/index.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { randomProgram } from "../support/randomProgram.ts";

test("LKMM: optimal = candidates on 150 random programs", () => {
  let compared = 0;
  for (let seed = 9000; seed < 9150; seed++) {
    const { model, text } = randomProgram(seed);
    const states = (strategy: "optimal" | "candidates") => {
      const seen = new Set<string>();
      const r = explore(model, {
        memoryModel: lkmm,
        strategy,
        stopOnViolation: false,
        onExecution: (g, o) => {
          if (o.status !== "blocked") seen.add(`${o.status} ${g.finalValues().map(formatValue)} ${JSON.stringify(o.ends)}`);
        },
      });
      return { r, seen: [...seen].sort() };
    };
    const auto = explore(model, { memoryModel: lkmm, stopOnViolation: false, countDuplicates: false });
    if (auto.strategy !== "optimal") continue;
    const opt = states("optimal");
    const cand = states("candidates");
    const counts = (r: typeof opt.r) => [r.executions, r.deadlocks, r.assertionFailures];
    assert.deepEqual(counts(opt.r), counts(cand.r), `seed ${seed}: ${text}`);
    assert.equal(opt.r.duplicates, 0);
    assert.deepEqual(opt.seen, cand.seen, `seed ${seed}`);
    compared++;
  }
  assert.ok(compared > 50, `only ${compared} programs could not load-buffer`);
});

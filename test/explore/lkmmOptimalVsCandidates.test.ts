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

test("LKMM: an SRCU unlock added last is still checked (the grace-period guarantee holds)", async () => {
  const { readFileSync } = await import("node:fs");
  const { compileLitmus, parseLitmus } = await import("../../src/litmus/index.ts");
  const file = new URL("../fixtures/srcuGracePeriod.litmus", import.meta.url);
  const compiled = compileLitmus(parseLitmus(readFileSync(file, "utf8"), "srcuGracePeriod.litmus"));
  for (const strategy of ["optimal", "candidates"] as const) {
    let witnesses = 0;
    const r = explore(compiled.model, {
      memoryModel: lkmm,
      strategy,
      stopOnViolation: false,
      onExecution: (_, o) => {
        if (o.status === "complete" && compiled.evaluate(o.final)) witnesses++;
      },
    });
    assert.equal(witnesses, 0, `${strategy}: a reader saw x=1 but missed y=1 across synchronize_srcu()`);
    assert.equal(r.executions, 3, strategy);
  }
});

test("LKMM: optimal = candidates on 100 random RCU/SRCU litmus tests", async () => {
  const { compileLitmus, parseLitmus } = await import("../../src/litmus/index.ts");
  const { randomRcuLitmus } = await import("../support/randomRcuLitmus.ts");
  for (let seed = 1; seed <= 100; seed++) {
    const model = compileLitmus(parseLitmus(randomRcuLitmus(seed), `rcu-${seed}.litmus`)).model;
    const auto = explore(model, { memoryModel: lkmm, stopOnViolation: false });
    const cand = explore(model, { memoryModel: lkmm, strategy: "candidates", stopOnViolation: false, countDuplicates: false });
    assert.deepEqual([auto.executions, auto.deadlocks, auto.duplicates], [cand.executions, cand.deadlocks, 0], `seed ${seed}`);
  }
});

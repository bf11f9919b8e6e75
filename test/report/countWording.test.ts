// The verdict and the run report count in words that agree with the count:
// one execution is "the only execution", and under symmetry reduction the
// counts are of classes of executions and are said so; a run with
// symmetry reduction off says so once.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { verdictOf } from "../../src/report/verdict.ts";
import { renderRunReport } from "../../src/report/runReport.ts";
import { executionCount } from "../../src/report/executionCount.ts";
import { pagerace } from "../cli/pagerace.ts";

const oneWriter = model("one writer", (m) => {
  const x = m.location("x");
  m.thread("P0", function* (t) {
    yield* t.write(x, 1);
  });
});

/** Two identical writers of the same value: two executions (the two coherence orders), one class of them. */
const twinWriters = model("twin writers", (m) => {
  const x = m.location("x");
  for (const name of ["A", "B"])
    m.thread(
      name,
      function* (t) {
        yield* t.write(x, 1);
      },
      { identical: "writer" },
    );
});

test("counts in words: singular for one, classes under symmetry reduction", () => {
  assert.equal(executionCount(1, false), "1 execution");
  assert.equal(executionCount(1234, false), "1,234 executions");
  assert.equal(executionCount(1, true), "1 class of executions");
  assert.equal(executionCount(3, true, "violating"), "3 classes of violating executions");
  assert.equal(executionCount(1, false, "violating"), "1 violating execution");
});

test("a verified run of one execution says the only execution, not all 1 executions", () => {
  const r = explore(oneWriter, {});
  assert.equal(r.executions, 1);
  assert.equal(verdictOf(r).text, "verified: the only execution explored, no violation");
  const bounded = explore(oneWriter, { maxExecutions: 0 });
  assert.doesNotMatch(verdictOf(bounded).text, /\b1 executions\b/);
});

test("under symmetry reduction the verdict counts classes; without it, executions", () => {
  const reduced = explore(twinWriters, {});
  const full = explore(twinWriters, { symmetry: false });
  assert.equal(reduced.symmetry?.reduced, true);
  assert.equal(reduced.executions, 1);
  assert.equal(full.executions, 2);
  assert.equal(verdictOf(reduced).text, "verified: the only class of executions explored, no violation");
  assert.equal(verdictOf(full).text, "verified: all 2 executions explored, no violation");
});

test("symmetry reduction turned off is said once, with the identical threads", () => {
  const full = explore(twinWriters, { symmetry: false });
  const report = renderRunReport(twinWriters, full, { detail: "events", replayIds: [], replayCommand: (id) => id, racesAreViolations: false }).join("\n");
  assert.equal(report.match(/symmetry reduction/g)?.length, 1, report);
  assert.match(report, /^twin writers \[sc\]: symmetry reduction turned off: identical threads A ~ B, every execution counted$/m);
  const cli = pagerace("check", "--all", "--no-symmetry", "test/cli/fixtures/identicalThreads.ts");
  assert.equal(cli.out.match(/symmetry reduction/g)?.length, 1, cli.out);
});

test("an exists count of a run that stopped at its first violation is out of the executions explored", () => {
  const racing = model("stops early", (m) => {
    const x = m.location("x");
    for (const name of ["A", "B", "C"])
      m.thread(name, function* (t) {
        yield* t.write(x, name === "A" ? 1 : 2);
      });
    m.exists("x ends 1", (s) => s.int(x) === 1);
    m.forall("x never ends 2", (s) => s.int(x) !== 2);
  });
  const report = (stopOnViolation: boolean) => {
    const r = explore(racing, { stopOnViolation });
    const opts = { detail: "steps" as const, width: 100, replayIds: [], replayCommand: (id: string) => id, racesAreViolations: false };
    return { r, text: renderRunReport(racing, r, opts).join("\n") };
  };
  const early = report(true);
  assert.ok(!early.r.exhaustive && early.r.executions < 6);
  assert.match(early.text, new RegExp(`exists "x ends 1": in \\d+ of ${early.r.executions} executions? explored before the run stopped$`, "m"));
  const whole = report(false);
  assert.match(whole.text, /exists "x ends 1": in 2 of 6 executions$/m);
});

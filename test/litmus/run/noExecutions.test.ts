// A test whose every execution stops on a run-time error (here: dereferencing
// a name that holds no pointer) has no final state to judge. The run must be
// marked incomplete, with the first error (reporters then print NOT VERIFIED),
// instead of reading as "Never" over zero executions; a test in which only
// some executions stop that way still gets its verdict.

import { test } from "node:test";
import assert from "node:assert/strict";
import { compileLitmus, parseLitmus } from "../../../src/litmus/index.ts";
import { runLitmus } from "../../../src/litmus/run/runLitmus.ts";
import { lkmm } from "../../../src/models/lkmm/index.ts";
import { sc } from "../../../src/models/sc.ts";

const run = (text: string, strategy?: "candidates") =>
  runLitmus(compileLitmus(parseLitmus(text, "t.litmus")), { memoryModel: lkmm, strategy });

// `q` is neither a parameter nor a location: a register that starts at 0.
const ALWAYS = `C always-an-error
{}
P0(int *x) {
	int r1;
	r1 = READ_ONCE(*q);
}
exists (0:r1=0)
`;

test("every execution stopping on an error makes the run incomplete, naming the first error's place", () => {
  for (const strategy of [undefined, "candidates"] as const) {
    const r = run(ALWAYS, strategy);
    assert.deepEqual([r.holds, r.fails], [0, 0]);
    assert.ok(r.uncounted.error > 0);
    assert.match(r.incomplete ?? "", /every execution stops on an error.*t\.litmus:5:7: .*expected a pointer/);
  }
});

// P1 dereferences what it read from p only when that was not the initial 0.
const SOMETIMES = `C sometimes-an-error
{ int *p = 0; }
P0(int **p, int *x) {
	WRITE_ONCE(*p, 1);
}
P1(int **p) {
	int r1;
	int r2;
	r1 = READ_ONCE(*p);
	if (r1 != 0)
		r2 = READ_ONCE(*r1);
}
exists (1:r1=0)
`;

test("a test where only some executions stop on an error keeps its verdict over the others", () => {
  const r = runLitmus(compileLitmus(parseLitmus(SOMETIMES, "t.litmus")), { memoryModel: sc });
  assert.equal(r.uncounted.error, 1);
  assert.deepEqual([r.holds, r.fails], [1, 0]);
  assert.equal(r.verdict.observation, "Always");
  assert.equal(r.incomplete, undefined);
});

// Macros earlier linux-kernel.def versions had: older public litmus tests call
// them, so they compile, to what the current model makes of them.

import { test } from "node:test";
import assert from "node:assert/strict";
import { LEGACY_PRIMITIVES, PRIMITIVES } from "../../src/litmus/index.ts";
import { compile, deps, driveThread, summarize } from "./driveThread.ts";
import { bothStrategies } from "./lkmmStrategies.ts";

test("legacy macros are kept apart from the current linux-kernel.def table", () => {
  for (const name of LEGACY_PRIMITIVES.keys()) assert.equal(PRIMITIVES.has(name), false, name);
  assert.deepEqual([...LEGACY_PRIMITIVES.keys()].sort(), ["lockless_dereference", "smp_read_barrier_depends"]);
});

test("lockless_dereference is a once load whose value carries an address dependency; smp_read_barrier_depends yields nothing", () => {
  const c = compile(`C legacy
{ int *p = &a; }
P0(int **p) {
	int *r1; int r2;
	r1 = lockless_dereference(*p);
	smp_read_barrier_depends();
	r2 = READ_ONCE(*r1);
}
exists (0:r2=0)
`);
  const a = c.locations.get("a")!;
  const run = driveThread(c, "P0", [a, 7]);
  assert.deepEqual(run.ops.map(summarize), [
    { kind: "read", loc: "p", mode: "once" },
    { kind: "read", loc: "a", mode: "once" },
  ]);
  assert.deepEqual(deps(run.ops[1]!).addr, [0]);
  assert.equal(run.result.r2, 7);
});

// The same message-passing shape, once with the legacy spellings and once with
// today's: the verdicts (explorer and candidate oracle) must be identical.
const shape = (deref: string, barrier: string) => `C MP+assign+deref
{ int *p = &a; }
P0(int **p, int *b) {
	WRITE_ONCE(*b, 1);
	rcu_assign_pointer(*p, b);
}
P1(int **p) {
	int *r1; int r2;
	r1 = ${deref}(*p);
	${barrier}
	r2 = READ_ONCE(*r1);
}
exists (1:r1=b /\\ 1:r2=0)
`;

test("a test written with the legacy macros has the verdict of its modern spelling", () => {
  const legacy = bothStrategies(shape("lockless_dereference", "smp_read_barrier_depends();"));
  const modern = bothStrategies(shape("rcu_dereference", ""));
  assert.deepEqual(legacy.auto, legacy.oracle);
  assert.deepEqual(legacy.oracle, modern.oracle);
  assert.equal(modern.oracle.observation, "Never");
});

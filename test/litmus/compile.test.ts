// The compiled threads, driven by hand: which operations they yield (kind,
// location, mode, tags), with which dependencies, and what registers they
// end with, for the representative shapes of LKMM litmus tests.

import { test } from "node:test";
import assert from "node:assert/strict";
import { LitmusRuntimeError } from "../../src/litmus/index.ts";
import type { Operation } from "../../src/program/operation.ts";
import type { Loc } from "../../src/program/value.ts";
import { AssertionFailure, ThreadContext } from "../../src/program/threadContext.ts";
import { compile, deps, driveThread, loc, summarize } from "./driveThread.ts";


const NONE = { addr: [], data: [], ctrl: [] };

test("MP with an address dependency through a pointer read from memory", () => {
  const c = compile(`C MP+wmb+addr
{
int y=1;
int *x1 = &y;
}
P0(int* x0, int** x1) {
	WRITE_ONCE(*x0, 2);
	smp_wmb();
	WRITE_ONCE(*x1, x0);
}
P1(int** x1) {
	int *r2;
	int r3;
	r2 = READ_ONCE(*x1);
	r3 = READ_ONCE(*r2);
}
exists (1:r2=x0 /\\ 1:r3=1)
`);
  const [x0, x1, y] = [loc(c, "x0"), loc(c, "x1"), loc(c, "y")];
  assert.deepEqual(
    c.model.locations.map((l) => [l.name, c.model.initial[l.id]]),
    [
      ["y", 1],
      ["x1", y],
      ["x0", 0],
    ],
  );
  const p0 = driveThread(c, "P0");
  assert.deepEqual(p0.ops.map(summarize), [
    { kind: "write", loc: "x0", mode: "once", value: 2 },
    { kind: "fence", fence: "wmb" },
    { kind: "write", loc: "x1", mode: "once", value: "&x0" },
  ]);
  assert.deepEqual(p0.ops.map(deps), [NONE, NONE, NONE]);
  assert.deepEqual(p0.ops.map((o) => o.name), ["WRITE_ONCE", "smp_wmb", "WRITE_ONCE"]);
  assert.deepEqual(p0.result, {});

  const p1 = driveThread(c, "P1", [x0, 2]);
  assert.deepEqual(p1.ops.map(summarize), [
    { kind: "read", loc: "x1", mode: "once" },
    { kind: "read", loc: "x0", mode: "once" },
  ]);
  assert.deepEqual(p1.ops.map(deps), [NONE, { addr: [0], data: [], ctrl: [] }]);
  assert.deepEqual(p1.result, { r2: x0, r3: 2 });
  // Reading the initial pointer instead follows it to y.
  assert.equal((driveThread(c, "P1", [y, 1]).ops[1] as { loc: Loc }).loc, y);
  assert.ok(x1);
});

test("LB with control and data dependencies; control ends with the if", () => {
  const c = compile(`C LB+ctrl+data
{}
P0(int *x, int *y) {
	int r0;
	r0 = READ_ONCE(*x);
	if (r0)
		WRITE_ONCE(*y, 1);
	WRITE_ONCE(*y, 2);
}
P1(int *x, int *y, int *z) {
	int r1; int r2; int r3;
	r1 = READ_ONCE(*y);
	r2 = READ_ONCE(*z);
	r3 = r1 + r2 * 2;
	WRITE_ONCE(*x, r3);
	WRITE_ONCE(*z, 7);
	smp_store_release(x, r1);
}
exists (0:r0=1 /\\ 1:r1=1)
`);
  const taken = driveThread(c, "P0", [1]);
  assert.deepEqual(taken.ops.map(summarize), [
    { kind: "read", loc: "x", mode: "once" },
    { kind: "write", loc: "y", mode: "once", value: 1 },
    { kind: "write", loc: "y", mode: "once", value: 2 },
  ]);
  // herd's C semantics: the dependency covers the branch, not the write after the if.
  assert.deepEqual(taken.ops.map(deps), [NONE, { addr: [], data: [], ctrl: [0] }, NONE]);
  const skipped = driveThread(c, "P0", [0]);
  assert.deepEqual(skipped.ops.map(summarize), [
    { kind: "read", loc: "x", mode: "once" },
    { kind: "write", loc: "y", mode: "once", value: 2 },
  ]);
  assert.deepEqual(deps(skipped.ops[1]!), NONE);
  assert.deepEqual(skipped.result, { r0: 0 });

  const p1 = driveThread(c, "P1", [1, 3]);
  assert.deepEqual(summarize(p1.ops[2]!), { kind: "write", loc: "x", mode: "once", value: 7 });
  assert.deepEqual(p1.ops.map(deps), [NONE, NONE, { addr: [], data: [0, 1], ctrl: [] }, NONE, { addr: [], data: [0], ctrl: [] }]);
  assert.equal(p1.ops[4]!.kind === "write" && p1.ops[4]!.mode, "release");
  assert.deepEqual(p1.result, { r1: 1, r2: 3, r3: 7 });
});

test("control dependencies accumulate over nested ifs and end with each if", () => {
  const c = compile(`C ctrl
{}
P0(int *x, int *y, int *z) {
	int r0 = READ_ONCE(*x);
	int r1 = READ_ONCE(*y);
	if (r0 == 1) {
		if (r1 > 0) WRITE_ONCE(*z, 1);
	} else {
		WRITE_ONCE(*z, 2);
	}
	if (READ_ONCE(*z) == 5) ;
	smp_mb();
	r1 = READ_ONCE(*y);
}
exists (x=1)
`);
  const run = driveThread(c, "P0", [1, 1, 5, 0]);
  assert.deepEqual(run.ops.map((o) => o.kind), ["read", "read", "write", "read", "fence", "read"]);
  // The write sits in both branches; the later read is the next if's condition, evaluated outside them.
  assert.deepEqual(run.ops.map((o) => deps(o).ctrl), [[], [], [0, 1], [], [], []]);
  const other = driveThread(c, "P0", [0, 1, 5, 0]);
  assert.deepEqual(other.ops.map((o) => deps(o).ctrl), [[], [], [0], [], [], []]);
});

test("plain accesses: *x = v, r = *x, globals by name, and dependencies through them", () => {
  const c = compile(`C plain
{ int g = 4; }
P0(int *x, int *y, int *z1, int *z2) {
	int a = READ_ONCE(*x);
	*z1 = a;
	*z2 = *z1;
	if (*z2 == 1)
		WRITE_ONCE(*y, 1);
	g = 5;
	a = g;
}
exists (x=1)
`);
  const run = driveThread(c, "P0", [1, 1, 1, 5]);
  assert.deepEqual(run.ops.map(summarize), [
    { kind: "read", loc: "x", mode: "once" },
    { kind: "write", loc: "z1", mode: "plain", value: 1 },
    { kind: "read", loc: "z1", mode: "plain" },
    { kind: "write", loc: "z2", mode: "plain", value: 1 },
    { kind: "read", loc: "z2", mode: "plain" },
    { kind: "write", loc: "y", mode: "once", value: 1 },
    { kind: "write", loc: "g", mode: "plain", value: 5 },
    { kind: "read", loc: "g", mode: "plain" },
  ]);
  assert.deepEqual(
    run.ops.map((o) => [deps(o).data, deps(o).ctrl]),
    [
      [[], []],
      [[0], []],
      [[], []],
      [[2], []],
      [[], []],
      [[], [4]],
      [[], []],
      [[], []],
    ],
  );
  assert.deepEqual(run.result, { a: 5 });
});

test("&& and || evaluate their right side only when needed, as a branch covering that side", () => {
  const c = compile(`C shortcircuit
{}
P0(int *x, int *y) {
	int r0 = 0;
	if (READ_ONCE(*x) && READ_ONCE(*y))
		r0 = 1;
	WRITE_ONCE(*y, r0 || 2);
}
exists (x=1)
`);
  const short = driveThread(c, "P0", [0]);
  assert.deepEqual(short.ops.map((o) => o.kind), ["read", "write"]);
  assert.deepEqual(deps(short.ops[1]!), NONE);
  const full = driveThread(c, "P0", [1, 3]);
  assert.deepEqual(full.ops.map((o) => o.kind), ["read", "read", "write"]);
  assert.deepEqual(deps(full.ops[1]!).ctrl, [0]);
  assert.deepEqual(deps(full.ops[2]!).ctrl, []);
  assert.equal(full.result.r0, 1);
});

test("pointers: int *p = &y, casts, uintptr_t round trips, register initial values", () => {
  const c = compile(`C pointers
{
	int y = 3;
	int *p = &y;
	q = y;
	0:r1 = 9;
	0:r4 = y;
}
P0(int **p, int **q) {
	int *r0;
	int r1;
	intptr_t r2;
	int r3;
	int *r4;
	r0 = READ_ONCE(*p);
	r2 = (intptr_t)r0;
	r3 = READ_ONCE(*(int *)r2);
	WRITE_ONCE(*q, &y);
	r3 = r3 + (r4 == r0);
}
exists (0:r0=y)
`);
  const y = loc(c, "y");
  assert.equal(c.model.initial[loc(c, "p").id], y);
  assert.equal(c.model.initial[loc(c, "q").id], y);
  const run = driveThread(c, "P0", [y, 3]);
  assert.deepEqual(run.ops.map(summarize), [
    { kind: "read", loc: "p", mode: "once" },
    { kind: "read", loc: "y", mode: "once" },
    { kind: "write", loc: "q", mode: "once", value: "&y" },
  ]);
  assert.deepEqual(deps(run.ops[1]!).addr, [0]);
  assert.deepEqual(run.result, { r0: y, r1: 9, r2: y, r3: 4, r4: y });
});

test("undeclared registers assigned in code are registers, returned with the locals", () => {
  const c = compile(`C implicit
{}
P0(int *x) {
	r1 = READ_ONCE(*x);
	if (r1 == 0) r2 = 5;
}
exists (0:r1=0)
`);
  assert.deepEqual(driveThread(c, "P0", [0]).result, { r1: 0, r2: 5 });
  assert.deepEqual(driveThread(c, "P0", [1]).result, { r1: 1, r2: 0 });
});

test("as in herd, an identifier never declared is a register starting at 0", () => {
  const c = compile(`C typo
{}
P1(int *b, int *v) {
	int r9c = READ_ONCE(*v);
	smp_store_release(b, r9c - rc9);
}
exists (1:r9c=0)
`);
  const run = driveThread(c, "P1", [5]);
  assert.deepEqual(summarize(run.ops[1]!), { kind: "write", loc: "b", mode: "release", value: 5 });
  assert.deepEqual(run.result, { r9c: 5, rc9: 0 });
});

test("a zero offset keeps a pointer (faking an address dependency); other pointer arithmetic fails", () => {
  const c = compile(`C viro
{ int a = 1; }
P0(int *a, int *b, int *v) {
	int r8;
	int r9a = READ_ONCE(*v);
	r8 = r9a - r9a;
	r8 = a + r8;
	r9a = READ_ONCE(*r8);
	r8 = b - 0;
	r8 = r8 - b;
	r8 = (a + 1) == b;
}
exists (0:r8=0)
`);
  const a = loc(c, "a");
  assert.throws(() => driveThread(c, "P0", [7, 1]), /t\.litmus:11:10: '\+' on &a and 1: pointer arithmetic other than a zero offset/);
  const gen = c.model.threads[0]!.body(new ThreadContext(0, "P0"));
  gen.next();
  const second = gen.next(7).value as Operation;
  assert.deepEqual(summarize(second), { kind: "read", loc: "a", mode: "once" });
  assert.deepEqual(deps(second).addr, [0], "the address depends on the first read");
  assert.ok(a);
});

test("&x names shared x, also where a parameter x stands for it", () => {
  const c = compile(`C addressof
{ int g; }
P0(int *x, int **p) {
	WRITE_ONCE(*p, &x);
	WRITE_ONCE(*p, &g);
	xchg(&g, 1);
}
exists (x=1)
`);
  const run = driveThread(c, "P0", [0]);
  assert.deepEqual(run.ops.map(summarize).slice(0, 2), [
    { kind: "write", loc: "p", mode: "once", value: "&x" },
    { kind: "write", loc: "p", mode: "once", value: "&g" },
  ]);
  assert.equal((run.ops[2] as { loc: Loc }).loc, loc(c, "g"));
});

test("run-time errors point at the source", () => {
  const c = compile(`C runtime
{}
P0(int *x) {
	int r0 = READ_ONCE(*x);
	WRITE_ONCE(*x, 1 / r0);
	r0 = *r0;
}
exists (x=1)
`);
  assert.throws(() => driveThread(c, "P0", [0]), /t\.litmus:5:19: division by zero/);
  // An AssertionFailure: the runtime ends that execution with an error instead of aborting the exploration.
  assert.throws(() => driveThread(c, "P0", [0]), (e: unknown) => e instanceof AssertionFailure && e instanceof LitmusRuntimeError);
  assert.throws(() => driveThread(c, "P0", [1, 0]), /t\.litmus:6:7: load: expected a pointer to a shared location, got 1/);
});

test("every process is a thread named Pn; the model carries the condition as a check", () => {
  const c = compile(`C names
{}
P1(int *x) { WRITE_ONCE(*x, 1); }
P0(int *x) { int r0 = READ_ONCE(*x); }
~exists (0:r0=1)
`);
  assert.deepEqual(
    c.model.threads.map((t) => t.name),
    ["P0", "P1"],
  );
  assert.deepEqual(
    c.model.checks.map((k) => [k.kind, k.name]),
    [["exists", "~exists (0:r0=1)"]],
  );
  assert.equal(c.expectation, "Forbidden");
});

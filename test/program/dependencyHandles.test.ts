// Dependencies named by the read they come from, never by counting
// operations: a data dependency declared with a read's handle, a control
// dependency on a handle, and a stored pointer that carries its read on its
// own. Each is run against the same program in pagerace's litmus front end
// (which finds dependencies by following registers, as herd7 does): same
// executions, same count of the cycle's outcome. Without the declaration
// the model has no dependency, and the cycle is allowed: the handle is what
// forbids it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, sameLoc, type Model } from "../../src/index.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { readOncePtr, smpMb } from "../../src/kernel/index.ts";
import { runLkmm } from "../litmus/lkmmStrategies.ts";

/** Load buffering: P0 reads x then writes y (ordered as `how` says), P1 reads y, smp_mb(), writes x. */
function loadBuffering(how: "data" | "ctrl" | "none"): Model {
  return model(`LB, P0 ${how}`, (m) => {
    const x = m.location("x", 0);
    const y = m.location("y", 0);
    m.thread("P0", function* (t) {
      const r = yield* t.readHandle(x, "once");
      if (how === "data") yield* t.write(y, r.value, "once", { data: [r.dep] });
      else if (how === "ctrl") {
        if (r.value !== 0) {
          t.controlDependsOn(r);
          yield* t.write(y, 1, "once");
        }
      } else yield* t.write(y, r.value, "once");
      return { r0: r.value };
    });
    m.thread("P1", function* (t) {
      const r0 = yield* t.read(y, "once");
      yield* smpMb(t);
      yield* t.write(x, 1, "once");
      return { r0 };
    });
    m.exists("0:r0=1 /\\ 1:r0=1", (s) => s.result("P0")?.r0 === 1 && s.result("P1")?.r0 === 1);
  });
}

function lbLitmus(p0: string): string {
  return `C LB
{}
P0(int *x, int *y)
{
  int r0;
  r0 = READ_ONCE(*x);
  ${p0}
}
P1(int *x, int *y)
{
  int r0;
  r0 = READ_ONCE(*y);
  smp_mb();
  WRITE_ONCE(*x, 1);
}
exists (0:r0=1 /\\ 1:r0=1)
`;
}

function agrees(m: Model, litmus: string): number {
  const r = explore(m, { memoryModel: lkmm, stopOnViolation: false });
  const run = runLkmm(litmus);
  assert.equal(r.executions, run.holds + run.fails, "executions");
  assert.equal(r.existsCounts[0], run.holds, "executions with the cycle");
  return run.holds;
}

test("a data dependency declared with the read's handle forbids load buffering, as LB with a data dependency in litmus", () => {
  assert.equal(agrees(loadBuffering("data"), lbLitmus("WRITE_ONCE(*y, r0);")), 0);
});

test("a control dependency on the read's handle forbids load buffering, as LB+fencembonceonce+ctrlonceonce", () => {
  assert.equal(agrees(loadBuffering("ctrl"), lbLitmus("if (r0) WRITE_ONCE(*y, 1);")), 0);
});

test("the same writer without the declaration has no dependency: the cycle is allowed", () => {
  const r = explore(loadBuffering("none"), { memoryModel: lkmm, stopOnViolation: false });
  assert.ok(r.existsCounts[0]! > 0);
});

test("storing a pointer the thread loaded is data-dependent on the load, with nothing declared", () => {
  const m = model("LB of a pointer", (mb) => {
    const y = mb.location("y", 0);
    const x = mb.location("x", 0);
    const p = mb.location("p", y);
    const q = mb.location("q", y);
    mb.thread("P0", function* (t) {
      const r0 = yield* readOncePtr(t, p);
      yield* t.write(q, r0, "once");
      return { r0 };
    });
    mb.thread("P1", function* (t) {
      const r0 = yield* readOncePtr(t, q);
      yield* smpMb(t);
      yield* t.write(p, x, "once");
      return { r0 };
    });
    mb.exists("0:r0=x /\\ 1:r0=x", (s) => s.result("P0")?.r0 === x && s.result("P1")?.r0 === x);
  });
  const litmus = `C LB-pointer
{
  int *p=y;
  int *q=y;
  int x;
  int y=0;
}
P0(int **p, int **q)
{
  int *r0;
  r0 = READ_ONCE(*p);
  WRITE_ONCE(*q, r0);
}
P1(int **p, int **q, int *x)
{
  int *r0;
  r0 = READ_ONCE(*q);
  smp_mb();
  WRITE_ONCE(*p, x);
}
exists (0:r0=x /\\ 1:r0=x)
`;
  assert.equal(agrees(m, litmus), 0);
});

test("a branch on a loaded pointer is a control dependency on its load: controlDependsOn(p)", () => {
  const m = model("LB, branch on a pointer", (mb) => {
    const y = mb.location("y", 0);
    const x = mb.location("x", 0);
    const p = mb.location("p", y);
    mb.thread("P0", function* (t) {
      const r0 = yield* readOncePtr(t, p);
      if (sameLoc(r0, x)) {
        t.controlDependsOn(r0);
        yield* t.write(y, 1, "once");
      }
      return { r0 };
    });
    mb.thread("P1", function* (t) {
      const r0 = yield* t.read(y, "once");
      yield* smpMb(t);
      yield* t.write(p, x, "once");
      return { r0 };
    });
    mb.exists("0:r0=x /\\ 1:r0=1", (s) => s.result("P0")?.r0 === x && s.result("P1")?.r0 === 1);
  });
  const litmus = `C LB-pointer-branch
{
  int *p=y;
  int x;
  int y=0;
}
P0(int **p, int *x, int *y)
{
  int *r0;
  r0 = READ_ONCE(*p);
  if (r0 == x) WRITE_ONCE(*y, 1);
}
P1(int **p, int *x, int *y)
{
  int r0;
  r0 = READ_ONCE(*y);
  smp_mb();
  WRITE_ONCE(*p, x);
}
exists (0:r0=x /\\ 1:r0=1)
`;
  assert.equal(agrees(m, litmus), 0);
});

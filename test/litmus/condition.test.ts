// The final section at run time: evaluating conditions and filters on final
// states, the locations herd prints and their order, and herd's text for
// states and conditions.

import { test } from "node:test";
import assert from "node:assert/strict";
import { compileLitmus, formatProp, parseLitmus, type CompiledLitmus } from "../../src/litmus/index.ts";
import type { FinalState } from "../../src/program/model.ts";
import { asInteger, type Value } from "../../src/program/value.ts";

function compile(final: string, init = "{}"): CompiledLitmus {
  return compileLitmus(
    parseLitmus(
      `C cond
${init}
P0(int *x, int *y) { int r0; int r1; int r10; int r2; r0 = READ_ONCE(*x); }
P1(int *x, int *y, int *b, int *a, int *B) { int r0; r0 = READ_ONCE(*y); }
${final}
`,
      "c.litmus",
    ),
  );
}

/** A final state: memory by location name, registers by thread. */
function state(memory: Record<string, Value>, registers: Record<string, Record<string, Value>>): FinalState {
  const value = (l: { name: string }): Value => memory[l.name] ?? 0;
  return {
    value,
    int: (l) => asInteger(value(l), l.name),
    result: (thread) => registers[thread],
  };
}

test("atoms on registers, memory and pointer values", () => {
  const c = compile("exists (0:r0=1 /\\ x=2 /\\ 1:r0=y /\\ [y]=x)");
  const x = c.locations.get("x")!;
  const y = c.locations.get("y")!;
  const good = state({ x: 2, y: x }, { P0: { r0: 1 }, P1: { r0: y } });
  assert.equal(c.evaluate(good), true);
  assert.equal(c.evaluate(state({ x: 2, y: x }, { P0: { r0: 1 }, P1: { r0: 0 } })), false);
  assert.equal(c.evaluate(state({ x: 2, y: 0 }, { P0: { r0: 1 }, P1: { r0: y } })), false);
  assert.equal(c.evaluate(state({ x: 3, y: x }, { P0: { r0: 1 }, P1: { r0: y } })), false);
});

test("negation, disjunction, implication, !=, true and false", () => {
  const s = (r0: number, x: number) => (c: CompiledLitmus) => c.evaluate(state({ x }, { P0: { r0 }, P1: { r0: 0 } }));
  const check = (cond: string, cases: [number, number, boolean][]) => {
    const c = compile(`exists (${cond})`);
    for (const [r0, x, expected] of cases) assert.equal(s(r0, x)(c), expected, `${cond} with r0=${r0} x=${x}`);
  };
  check("~x=2", [[0, 2, false], [0, 1, true]]);
  check("not (0:r0=1 /\\ x=2)", [[1, 2, false], [1, 1, true]]);
  check("0:r0=1 \\/ x=2", [[1, 0, true], [0, 2, true], [0, 0, false]]);
  check("0:r0=1 => x=2", [[1, 2, true], [1, 0, false], [0, 0, true]]);
  check("0:r0!=1", [[1, 0, false], [2, 0, true]]);
  check("0:r0<>1 /\\ true", [[1, 0, false], [2, 0, true]]);
  check("false \\/ 0:r0=-1", [[-1, 0, true], [1, 0, false]]);
  check("0:r0=1:r0", [[0, 0, true], [1, 0, false]]);
});

test("a value naming a location the test does not have is an address nothing holds, as herd takes it", () => {
  const c = compile("exists (0:r0=q \\/ 0:r0!=q /\\ x=1)");
  const x = c.locations.get("x")!;
  for (const r0 of [0, 1, x]) {
    assert.equal(c.evaluate(state({ x: 1 }, { P0: { r0 }, P1: {} })), true, `r0=${String(r0)}, x=1`);
    assert.equal(c.evaluate(state({ x: 0 }, { P0: { r0 }, P1: {} })), false, `r0=${String(r0)}, x=0`);
  }
});

test("a register the thread never set reads 0", () => {
  const c = compile("exists (0:r2=0)");
  assert.equal(c.evaluate(state({}, { P0: {}, P1: {} })), true);
});

test("filter", () => {
  const c = compile("filter (0:r0=1)\nexists (x=1)");
  assert.equal(c.hasFilter, true);
  assert.equal(c.filter(state({}, { P0: { r0: 1 }, P1: {} })), true);
  assert.equal(c.filter(state({}, { P0: { r0: 0 }, P1: {} })), false);
  const check = c.model.checks[0]!;
  assert.equal(check.holds(state({ x: 1 }, { P0: { r0: 0 }, P1: {} })), false, "filtered-out states never count");
  assert.equal(check.holds(state({ x: 1 }, { P0: { r0: 1 }, P1: {} })), true);
  const none = compile("exists (x=1)");
  assert.equal(none.hasFilter, false);
  assert.equal(none.filter(state({}, {})), true);
});

test("observed locations: locations list and condition, registers by process then name, then memory by name", () => {
  const c = compile("locations [y; 1:r0; b; 0:r10; B]\nfilter (0:r1=0)\nexists (x=1 /\\ 0:r2=0 /\\ a=0 /\\ 0:r0=1 \\/ 1:r0=2 /\\ [b]=[a])");
  assert.deepEqual(
    c.observed.map((o) => o.label),
    ["0:r0", "0:r10", "0:r2", "1:r0", "[B]", "[a]", "[b]", "[x]", "[y]"],
  );
});

test("formatState prints herd's States line", () => {
  const c = compile("exists (1:r0=y /\\ x=1 /\\ 0:r0=-1)");
  const y = c.locations.get("y")!;
  assert.equal(c.formatState(state({ x: 1 }, { P0: { r0: -1 }, P1: { r0: y } })), "0:r0=-1; 1:r0=y; [x]=1;");
  assert.equal(c.formatState(state({ x: y }, { P0: { r0: 0 }, P1: { r0: 0 } })), "0:r0=0; 1:r0=0; [x]=y;");
});

test("the Condition line as herd prints it", () => {
  const text = (cond: string) => compile(cond).conditionText;
  assert.equal(text("exists (0:r0=1 /\\ ~x=2)"), "exists (0:r0=1 /\\ not ([x]=2))");
  assert.equal(text("exists(1:r0=y /\\ [x]=0)"), "exists (1:r0=y /\\ [x]=0)");
  assert.equal(text("~exists (0:r0=1 \\/ x=1 /\\ y=1)"), "~exists (0:r0=1 \\/ [x]=1 /\\ [y]=1)");
  assert.equal(text("forall ((0:r0=1 \\/ x=1) /\\ y=1)"), "forall ((0:r0=1 \\/ [x]=1) /\\ [y]=1)");
  assert.equal(text("exists (0:r0!=1)"), "exists (not (0:r0=1))");
  // `=>` binds tighter than `/\\` in herd, and is parenthesised under it.
  assert.equal(text("exists (x=1 => y=1 /\\ 0:r0=0)"), "exists (([x]=1 => [y]=1) /\\ 0:r0=0)");
  assert.equal(text("exists (x=1 /\\ (y=1 => 0:r0=0))"), "exists ([x]=1 /\\ ([y]=1 => 0:r0=0))");
  assert.equal(text("exists (x=1 \\/ (y=1 => 0:r0=0))"), "exists ([x]=1 \\/ ([y]=1 => 0:r0=0))");
  assert.equal(text("exists (true)"), "exists (true)");
  assert.equal(text("exists (0:r0=1:r0)"), "exists (0:r0=1:r0)");
  assert.equal(formatProp({ kind: "or", left: { kind: "false" }, right: { kind: "true" } }), "false \\/ true");
});

test("expectation words follow the quantifier", () => {
  assert.equal(compile("exists (x=1)").expectation, "Allowed");
  assert.equal(compile("~exists (x=1)").expectation, "Forbidden");
  assert.equal(compile("forall (x=1)").expectation, "Required");
  assert.equal(compile("").quantifier, "forall");
});

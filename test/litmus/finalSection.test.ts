// The final section of a litmus test: `locations`, `filter`, and the
// condition with herd's quantifiers, connectives, precedence and atoms.

import { test } from "node:test";
import assert from "node:assert/strict";
import { parseLitmus, type LitmusTest, type Prop } from "../../src/litmus/index.ts";

const P0 = "P0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\n";

function parse(text: string): LitmusTest {
  return parseLitmus(text, "t.litmus");
}

// ---------------------------------------------------------------- final section

function final(section: string): LitmusTest {
  return parse(`C t\n{}\nP0(int *x, int *y)\n{\n\tint r1;\n\tr1 = READ_ONCE(*x);\n}\nP1(int *y) { WRITE_ONCE(*y, 1); }\n${section}\n`);
}

test("final: exists, ~exists, forall, final, bare parentheses, none", () => {
  assert.equal(final("exists (x=1)").condition.quantifier, "exists");
  assert.equal(final("~exists (x=1)").condition.quantifier, "~exists");
  assert.equal(final("~ exists (x=1)").condition.quantifier, "~exists");
  assert.equal(final("forall (x=1)").condition.quantifier, "forall");
  assert.equal(final("final (x=1)").condition.quantifier, "exists");
  // As in herd, a bare `(...)` condition needs a keyword before it to end the C code.
  assert.equal(final("locations [x] (x=1)").condition.quantifier, "exists");
  assert.equal(final("exists x=1 /\\ y=0").condition.quantifier, "exists");
  const none = final("");
  assert.equal(none.condition.quantifier, "forall");
  assert.deepEqual(none.condition.prop, { kind: "true" });
  assert.equal(final("exists\n(x=1) ;").condition.quantifier, "exists");
});

test("final: (* *) comments after the program", () => {
  const t = final("(* before *)\nlocations [x;] (* debug *)\nexists (x=1) (* Bad outcome. *)\n(* after *)");
  assert.equal(t.locations.length, 1);
});

test("final: locations and filter", () => {
  const t = final("locations [x; 0:r1; y;]\nfilter (0:r1=1 /\\ y=0)\nexists (x=1)");
  assert.deepEqual(
    t.locations.map((l) => (l.kind === "register" ? `${l.proc}:${l.name}` : l.name)),
    ["x", "0:r1", "y"],
  );
  assert.equal(t.filter?.kind, "and");
  assert.deepEqual(final("locations [] exists (x=1)").locations, []);
  assert.equal(final("locations[0:r1;1:r1]\nexists (x=1)").locations.length, 2);
});

test("final: connectives and their precedence (\\/ < /\\ < => < ~)", () => {
  const p = (s: string) => final(`exists (${s})`).condition.prop;
  const shape = (q: ReturnType<typeof p>): string => {
    switch (q.kind) {
      case "atom":
        return q.atom.kind === "equals" && q.atom.loc.kind === "memory" ? q.atom.loc.name : "?";
      case "not":
        return `~${shape(q.prop)}`;
      case "and":
        return `(${shape(q.left)} & ${shape(q.right)})`;
      case "or":
        return `(${shape(q.left)} | ${shape(q.right)})`;
      case "implies":
        return `(${shape(q.left)} => ${shape(q.right)})`;
      default:
        return q.kind;
    }
  };
  assert.equal(shape(p("x=1 \\/ y=1 /\\ x=2")), "(x | (y & x))");
  assert.equal(shape(p("~x=1 /\\ y=1")), "(~x & y)");
  assert.equal(shape(p("not (x=1 /\\ y=1)")), "~(x & y)");
  assert.equal(shape(p("x=1 /\\ y=1 => x=2")), "(x & (y => x))");
  assert.equal(shape(p("x=1 => y=1 => x=2")), "(x => (y => x))");
  assert.equal(shape(p("true /\\ false")), "(true & false)");
  assert.equal(shape(p("(x=1 \\/ y=1) /\\ x=2")), "((x | y) & x)");
});

test("final: atoms", () => {
  type AtomProp = Extract<Prop, { kind: "atom" }>;
  const atom = (s: string) => {
    const q = final(`exists (${s})`).condition.prop;
    return q.kind === "not" ? { negated: true, ...(q.prop as AtomProp).atom } : (q as AtomProp).atom;
  };
  assert.deepEqual(JSON.parse(JSON.stringify(atom("0:r1=1"), ["kind", "loc", "proc", "name", "value"])), {
    kind: "equals",
    loc: { kind: "register", proc: 0, name: "r1" },
    value: { kind: "int", value: 1 },
  });
  const pointer = atom("0:r1=y");
  assert.equal(pointer.kind === "equals" && pointer.value.kind, "location");
  const memory = atom("x=1");
  assert.equal(memory.kind === "equals" && memory.loc.kind, "memory");
  const bracketed = atom("[x]=-1");
  assert.ok(bracketed.kind === "equals" && bracketed.loc.kind === "memory" && bracketed.value.kind === "int" && bracketed.value.value === -1);
  assert.equal(atom("x=y").kind, "equals");
  assert.equal(atom("P0:r1=1").kind, "equals");
  assert.equal(atom("0:r1==1").kind, "equals");
  assert.ok("negated" in atom("0:r1!=1"));
  assert.ok("negated" in atom("0:r1<>1"));
  assert.equal(atom("0:r1=1:r1").kind, "sameValue");
  assert.equal(atom("x=[y]").kind, "sameValue");
  assert.equal(atom("x=0x10").kind, "equals");
});

test("the program ends at the first final-section keyword outside braces", () => {
  for (const kw of ["exists (x=1)", "~exists (x=1)", "forall (x=1)", "final (x=1)", "locations [x]", "filter (x=1) exists (x=1)"]) {
    const t = parse(`C t\n{}\n${P0}${kw}\n`);
    assert.equal(t.processes.length, 1, kw);
  }
});

// What makes a small trace read right: values named through m.describe,
// uninvolved threads folded, and, under a weak model, the read that missed a
// write named in words.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, tso } from "../../src/index.ts";
import { renderColumns } from "../../src/report/columns.ts";

test("m.describe names a location's values in traces; undefined keeps the number", () => {
  const md = model("named", (m) => {
    const state = m.location("state");
    m.describe(state, (v) => (v === 1 ? "RUNNING" : undefined));
    m.thread("P0", function* (t) {
      yield* t.write(state, 1);
      yield* t.write(state, 2);
    });
    m.forall("never 2", (s) => s.int(state) !== 2);
  });
  const v = explore(md).violations[0]!;
  const text = renderColumns(md, v.graph, v.outcome, "steps");
  assert.match(text, /state:=RUNNING, state:=2/);
  assert.throws(() => model("foreign", (m) => {
    const other = model("other", (o) => { o.location("x"); o.thread("T", function* () {}); }).locations[0]!;
    m.describe(other, () => "x");
  }), /not a location of this model/);
});

test("a namer that throws prints the number: tracing never fails on model code", () => {
  const md = model("throwing namer", (m) => {
    const x = m.location("x");
    m.describe(x, () => { throw new Error("bug"); });
    m.thread("P0", function* (t) { yield* t.write(x, 7); });
    m.forall("x stays 0", (s) => s.int(x) === 0);
  });
  const v = explore(md).violations[0]!;
  assert.match(renderColumns(md, v.graph, v.outcome, "steps"), /x:=7/);
});

test("a thread the broken check does not depend on is one line, not a column", () => {
  const md = model("bystander", (m) => {
    const x = m.location("x");
    const noise = m.location("noise");
    m.thread("writer", function* (t) { t.step("publish"); yield* t.write(x, 1); });
    m.thread("bystander", function* (t) {
      t.step("one"); yield* t.write(noise, 1);
      t.step("two"); yield* t.write(noise, 2);
    });
    m.forall("x stays 0", (s) => s.int(x) === 0);
  });
  const v = explore(md).violations[0]!;
  const text = renderColumns(md, v.graph, v.outcome, "steps");
  assert.doesNotMatch(text.split("\n")[0]!, /bystander/);
  assert.match(text, /not involved, not drawn: bystander \(2 steps\)/);
  // Asked not to fold, the bystander has its column again.
  assert.match(renderColumns(md, v.graph, v.outcome, "steps", new Set(), { fold: false }).split("\n")[0]!, /bystander/);
});

test("a check broken by a write that never came draws the threads that read the location and decided not to write it", () => {
  const md = model("left behind", (m) => {
    const slot = m.location("slot", 1);
    const busy = m.location("busy");
    const noise = m.location("noise");
    m.thread("user", function* (t) { t.step("take"); yield* t.write(busy, 1); });
    m.thread("remover", function* (t) {
      t.step("look"); const there = yield* t.read(slot);
      t.step("decide"); if (there === 1 && (yield* t.read(busy)) === 0) yield* t.write(slot, 0);
    });
    m.thread("bystander", function* (t) { t.step("one"); yield* t.write(noise, 1); });
    m.forall("the slot is emptied", (s) => s.int(slot) === 0);
  });
  const v = explore(md).violations[0]!;
  const text = renderColumns(md, v.graph, v.outcome, "steps");
  // The check reads only the slot, written by nobody: the remover read it, and what it did after is why.
  assert.match(text.split("\n")[0]!, /user +\| remover/);
  assert.match(text, /decide: busy=1/);
  assert.match(text, /take: busy:=1/);
  assert.match(text, /not involved, not drawn: bystander \(1 step\)/);
});

test("under TSO the store-buffering read that missed the other thread's write is named", () => {
  const sb = model("SB", (m) => {
    const x = m.location("x");
    const y = m.location("y");
    m.thread("P0", function* (t) { yield* t.write(x, 1); return { r0: yield* t.read(y) }; });
    m.thread("P1", function* (t) { yield* t.write(y, 1); return { r1: yield* t.read(x) }; });
    m.forall("not both 0", (s) => !(s.result("P0")?.r0 === 0 && s.result("P1")?.r1 === 0));
  });
  const v = explore(sb, { memoryModel: tso }).violations[0]!;
  const text = renderColumns(sb, v.graph, v.outcome, "events");
  // One of the two reads is drawn after the other thread's write, and read the initial value anyway.
  assert.match(text, /! P[01] read [xy] = 0 \(the initial value\) although P[01] wrote [xy] := 1 above it/);
  // Under SC there is no such line: the drawing is the execution.
  const scText = explore(sb).violations[0];
  assert.equal(scText, undefined);
});

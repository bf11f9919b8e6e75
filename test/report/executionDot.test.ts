// An execution as DOT: herd-style labels, one cluster per thread, and the
// edges of po, rf, co and fr that make the execution what it is.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, tso } from "../../src/index.ts";
import { dotGraph, dotString, eventLabel, executionCluster } from "../../src/report/dot/executionDot.ts";

const sb = model("SB", (m) => {
  const x = m.location("x");
  const y = m.location("y");
  m.thread("P0", function* (t) { yield* t.write(x, 1, "once"); return { r0: yield* t.read(y, "once") }; });
  m.thread("P1", function* (t) { yield* t.write(y, 1, "once"); return { r1: yield* t.read(x, "once") }; });
  m.forall("not both 0", (s) => !(s.result("P0")?.r0 === 0 && s.result("P1")?.r1 === 0));
});

test("the store-buffering execution: labels like herd's, a cluster per thread, rf from init and fr to the other write", () => {
  const v = explore(sb, { memoryModel: tso }).violations[0]!;
  const dot = dotGraph("SB", [executionCluster(sb, v.graph, "x1_", "SB")], "");
  assert.match(dot, /^digraph "SB" \{/);
  assert.match(dot, /subgraph cluster_x1_t0 \{\n\s+label="P0";/);
  assert.match(dot, /x1_t0e0 \[label="a: W\[once\]x=1"\]/);
  assert.match(dot, /x1_t1e1 \[label="d: R\[once\]x=0"\]/);
  // P1's read of x reads the initial write and is fr-before P0's write.
  assert.match(dot, /x1_i0 -> x1_t1e1 \[label="rf"/);
  assert.match(dot, /x1_t1e1 -> x1_t0e0 \[label="fr"/);
  assert.match(dot, /x1_i0 -> x1_t0e0 \[label="co"/);
  assert.match(dot, /x1_t0e0 -> x1_t0e1 \[label="po"/);
  assert.equal((dot.match(/\{/g) ?? []).length, (dot.match(/\}/g) ?? []).length);
});

test("an RMW's halves are starred and joined by rmw; a fence is F[kind]", () => {
  const md = model("rmw", (m) => {
    const c = m.location("c");
    m.thread("P0", function* (t) {
      yield* t.fetchAdd(c, 1, "mb");
      yield* t.fence("mb");
    });
    m.forall("c stays 0", (s) => s.int(c) === 0);
  });
  const v = explore(md).violations[0]!;
  const [read, write, fence] = v.graph.threads[0]!;
  assert.equal(eventLabel(md, read!), "R*[mb]c=0");
  assert.equal(eventLabel(md, write!), "W*[mb]c=1");
  assert.equal(eventLabel(md, fence!), "F[mb]");
  assert.match(executionCluster(md, v.graph, "v_", "t").join("\n"), /v_t0e0 -> v_t0e1 \[label="rmw"/);
});

test("DOT strings escape quotes and backslashes and drop control and bidi characters", () => {
  assert.equal(dotString('a "b" \\ c'), '"a \\"b\\" \\\\ c"');
  assert.equal(dotString("x\u202ey\u001bz"), '"xyz"');
  assert.equal(dotString("one\ntwo"), '"one\\ntwo"');
});

// The step-level timeline: one line per step, split where another thread
// cuts in, with the values read and written in brief.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { renderColumns } from "../../src/report/columns.ts";

test("steps fold their accesses into one line and the interleaving stays visible", () => {
  const md = model("check-then-act", (m) => {
    const size = m.location("i_size", 1);
    const pte = m.location("pte");
    m.thread("fault", function* (t) {
      t.step("check i_size");
      if ((yield* t.read(size)) === 0) return;
      t.step("set pte");
      yield* t.write(pte, 1);
    });
    m.thread("truncate", function* (t) {
      t.step("i_size = 0");
      yield* t.write(size, 0);
      t.step("unmap");
      yield* t.write(pte, 0);
    });
    m.forall("no pte beyond i_size", (s) => s.int(pte) === 0 || s.int(size) > 0);
  });
  const v = explore(md).violations[0]!;
  const lines = renderColumns(md, v.graph, v.outcome, "steps").split("\n");
  const at = (text: string) => lines.findIndex((l) => l.includes(text));
  assert.ok(at("check i_size: i_size=1") > 1);
  assert.ok(at("i_size = 0: i_size:=0") > at("check i_size"));
  assert.ok(at("unmap: pte:=0") > at("i_size = 0"));
  assert.ok(at("set pte: pte:=1") > at("unmap"));
  assert.match(lines[lines.length - 1]!, /✗ check failed: no pte beyond i_size/);
  // One line per step: four steps, two header lines, the verdict.
  assert.equal(lines.length, 7);
});

test("a read that saw the value before an RMW is drawn above the RMW's row", async () => {
  const { timeline } = await import("../../src/report/timeline.ts");
  const md = model("read-before-rmw", (m) => {
    const x = m.location("x");
    m.thread("A", function* (t) {
      yield* t.rmw(x, (v) => v + 1, "mb", "inc");
    });
    m.thread("B", function* (t) {
      return { r: yield* t.read(x) };
    });
  });
  let checked = 0;
  explore(md, {
    onExecution: (g, o) => {
      if (o.final.result("B")!.r !== 0) return;
      const rows = timeline(md, g, o).filter((r) => !r.isStep);
      const read = rows.findIndex((r) => r.tid === 1);
      const rmw = rows.findIndex((r) => r.tid === 0);
      assert.ok(read < rmw, rows.map((r) => r.text).join("\n"));
      checked++;
    },
  });
  assert.equal(checked, 1);
});

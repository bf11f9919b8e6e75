// Counterexamples at mm scale: the fault-around vs truncate race with three
// faulting threads and two truncates, drawn as `check` draws it on a
// 100-column terminal, must fit a screen, cut nothing, and name its values.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore } from "../../src/index.ts";
import { renderColumns } from "../../src/report/columns.ts";
import { drawingOrder } from "../../src/report/drawingOrder.ts";
import { faultAroundVsTruncate } from "../../src/catalogue/seed000/unlockedMapPages.ts";

const race = faultAroundVsTruncate("fault-around x3 vs truncate x2", "rfc", { pages: 1, faulters: 3, truncates: [1, 0] }, "violation");
const found = explore(race).violations[0]!;

test("the 5-thread fault-around vs truncate race draws in at most 40 lines of 100 columns, nothing cut", () => {
  assert.equal(race.threads.length, 5);
  const text = renderColumns(race, found.graph, found.outcome, "steps", new Set(), { width: 100 });
  const lines = text.split("\n");
  assert.ok(lines.length <= 40, `${lines.length} lines:\n${text}`);
  for (const l of lines) assert.ok(l.length <= 100, `wider than 100: ${l}`);
  assert.doesNotMatch(text, /…/);
  // The truncate to one page plays no part: one line says so instead of its six steps.
  assert.match(text, /not involved.*trunc1 \(\d+ steps\)/);
  assert.ok(!lines.some((l) => l.startsWith("trunc1 ")), "trunc1 is folded, not drawn");
  assert.match(lines[lines.length - 1]!, /^✗ check failed: I-TRUNC/);
});

test("mm values are printed by name: pages with their file, lock words by holder, mappings by file", () => {
  const text = renderColumns(race, found.graph, found.outcome, "steps", new Set(), { width: 100 });
  assert.match(text, /pte\(M3\)\[0\]:=P0 of F/);
  assert.match(text, /F\.i_rwsem free→writer/);
  assert.match(text, /PTL\(M3\) free→held/);
  assert.match(text, /P0\.mapping:=none/);
  assert.match(text, /F\.i_pages\[0\]:=empty/);
  // No raw page id or rwsem word is left where a name was declared.
  assert.doesNotMatch(text, /pte\(M\d\)\[0\]:=\d/);
  assert.doesNotMatch(text, /65536|131072|196608/);
});

test("the drawing switches threads as little as the graph allows and keeps every edge forward", () => {
  const order = drawingOrder(found.graph);
  const at = new Map(order.map((e, i) => [e.id, i]));
  for (const e of order) {
    if (e.idx > 0) assert.ok(at.get(found.graph.threads[e.tid]![e.idx - 1]!.id)! < at.get(e.id)!, "po");
    if (e.kind === "R" && e.rf >= 0x10000) assert.ok(at.get(e.rf)! < at.get(e.id)!, "rf");
  }
  const switches = order.filter((e, i) => i > 0 && order[i - 1]!.tid !== e.tid).length;
  // By stamp, as the explorer added the events, the same execution switches far more often.
  const byStamp = [...order].sort((a, b) => a.stamp - b.stamp || a.tid - b.tid || a.idx - b.idx);
  const stampSwitches = byStamp.filter((e, i) => i > 0 && byStamp[i - 1]!.tid !== e.tid).length;
  assert.ok(switches <= stampSwitches, `${switches} switches, ${stampSwitches} in the explorer's order`);
  assert.ok(switches <= 8, `${switches} switches`);
});

test("a wide trace that does not fit becomes a listing, one line per step with its thread", () => {
  const text = renderColumns(race, found.graph, found.outcome, "steps", new Set(), { width: 100 });
  assert.doesNotMatch(text, / \| /);
  assert.match(text, /^trunc0 {2}inode_lock: F\.i_rwsem free→writer$/m);
  // Unbounded, the same rows stand in columns.
  const wide = renderColumns(race, found.graph, found.outcome, "steps");
  assert.match(wide.split("\n")[0]!, /^fault1 +\| fault2 +\| fault3 +\| trunc0$/);
});

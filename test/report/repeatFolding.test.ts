// A loop that polled until the event bound is drawn as one iteration and a
// count, in both views, and its replay id is short and replays it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pagerace } from "../cli/pagerace.ts";
import { foldRepeats, type DrawnLine } from "../../src/report/repeatFolding.ts";

const FILE = "test/fixtures/spinsToBound.ts";

function violation(out: string): { trace: string[]; id: string } {
  const lines = out.split("\n");
  const from = lines.findIndex((l) => /did not finish within 2000 events/.test(l));
  const to = lines.findIndex((l) => l.startsWith("replay: "));
  assert.ok(from >= 0 && to > from, out.slice(0, 2000));
  return { trace: lines.slice(from + 1, to), id: lines[to]!.split(" ").pop()! };
}

for (const view of [[], ["--events"]]) {
  test(`a spin loop hitting the bound draws in at most 40 lines (${view.join(" ") || "steps"})`, () => {
    const r = pagerace("check", ...view, FILE);
    assert.equal(r.code, 1, r.err);
    const { trace } = violation(r.out);
    assert.ok(trace.length <= 40, trace.join("\n"));
    assert.ok(trace.some((l) => /… the same (\d+ lines )?[\d,]+ more times/.test(l)), trace.join("\n"));
    assert.ok(trace.some((l) => /still running after 2000 events/.test(l)));
  });
}

test("its replay id is under 100 characters and replays the same violation", () => {
  const checked = pagerace("check", FILE);
  const { id, trace } = violation(checked.out);
  assert.ok(id.length < 100, id);
  const replayed = pagerace("replay", FILE, id);
  assert.equal(replayed.code, 1, replayed.err);
  assert.match(replayed.out, /waiter did not finish within 2000 events \(in step (read seq|check flag)\)/);
  // replay draws every access, as check --events does (its notes are not wrapped to a width: compared up to them).
  const drawing = (lines: string[]) => lines.slice(0, lines.findIndex((l) => l.startsWith("✗")));
  const events = drawing(violation(pagerace("check", "--events", FILE).out).trace);
  assert.ok(events.some((l) => /more times/.test(l)));
  assert.deepEqual(drawing(replayed.out.split("\n").slice(2)), events);
  assert.ok(trace.length > 0);
});

const line = (tid: number, text: string): DrawnLine => ({ tid, text });
const fold = (lines: DrawnLine[]) => foldRepeats(lines, line).map((l) => `${l.tid} ${l.text}`);

test("the first iteration is drawn, then the count, then an iteration that differs", () => {
  const loop = [line(0, "a"), line(0, "b")];
  const lines = [line(1, "x"), ...loop, ...loop, ...loop, ...loop, line(0, "a"), line(0, "c")];
  assert.deepEqual(fold(lines), ["1 x", "0 a", "0 b", "0 … the same 2 lines 3 more times", "0 a", "0 c"]);
});

test("two iterations, another thread cutting in, or nothing repeated: drawn as they are", () => {
  const twice = [line(0, "a"), line(0, "a")];
  assert.deepEqual(fold(twice), ["0 a", "0 a"]);
  const cut = [line(0, "a"), line(1, "b"), line(0, "a"), line(1, "b"), line(0, "a"), line(1, "b")];
  assert.deepEqual(fold(cut), cut.map((l) => `${l.tid} ${l.text}`));
  const plain = [line(0, "a"), line(0, "b"), line(0, "c")];
  assert.deepEqual(fold(plain), ["0 a", "0 b", "0 c"]);
});

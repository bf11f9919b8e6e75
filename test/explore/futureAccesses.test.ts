// Which locations a thread may still write and read from a point of its run
// on (futureAccesses.ts): every continuation, each read taking any value its
// location can hold; "not known" past the search's bound.

import { test } from "node:test";
import assert from "node:assert/strict";
import { model } from "../../src/index.ts";
import { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import { FutureAccesses } from "../../src/explore/futureAccesses.ts";
import { ThreadReplayer } from "../../src/runtime/threadReplayer.ts";
import { newEvent, setReadValue } from "../../src/explore/eventFactory.ts";

const m = model("branching writer", (b) => {
  const f = b.location("f", 0);
  const y = b.location("y", 0);
  const z = b.location("z", 0);
  b.thread("reader", function* (t) {
    if ((yield* t.read(f)) === 1) yield* t.write(y, 1);
    else yield* t.write(z, 1);
  });
  b.thread("setter", function* (t) {
    yield* t.write(f, 1);
  });
});
// Location ids, in the order declared.
const [f, y, z] = [0, 1, 2];

test("from its start a thread may write what any value of its reads leads it to", () => {
  const g = ExecutionGraph.initial(m.initial, m.threads.length);
  const writes = new FutureAccesses(m, 100, "sc");
  assert.deepEqual([...writes.after(g, 0, 0)!.writes].sort(), [y, z]);
  assert.deepEqual([...writes.after(g, 0, 0)!.reads], [f]);
  assert.deepEqual([...writes.after(g, 1, 0)!.writes], [f]);
  assert.deepEqual([...writes.after(g, 1, 0)!.reads], []);
});

test("past a read, only what the value it read leads to", () => {
  const g = ExecutionGraph.initial(m.initial, m.threads.length);
  const replayer = new ThreadReplayer(m, 100, undefined, "sc");
  const r = newEvent(g, 0, replayer.pending(g, 0));
  g.threads[0]!.push(r);
  setReadValue(r, 1);
  const writes = new FutureAccesses(m, 100, "sc");
  assert.deepEqual([...writes.after(g, 0, 1)!.writes], [y]);
  assert.deepEqual([...writes.after(g, 0, 1)!.reads], []);
  setReadValue(r, 0);
  assert.deepEqual([...writes.after(g, 0, 1)!.writes], [z]);
});

test("a thread whose runs outgrow the search is not known", () => {
  const counting = model("counting", (b) => {
    const c = b.location("c", 0);
    b.thread("counter", function* (t) {
      for (let i = 0; i < 40; i++) yield* t.write(c, (yield* t.read(c)) + 1);
    });
  });
  const g = ExecutionGraph.initial(counting.initial, counting.threads.length);
  assert.equal(new FutureAccesses(counting, 2000, "sc").after(g, 0, 0), undefined);
});

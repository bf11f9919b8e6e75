// The relation toolkit's row-at-a-time operations (identity, domain, range,
// restrict, inverse, cross, acyclicity, topological order) against their
// definitions pair by pair, on random relations whose sizes cross the
// 32-event word; and the operations that share scratch space, called one
// after another on relations of different sizes.

import { test } from "node:test";
import assert from "node:assert/strict";
import { EventSet, Relation } from "../../src/graph/relation.ts";

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

function randomRelation(n: number, density: number, next: () => number): Relation {
  const r = new Relation(n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (next() < density) r.add(a, b);
  return r;
}

/** The relation holding the pairs (a, b) of n events for which `holds` says so. */
function byPairs(n: number, holds: (a: number, b: number) => boolean): Relation {
  const r = new Relation(n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (holds(a, b)) r.add(a, b);
  return r;
}

const same = (x: Relation, y: Relation) => assert.deepEqual([...x.rows], [...y.rows]);

/** Acyclicity by its definition: no event reaches itself in the transitive closure. */
const acyclicByClosure = (r: Relation): boolean => r.plus().isIrreflexive();

test("identity, domain, range, restrict, inverse and cross agree with their definitions pair by pair", () => {
  const next = random(11);
  for (const n of [1, 5, 31, 32, 33, 70])
    for (let round = 0; round < 12; round++) {
      const r = randomRelation(n, [0, 0.05, 0.3, 0.8][round % 4]!, next);
      const s = EventSet.of(n, () => next() < 0.5);
      const t = EventSet.of(n, () => next() < 0.5);
      same(Relation.identity(s), byPairs(n, (a, b) => a === b && s.has(a)));
      same(r.domain(s), byPairs(n, (a, b) => s.has(a) && r.has(a, b)));
      same(r.range(t), byPairs(n, (a, b) => r.has(a, b) && t.has(b)));
      same(r.restrict(s, t), byPairs(n, (a, b) => s.has(a) && r.has(a, b) && t.has(b)));
      same(r.inverse(), byPairs(n, (a, b) => r.has(b, a)));
      same(Relation.cross(s, t), byPairs(n, (a, b) => s.has(a) && t.has(b)));
    }
});

test("a composition of several relations (steps in shared scratch rows) is the composition step by step", () => {
  const next = random(3);
  for (let round = 0; round < 200; round++) {
    const n = [3, 70, 1, 33, 32, 64, 9][round % 7]!;
    const chain = Array.from({ length: 1 + (round % 5) }, (_, k) => {
      const r = randomRelation(n, [0.05, 0.2, 0.5][k % 3]!, next);
      return k % 2 === 1 ? r.opt() : r;
    });
    same(Relation.compose(chain[0]!, ...chain.slice(1)), Relation.seq(chain[0]!, ...chain.slice(1)));
  }
});

test("isAcyclic, topologicalOrder and transitiveClosure agree with the closure, across sizes one after another", () => {
  const next = random(5);
  let cyclic = 0;
  let acyclic = 0;
  for (let round = 0; round < 300; round++) {
    const n = [3, 70, 1, 33, 32, 64, 9][round % 7]!;
    // Mostly forward edges, so that many relations are acyclic, and a few backward ones.
    const back = round % 3 === 0 ? 0 : 0.02;
    const r = byPairs(n, (a, b) => next() < (a < b ? 0.15 : back));
    const expected = acyclicByClosure(r);
    assert.equal(r.isAcyclic(), expected);
    assert.equal(r.findCycle() === undefined, expected);
    const order = r.topologicalOrder();
    assert.equal(order !== undefined, expected);
    if (order !== undefined) {
      assert.equal(order.length, n);
      const at = new Int32Array(n);
      order.forEach((e, k) => (at[e] = k));
      for (const [a, b] of r.pairs()) assert.ok(at[a]! < at[b]!, `edge ${a} -> ${b} against the order`);
    }
    same(r.transitiveClosure(), r.plus());
    same(r.reflexiveTransitiveClosure(), r.star());
    if (expected) acyclic++;
    else cyclic++;
  }
  assert.ok(cyclic > 30 && acyclic > 30, `${cyclic} cyclic, ${acyclic} acyclic`);
});

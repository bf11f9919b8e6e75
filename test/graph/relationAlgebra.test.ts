// The fast operations of the relation toolkit against their definitions on
// random relations: compose against seq (with reflexive pairs in the right
// operand, and without), range against a sequence with the identity on the
// set, transitiveClosure against plus. Sizes cross the 32-event word.

import { test } from "node:test";
import assert from "node:assert/strict";
import { EventSet, Relation } from "../../src/graph/relation.ts";

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

function randomRelation(n: number, density: number, next: () => number, reflexive: boolean): Relation {
  const r = new Relation(n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if ((a !== b || reflexive) && next() < density) r.add(a, b);
  return r;
}

const same = (x: Relation, y: Relation) => assert.deepEqual([...x.rows], [...y.rows]);

test("compose, range and transitiveClosure agree with seq, [S] and plus", () => {
  const next = random(7);
  for (const n of [1, 5, 31, 32, 33, 70])
    for (let round = 0; round < 20; round++) {
      const density = [0, 0.05, 0.2, 0.6][round % 4]!;
      const a = randomRelation(n, density, next, false);
      const b = randomRelation(n, density, next, round % 2 === 0);
      same(a.compose(b), a.seq(b));
      const s = EventSet.of(n, () => next() < 0.5);
      same(a.range(s), a.seq(Relation.identity(s)));
      same(a.range(new EventSet(n)), new Relation(n));
      same(a.transitiveClosure(), a.plus());
    }
});

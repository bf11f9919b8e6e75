// SC's coherence bound is exact on every event the optimal explorer adds:
// for each choice of the new event (each write it may read from, each
// coherence position), acyclic(po | rf | co | fr), stated with the
// relation toolkit, holds exactly for the choices at or above the bound
// (RMW atomicity is the explorer's business). The explorer trusts the
// bound without checking, so a wrong one would silently drop or invent
// executions.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, sc } from "../../src/index.ts";
import type { MemoryModel } from "../../src/models/memoryModel.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import type { GraphEvent } from "../../src/graph/event.ts";
import { GraphRelations } from "../../src/graph/graphRelations.ts";
import { setReadsFrom } from "../../src/explore/eventFactory.ts";
import { randomProgram } from "../support/randomProgram.ts";
import { randomFencedProgram } from "../support/randomFencedProgram.ts";

const scAcyclic = (g: ExecutionGraph) => {
  const x = new GraphRelations(g);
  return x.po.union(x.rf, x.co, x.fr).isAcyclic();
};

interface Tally {
  bounds: number;
  interior: number;
  maximalOnly: number;
}

function checkBound(g: ExecutionGraph, e: GraphEvent, bound: number, tally: Tally, where: string): void {
  const order = g.co[e.loc]!;
  const last = order.length - 1;
  tally.bounds++;
  if (bound > 0 && bound < last) tally.interior++;
  if (bound === last && last > 0) tally.maximalOnly++;
  for (let k = 0; k <= last; k++) {
    const c = g.clone();
    if (e.kind === "R") setReadsFrom(c.threads[e.tid]![e.idx]!, c.event(order[k]!));
    else c.co[e.loc]!.splice(k + 1, 0, e.id);
    assert.equal(scAcyclic(c), k >= bound, `bound ${bound} of ${last} wrong for ${e.kind} ${e.id} at coherence index ${k} in ${where}`);
  }
}

function checking(tally: Tally, where: string): MemoryModel {
  return {
    ...sc,
    coherenceBound(g, e) {
      const bound = sc.coherenceBound!(g, e);
      checkBound(g, e, bound, tally, where);
      return bound;
    },
  };
}

test("SC coherence bound is exact on 300 random programs and 300 with every fence kind", () => {
  const tally: Tally = { bounds: 0, interior: 0, maximalOnly: 0 };
  for (let seed = 1; seed <= 300; seed++) {
    for (const p of [randomProgram(seed + 7000, 2), randomFencedProgram(seed + 7000)]) {
      const where = `seed ${seed + 7000}: ${p.text}`;
      const checked = explore(p.model, { memoryModel: checking(tally, where), stopOnViolation: false, pruneStaleAwaits: false });
      const plain = explore(p.model, { memoryModel: sc, stopOnViolation: false, pruneStaleAwaits: false });
      assert.equal(checked.executions, plain.executions);
    }
  }
  assert.ok(tally.bounds > 5_000, `only ${tally.bounds} bounds checked`);
  assert.ok(tally.interior > 100, `only ${tally.interior} interior bounds`);
  assert.ok(tally.maximalOnly > 100, `only ${tally.maximalOnly} bounds leaving only the maximal choice`);
});

// Random graphs, checked against the models' strength order: every SC
// graph is TSO-consistent, and every TSO graph is LKMM-consistent (Linux
// runs on x86, so LKMM must allow whatever x86 does: on x86, smp_mb() is
// mfence, every RMW is locked, and the other fences are compiler barriers).
// Graphs use marked accesses only and no RCU, where these inclusions hold
// exactly; a seeded generator keeps failures reproducible.

import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "./graphBuilder.ts";
import type { ExecutionGraph } from "../../src/graph/executionGraph.ts";
import type { EventId } from "../../src/graph/event.ts";
import type { AccessMode, FenceKind } from "../../src/program/operation.ts";
import { scDeclarative } from "../../src/models/sc.ts";
import { tso } from "../../src/models/tso.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";

/** xorshift32: small, seeded, good enough to pick shapes. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
  return { below: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const LOCS = ["x", "y", "z"] as const;
const FENCES: readonly FenceKind[] = ["mb", "wmb", "rmb", "before-atomic", "after-atomic"];

function randomGraph(seed: number): ExecutionGraph {
  const r = random(seed);
  const b = new GraphBuilder({ x: 0, y: 0, z: 0 });
  const reads: EventId[] = [];
  const writes = new Map<string, EventId[]>(LOCS.map((l) => [l, []]));
  const readLoc = new Map<EventId, string>();
  let value = 1;
  const threads = 2 + r.below(2);
  for (let t = 0; t < threads; t++) {
    const th = b.thread();
    const earlier: number[] = [];
    for (let k = 1 + r.below(4); k > 0; k--) {
      const loc = r.pick(LOCS);
      const kind = r.below(9);
      const dep = earlier.length > 0 && r.below(3) === 0 ? { [r.pick(["addr", "data", "ctrl"] as const)]: [r.pick(earlier)] } : undefined;
      if (kind < 3) {
        const e = th.read(loc, r.pick<AccessMode>(["once", "once", "acquire"]), { deps: dep });
        reads.push(e);
        readLoc.set(e, loc);
        earlier.push(b.op(e));
      } else if (kind < 6) {
        writes.get(loc)!.push(th.write(loc, value++, r.pick<AccessMode>(["once", "once", "release"]), { deps: dep }));
      } else if (kind < 8) {
        const [rd, wr] = th.rmw(loc, value++, r.pick<AccessMode>(["mb", "relaxed", "acquire", "release"]));
        reads.push(rd);
        readLoc.set(rd, loc);
        writes.get(loc)!.push(wr);
        earlier.push(b.op(rd));
      } else th.fence(r.pick(FENCES));
    }
  }
  for (const rd of reads) {
    const sources = writes.get(readLoc.get(rd)!)!;
    const choice = r.below(sources.length + 1);
    b.rf(rd, choice === sources.length ? readLoc.get(rd)! : sources[choice]!);
  }
  for (const [loc, ws] of writes) {
    const order = [...ws];
    for (let i = order.length - 1; i > 0; i--) {
      const j = r.below(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    b.co(loc, ...order);
  }
  return b.build();
}

test("SC ⊆ TSO ⊆ LKMM on 20,000 random graphs", () => {
  const counts = { sc: 0, tso: 0, lkmm: 0 };
  for (let seed = 1; seed <= 20_000; seed++) {
    const g = randomGraph(seed);
    const inSc = scDeclarative.isConsistent(g);
    const inTso = tso.isConsistent(g);
    const inLkmm = lkmm.isConsistent(g);
    if (inSc) assert.ok(inTso, `seed ${seed}: SC but not TSO (${tso.violatedAxiom(g)})`);
    if (inTso) assert.ok(inLkmm, `seed ${seed}: TSO but not LKMM (${lkmm.violatedAxiom(g)})`);
    counts.sc += Number(inSc);
    counts.tso += Number(inTso);
    counts.lkmm += Number(inLkmm);
  }
  // The generator must reach each model's weak behaviours, or the test proves little.
  assert.ok(counts.sc > 100 && counts.tso > counts.sc && counts.lkmm > counts.tso, JSON.stringify(counts));
});

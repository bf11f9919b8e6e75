// The racing pairs a report names agree with LKMM's own data-race flag (the
// one `litmus` prints as "Flag data-race"): an execution has a pair exactly
// when it is flagged, and every pair is two accesses of different threads to
// one location, at least one of them plain.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type Model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";
import { racingAccesses } from "../../src/report/racingAccesses.ts";
import { mulberry32 } from "../support/randomProgram.ts";

/** Seeded, so a failure names its seed. */
const random = mulberry32;

type Step = { kind: "read" | "write"; loc: number; mode: "plain" | "once" | "acquire" | "release"; value: number } | { kind: "fence"; fence: "mb" | "wmb" | "rmb" };

function program(seed: number): Model {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const threads: Step[][] = Array.from({ length: 2 + Math.floor(rnd() * 2) }, () =>
    Array.from({ length: 1 + Math.floor(rnd() * 3) }, (): Step => {
      if (rnd() < 0.15) return { kind: "fence", fence: pick(["mb", "wmb", "rmb"] as const) };
      const kind = pick(["read", "write"] as const);
      return { kind, loc: Math.floor(rnd() * 2), mode: pick(kind === "read" ? (["plain", "plain", "once", "acquire"] as const) : (["plain", "plain", "once", "release"] as const)), value: 1 + Math.floor(rnd() * 2) };
    }),
  );
  return model(`random-${seed}`, (m) => {
    const locs = [m.location("x"), m.location("y")];
    threads.forEach((steps, tid) =>
      m.thread(`P${tid}`, function* (t) {
        for (const s of steps) {
          if (s.kind === "fence") yield* t.fence(s.fence);
          else if (s.kind === "read") yield* t.read(locs[s.loc]!, s.mode);
          else yield* t.write(locs[s.loc]!, s.value, s.mode);
        }
      }),
    );
  });
}

test("racing pairs exist exactly in the executions LKMM flags as data races", () => {
  const lkmm = memoryModelNamed("lkmm");
  let flagged = 0;
  let clean = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const md = program(seed);
    explore(md, {
      memoryModel: lkmm,
      stopOnViolation: false,
      countDuplicates: false,
      onExecution: (g, o) => {
        if (o.status !== "complete") return;
        const raced = lkmm.flags!(g).includes("data-race");
        const pairs = racingAccesses(g);
        assert.equal(pairs.length > 0, raced, `seed ${seed}`);
        if (raced) flagged++;
        else clean++;
        for (const { first, second } of pairs) {
          assert.notEqual(first.tid, second.tid, `seed ${seed}`);
          assert.equal(first.loc, second.loc, `seed ${seed}`);
          assert.ok(first.mode === "plain" || second.mode === "plain", `seed ${seed}`);
          assert.ok(first.kind === "W" || second.kind === "W", `seed ${seed}`);
        }
      },
    });
  }
  // The generator must exercise both answers, or the agreement says little.
  assert.ok(flagged > 50 && clean > 50, `${flagged} flagged, ${clean} clean`);
});

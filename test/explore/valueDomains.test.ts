// The values candidate enumeration guesses reads from (valueDomains.ts): the
// search that keeps each value with its least needs, thread by thread,
// finds exactly the values the definition does (every value with every set
// of events it takes to produce), on random programs, lock programs,
// litmus programs whose dependencies are named, and a rwsem model whose
// lock word's values feed on themselves. Such a model's values are found
// in a fraction of a second (they took minutes), and candidate enumeration
// over them agrees with the optimal explorer.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type Model } from "../../src/index.ts";
import { downRead, downWrite, mutexLock, mutexUnlock, upRead, upWrite } from "../../src/kernel/index.ts";
import { justifiedDomains, valueDomains } from "../../src/explore/valueDomains.ts";
import { ThreadReplayer } from "../../src/runtime/threadReplayer.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { compileLitmus, parseLitmus } from "../../src/litmus/index.ts";
import { justifiedValuesByEvents } from "../support/justifiedValuesByEvents.ts";
import { randomProgram } from "../support/randomProgram.ts";
import { lockProgram } from "../support/lockProgram.ts";
import { randomLkmmLitmus } from "../litmus/randomLkmmLitmus.ts";

const sorted = (domains: readonly Set<unknown>[]) => domains.map((d) => [...d].map(String).sort());

function sameAsDefinition(m: Model, what: string): void {
  const replayer = () => new ThreadReplayer(m, 200, undefined, "lkmm");
  let expected: string[][] | Error;
  try {
    expected = sorted(justifiedValuesByEvents(m, replayer()));
  } catch (e) {
    expected = e as Error;
  }
  if (expected instanceof Error) assert.throws(() => justifiedDomains(m, replayer()), { message: expected.message }, what);
  else assert.deepEqual(sorted(justifiedDomains(m, replayer())), expected, what);
}

test("the least needs find the values the definition finds: random programs", () => {
  for (let seed = 4000; seed < 4150; seed++) {
    const { model: m, text } = randomProgram(seed, seed % 3 === 0 ? 2 : 1);
    sameAsDefinition(m, `seed ${seed}: ${text}`);
  }
});

test("the least needs find the values the definition finds: lock programs", () => {
  for (const kind of ["lock-only", "mixed", "stray-unlock", "lock-reads"] as const)
    for (let seed = 100; seed < 130; seed++) {
      const { model: m, text } = lockProgram(seed, 1, kind);
      sameAsDefinition(m, `${kind} seed ${seed}: ${text}`);
    }
});

test("the least needs find the values the definition finds: litmus programs with named dependencies", () => {
  for (let seed = 700; seed < 800; seed++) {
    const text = randomLkmmLitmus(seed);
    sameAsDefinition(compileLitmus(parseLitmus(text, "generated.litmus")).model, `seed ${seed}:\n${text}`);
  }
});

/** A writer that takes the rwsem twice around a mutex, and a reader under the mutex. */
function rwsemAroundMutex(writer: readonly string[], reader: readonly string[]): Model {
  return model(`rwsem: ${writer.join(" ")} / ${reader.join(" ")}`, (m) => {
    const sem = m.location("sem", 0);
    const mu = m.location("mu", 0);
    const ops: Record<string, (t: Parameters<typeof downWrite>[0]) => Generator<any, any, any>> = {
      W: (t) => downWrite(t, sem),
      w: (t) => upWrite(t, sem),
      R: (t) => downRead(t, sem),
      r: (t) => upRead(t, sem),
      M: (t) => mutexLock(t, mu),
      m: (t) => mutexUnlock(t, mu),
    };
    m.thread("A", function* (t) {
      for (const o of writer) yield* ops[o]!(t);
    });
    m.thread("B", function* (t) {
      for (const o of reader) yield* ops[o]!(t);
    });
  });
}

test("a rwsem's lock word: its values are the definition's, and candidates over them agree with the optimal explorer", () => {
  const small = rwsemAroundMutex(["M", "m", "W", "w"], ["M", "R", "r", "m"]);
  const large = rwsemAroundMutex(["W", "w", "M", "m", "W"], ["M", "R"]);
  for (const m of [small, large]) sameAsDefinition(m, m.name);
  // The values of the lock word feed on themselves: the first, cheap search does not settle, and gives way.
  const domains = valueDomains(large, new ThreadReplayer(large, 2000, undefined, "lkmm"));
  assert.deepEqual(sorted(domains), sorted(justifiedValuesByEvents(large, new ThreadReplayer(large, 2000, undefined, "lkmm"))));
  const counts = (strategy: "optimal" | "candidates") => {
    const r = explore(small, { memoryModel: lkmm, strategy, stopOnViolation: false });
    assert.equal(r.exhaustive, true, `${strategy} explored all`);
    return [r.executions, r.deadlocks, r.assertionFailures];
  };
  assert.deepEqual(counts("candidates"), counts("optimal"));
});

// Thread code that reads the clock or a random number is reported the first
// time it does so, by name, instead of whenever a re-run happens to diverge.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, ModelError } from "../../src/index.ts";

function calling(what: string, call: () => unknown) {
  return model(`calls ${what}`, (m) => {
    const x = m.location("x");
    m.thread("P0", function* (t) {
      t.step("foo");
      yield* t.write(x, 1);
      if (call() !== undefined) yield* t.write(x, 2);
    });
    m.thread("P1", function* (t) {
      yield* t.read(x);
    });
  });
}

const sources: [string, () => unknown][] = [
  ["Math.random", () => Math.random()],
  ["Date.now", () => Date.now()],
  ["new Date()", () => new Date()],
  ["performance.now", () => performance.now()],
  ["crypto.getRandomValues", () => crypto.getRandomValues(new Uint8Array(4))],
  ["crypto.randomUUID", () => crypto.randomUUID()],
];

for (const [what, call] of sources)
  test(`${what} in thread code is a model error naming the thread and step, on every run`, () => {
    for (let i = 0; i < 3; i++)
      assert.throws(
        () => explore(calling(what, call)),
        (e: unknown) =>
          e instanceof ModelError &&
          e.message === `thread P0 called ${what} (step foo): thread code must be a deterministic function of the values its reads return`,
      );
  });

test("the real globals are back after exploring, also after a model error", () => {
  assert.throws(() => explore(calling("Math.random", () => Math.random())));
  const r = Math.random();
  assert.ok(r >= 0 && r < 1);
  assert.ok(Date.now() > 0);
  assert.ok(new Date() instanceof Date);
  assert.ok(performance.now() >= 0);
  assert.equal(crypto.randomUUID().length, 36);
});

test("a date from a fixed time is deterministic and allowed", () => {
  const r = explore(calling("new Date(0)", () => new Date(0).getTime() === 0 || undefined));
  assert.equal(r.violations.length, 0);
});

test("state kept between runs is caught by the first re-run, deterministically", () => {
  for (let i = 0; i < 3; i++) {
    let runs = 0;
    const md = model("closure counter", (m) => {
      const x = m.location("x");
      m.thread("A", function* (t) {
        yield* t.read(x);
        return { n: runs++ };
      });
    });
    assert.throws(() => explore(md), (e: unknown) => e instanceof ModelError && /thread A is not deterministic: run twice on the same values/.test(e.message));
  }
});

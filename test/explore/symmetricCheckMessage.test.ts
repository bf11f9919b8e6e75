// Under symmetry reduction a check is judged on the class of the execution
// drawn, which is the class's representative: a check that holds on the
// representative itself but fails for an exchange of identical threads'
// names must say which exchange, or the trace drawn contradicts the
// message. Checked against the model's own check: on the drawn execution
// as it is, and with the drawn threads renamed as the message says.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type FinalState } from "../../src/index.ts";
import type { Outcome } from "../../src/checks/outcome.ts";
import { randomSymmetricProgram } from "../support/randomSymmetricProgram.ts";

/** The renaming a violation's message names (name → drawn thread whose result it sees), or undefined when it names none. */
function renamingIn(message: string): Map<string, string> | undefined {
  const pair = /\(with (\S+) and (\S+) exchanged in the execution drawn\)$/.exec(message);
  if (pair !== null) return new Map([[pair[1]!, pair[2]!], [pair[2]!, pair[1]!]]);
  const cycle = /\(with the execution drawn's (.+) renamed (.+)\)$/.exec(message);
  if (cycle === null) return undefined;
  const drawn = cycle[1]!.split(", ");
  const names = cycle[2]!.split(", ");
  return new Map(names.map((name, i) => [name, drawn[i]!]));
}

function renamed(s: FinalState, renaming: ReadonlyMap<string, string>): FinalState {
  return { ...s, result: (thread) => s.result(renaming.get(thread) ?? thread) };
}

/** Each violated forall check of the model, judged literally on the drawn execution and as the message renames it. */
function judgeAsTheMessageSays(checks: ReturnType<typeof model>["checks"], o: Outcome): { named: boolean } {
  const message = o.violation!.message;
  const check = checks.find((c) => c.kind === "forall" && message.startsWith(`check failed: ${c.name}`))!;
  assert.ok(check !== undefined, message);
  const renaming = renamingIn(message);
  if (renaming === undefined) {
    assert.equal(message, `check failed: ${check.name}`);
    assert.equal(check.holds(o.final), false, `${message}: names no exchange, so it fails on the execution drawn`);
    return { named: false };
  }
  assert.equal(check.holds(o.final), true, `${message}: names an exchange only where the execution drawn satisfies the check`);
  assert.equal(check.holds(renamed(o.final, renaming)), false, `${message}: the exchange named violates the check`);
  return { named: true };
}

test("a check that fails only for an exchange of identical threads names it: T0 ran first, on the racy counter", () => {
  const racy = model("racy-counter", (m) => {
    const count = m.location("count", 0);
    for (const name of ["T0", "T1", "T2"])
      m.thread(
        name,
        function* (t) {
          const v = yield* t.read(count);
          yield* t.write(count, v + 1);
          return { seen: v };
        },
        { identical: "incrementer" },
      );
    m.forall("T0 ran first", (s) => s.result("T0")?.seen === 0);
  });
  const r = explore(racy, { stopOnViolation: false });
  assert.equal(r.symmetry?.reduced, true);
  assert.ok(r.violations.length > 0);
  let named = 0;
  for (const v of r.violations) if (judgeAsTheMessageSays(racy.checks, v.outcome).named) named++;
  // The representative orders identical threads by what they read: T0 reads count=0 in every one drawn.
  assert.equal(named, r.violations.length);
  assert.match(r.violations[0]!.outcome.violation!.message, /^check failed: T0 ran first \(with T0 and T\d exchanged in the execution drawn\)$/);
});

test("a renaming that is no plain exchange is named thread by thread", () => {
  // One class: the representative has T0, T1, T2 fetch 0, 1, 2. The check fails where T0 fetched 1 and T1 fetched 2,
  // which no exchange of two threads makes of it: only the rotation that gives T0 T1's result, T1 T2's and T2 T0's.
  const chain = model("chain", (m) => {
    const count = m.location("count", 0);
    for (const name of ["T0", "T1", "T2"])
      m.thread(
        name,
        function* (t) {
          const v = yield* t.fetchAdd(count, 1);
          return { seen: v };
        },
        { identical: "incrementer" },
      );
    m.forall("not T0 second and T1 third", (s) => !(s.result("T0")?.seen === 1 && s.result("T1")?.seen === 2));
  });
  const r = explore(chain, { stopOnViolation: false });
  assert.equal(r.symmetry?.reduced, true);
  assert.equal(r.executions, 1);
  assert.equal(r.violations.length, 1);
  const o = r.violations[0]!.outcome;
  assert.match(o.violation!.message, /\(with the execution drawn's T1, T2, T0 renamed T0, T1, T2\)$/);
  assert.ok(judgeAsTheMessageSays(chain.checks, o).named);
});

test("on random programs, every violation of the check telling identical threads apart says what fails on the execution drawn", () => {
  let named = 0;
  let plain = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const p = randomSymmetricProgram(seed);
    const r = explore(p.model, { stopOnViolation: false, keepViolations: 50 });
    for (const v of r.violations) {
      if (v.outcome.violation?.kind !== "invariant") continue;
      if (judgeAsTheMessageSays(p.model.checks, v.outcome).named) named++;
      else plain++;
    }
  }
  assert.ok(named > 0 && plain > 0, `${named} violations named an exchange, ${plain} none`);
});

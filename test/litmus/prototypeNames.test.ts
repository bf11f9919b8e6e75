// Names in a litmus test are the test's own: a register or location called
// `__proto__`, `constructor`, `toString`, `valueOf` or `hasOwnProperty` must
// behave exactly as one called `r9` or `q`, in the processes, the initial
// state and the exists clause (a register kept in a plain object once
// printed `0:__proto__=undefined` and answered wrongly).

import { test } from "node:test";
import assert from "node:assert/strict";
import { compileLitmus, parseLitmus } from "../../src/litmus/index.ts";
import { runLitmus, type LitmusRun } from "../../src/litmus/run/runLitmus.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { sc } from "../../src/models/sc.ts";

const NAMES = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"];

/**
 * SB with a register `reg` that P0 assigns, P1 neither declares nor assigns
 * (herd reads it as 0), and a location `loc` initialised to 2.
 */
const sb = (reg: string, loc: string) => `C SB-names
{ ${loc} = 2; }
P0(int *${loc}, int *y) { int ${reg}; WRITE_ONCE(*${loc}, 1); ${reg} = READ_ONCE(*y); }
P1(int *${loc}, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*${loc}); }
exists (0:${reg}=0 /\\ 1:r0=2 /\\ 1:${reg}=0 /\\ ${loc}=1)
`;

/** herd orders a state's fields, and the states, by name: compare them as sets. */
const normalized = (states: readonly string[]) => states.map((s) => s.split("; ").sort().join("; ")).sort();

const run = (text: string, memoryModel = lkmm): LitmusRun => runLitmus(compileLitmus(parseLitmus(text, "names.litmus")), { memoryModel });

for (const name of NAMES) {
  test(`'${name}' as a register and as a location answers as ordinary names do`, () => {
    for (const memoryModel of [sc, lkmm]) {
      const reference = run(sb("r9", "q"), memoryModel);
      // The SB outcome: forbidden under SC, allowed under LKMM, so both answers are exercised.
      assert.equal(reference.verdict.observation, memoryModel === sc ? "Never" : "Sometimes");
      for (const [reg, loc] of [[name, "q"], ["r9", name], [name, name === "__proto__" ? "constructor" : "__proto__"]] as const) {
        const r = run(sb(reg, loc), memoryModel);
        const renamed = r.states.map((s) => s.replaceAll(`:${reg}=`, ":r9=").replaceAll(`[${loc}]`, "[q]"));
        assert.deepEqual(normalized(renamed), normalized(reference.states), `${memoryModel.name}: register ${reg}, location ${loc}`);
        assert.deepEqual([r.verdict, r.holds, r.fails], [reference.verdict, reference.holds, reference.fails]);
        assert.doesNotMatch(r.states.join("\n"), /undefined|function/);
      }
    }
  });
}

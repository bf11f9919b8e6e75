// Models run in the order their file declares them, not the alphabetical
// order of a module namespace.

import { test } from "node:test";
import assert from "node:assert/strict";
import { exportOrder } from "../../src/cli/exportOrder.ts";
import { declaredRuns, model } from "../../src/program/model.ts";

test("declarations, default and export lists are placed where they are written", () => {
  const source = `
    // export const commented = 1;
    export const zebra = model("z", build);
    export default [a, b];
    /* export function hidden() {} */
    export function* gen() {}
    const local1 = 1, local2 = 2;
    export { local2 as beta, local1 };
    export const alpha = 1;
    export * from "./elsewhere";
  `;
  const names = ["alpha", "beta", "commented", "default", "gen", "hidden", "local1", "reexported", "zebra"];
  assert.deepEqual(exportOrder(source, names), ["zebra", "default", "gen", "beta", "local1", "alpha", "commented", "hidden", "reexported"]);
});

test("declared runs: each named memory model with its expectation, sc by default, --model overrides", () => {
  const sb = (declare: (m: Parameters<Parameters<typeof model>[1]>[0]) => void) =>
    model("m", (m) => {
      declare(m);
      m.thread("P0", function* () {});
    });
  assert.deepEqual(declaredRuns(sb(() => {})), [{ memoryModel: "sc" }]);
  assert.deepEqual(declaredRuns(sb((m) => m.expect("violation"))), [{ memoryModel: "sc", expect: "violation" }]);
  const perModel = sb((m) => m.expect({ lkmm: "violation", sc: "verified" }));
  assert.deepEqual(declaredRuns(perModel), [
    { memoryModel: "sc", expect: "verified" },
    { memoryModel: "lkmm", expect: "violation" },
  ]);
  assert.deepEqual(declaredRuns(perModel, "lkmm"), [{ memoryModel: "lkmm", expect: "violation" }]);
  assert.deepEqual(declaredRuns(perModel, "tso"), [{ memoryModel: "tso" }]);
  const both = sb((m) => {
    m.memoryModels("tso", "sc");
    m.expect("verified");
  });
  assert.deepEqual(declaredRuns(both), [
    { memoryModel: "sc", expect: "verified" },
    { memoryModel: "tso", expect: "verified" },
  ]);
  assert.throws(() => sb((m) => m.expect({ arm: "verified" } as never)), /unknown memory model 'arm'/);
  assert.throws(() => sb((m) => (m.expect("verified"), m.expect({ sc: "verified" }))), /expect\(\) is declared twice/);
});

// A reader that compares the pointer it read with the model's locations
// (`p === a.data`), as a model written naturally does: t.readValue must hand
// back the declared location, or the comparison silently fails and a
// use-after-free goes unseen.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model, type Loc } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";

function retireWithoutGracePeriod() {
  return model("retire without a grace period", (m) => {
    const a = m.struct("a", { data: 1, freed: 0 });
    const b = m.struct("b", { data: 2, freed: 0 });
    const gp = m.location("gp", a.data);
    m.thread("reader", function* (t) {
      const p = (yield* t.readValue(gp, "once")) as Loc;
      const obj = p === a.data ? a : b;
      t.assert((yield* t.read(obj.freed, "once")) === 0, "use after free");
    });
    m.thread("updater", function* (t) {
      yield* t.write(gp, b.data, "release");
      yield* t.write(a.freed, 1, "once");
    });
  });
}

for (const name of ["sc", "tso", "lkmm"]) {
  test(`a pointer compared with === finds the use after free: ${name}`, () => {
    const r = explore(retireWithoutGracePeriod(), { memoryModel: memoryModelNamed(name) });
    assert.ok(r.violations.length > 0, "the reader that saw the old pointer reads a.freed");
    assert.match(r.violations[0]!.outcome.violation!.message, /use after free/);
  });
}

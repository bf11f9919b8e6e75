// Thread code may ask which memory model it runs under (the kernel's RCU
// builds its grace period from accesses only where the model has no RCU
// axiom): explore() must tell it, under every model.

import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, model } from "../../src/index.ts";
import { memoryModelNamed } from "../../src/models/registry.ts";

for (const name of ["sc", "tso", "lkmm"]) {
  test(`thread code sees the memory model it is explored under: ${name}`, () => {
    const m = model(`asks ${name}`, (b) => {
      const x = b.location("x");
      b.thread("P0", function* (t) {
        t.assert(t.memoryModel === name, `thread saw ${String(t.memoryModel)}`);
        yield* t.write(x, 1, "once");
      });
    });
    const r = explore(m, { memoryModel: memoryModelNamed(name) });
    assert.equal(r.violations.length, 0, r.violations[0]?.outcome.violation?.message);
    assert.equal(r.executions, 1);
  });
}

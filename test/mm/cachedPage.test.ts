// Machine.cachedPage: the page a file was given at an index, for a model to
// name without counting its way through mc.pages.

import { test } from "node:test";
import assert from "node:assert/strict";
import { model } from "../../src/index.ts";
import { Machine } from "../../src/mm/index.ts";

test("cachedPage is the page file() cached at that index, and an empty index is an error naming the file", () => {
  model("cached pages", (m) => {
    const mc = new Machine(m);
    mc.page("unrelated");
    const F = mc.file("F", { size: 3, cached: [{ index: 2 }, { index: 0, name: "head" }] });
    assert.equal(mc.cachedPage(F, 0).name, "head");
    assert.equal(mc.cachedPage(F, 2).name, "P2");
    assert.equal(m.initialValue(F.iPages[2]!), mc.cachedPage(F, 2).id);
    assert.throws(() => mc.cachedPage(F, 1), /index 1 of F has no cached page/);
    m.thread("idle", function* () {});
  });
});

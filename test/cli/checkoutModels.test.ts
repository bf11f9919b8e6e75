// Models inside pagerace's checkout import the sources (src/index.ts); the
// command line, running from dist/, hands them the compiled twins instead
// (typeScriptHooks.ts), so the model and the checker share one set of
// modules and the sources are not transformed on every run.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pagerace, row } from "./pagerace.ts";

test("a model importing the checkout's sources gets the checker's compiled modules", () => {
  const r = pagerace("check", "test/cli/fixtures/sharedModules.ts");
  assert.equal(r.code, 0, r.err);
  assert.match(row(r.out, "shared modules", "sc"), /verified\s+verified/);
});

test("the README's store-buffering example checks as declared from dist/", () => {
  const r = pagerace("check", "examples/storeBuffering.ts");
  assert.equal(r.code, 0, r.err);
  assert.match(row(r.out, "SB", "sc"), /verified\s+verified/);
});

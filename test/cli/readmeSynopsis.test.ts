// The README's command-line synopsis of `check` against `check --help`:
// every option the command takes is in the synopsis, and the synopsis
// names no option the command does not take.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { pagerace } from "./pagerace.ts";

const OPTION = /--[a-z][a-z-]*/g;

test("the README's synopsis of check lists exactly the options of check --help", () => {
  const help = pagerace("check", "--help");
  assert.equal(help.code, 0, help.err);
  // Option lines of the help start with the option; the lines that continue a description do not.
  const taken = new Set(help.out.split("\n").flatMap((l) => /^\s{2}(--[a-z][a-z-]*)/.exec(l)?.[1] ?? []));
  taken.delete("--help");
  assert.ok(taken.has("--keep-violations") && taken.has("--no-symmetry"), [...taken].join(" "));
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf("\npagerace check [");
  assert.ok(start >= 0, "the README has no synopsis of check");
  const synopsis = readme.slice(start, readme.indexOf("\npagerace worker", start));
  const listed = new Set(synopsis.match(OPTION));
  assert.deepEqual([...taken].filter((o) => !listed.has(o)), [], "options of check the README's synopsis lacks");
  assert.deepEqual([...listed].filter((o) => !taken.has(o)), [], "options in the README's synopsis that check does not take");
});

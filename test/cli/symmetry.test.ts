// `check` on a model that declares identical threads: the report says that
// symmetry reduction was on and that the counts are of classes, the
// violation is drawn as a real execution that replays, and --no-symmetry
// counts every execution. The JSON result says the same, as its schema
// documents.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { pagerace } from "./pagerace.ts";

const FIXTURE = "test/cli/fixtures/identicalThreads.ts";

test("check reports symmetry reduction and counts classes; --no-symmetry counts every execution", () => {
  const reduced = pagerace("check", "--all", FIXTURE);
  const full = pagerace("check", "--all", "--no-symmetry", FIXTURE);
  assert.equal(reduced.code, 1, reduced.err);
  assert.equal(full.code, 1, full.err);
  assert.match(reduced.out, /symmetry reduction on: counts are of classes of executions equal up to exchanging identical threads \(A ~ B ~ C\)/);
  assert.match(full.out, /symmetry reduction off \(symmetry reduction turned off\)/);
  const documentOf = (args: string[]) => JSON.parse(pagerace("check", "--json", "--all", ...args, FIXTURE).out);
  const reducedDoc = documentOf([]);
  const fullDoc = documentOf(["--no-symmetry"]);
  const on = reducedDoc.results[0];
  const off = fullDoc.results[0];
  assert.deepEqual(on.symmetry, { reduced: true, classes: [["A", "B", "C"]], why: null });
  assert.equal(off.symmetry.reduced, false);
  assert.ok(on.executions < off.executions, `${on.executions} classes, ${off.executions} executions`);
  assert.ok(on.violations.length > 0);
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  const validate = ajv.compile(JSON.parse(readFileSync("docs/schema/pagerace-result.schema.json", "utf8")) as object);
  for (const doc of [reducedDoc, fullDoc]) assert.ok(validate(doc), JSON.stringify(validate.errors));
  // The violation drawn is a real execution: its replay id reaches it.
  const id = on.violations[0].replayId as string;
  const replayed = pagerace("replay", FIXTURE, id);
  assert.equal(replayed.code, 1, replayed.err);
  assert.match(replayed.out, /every increment counts/);
});
